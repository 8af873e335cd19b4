namespace EdgeSam2.Onnx.Native;

/// <summary>Shape arithmetic shared by arguments and values.</summary>
internal static class OrtShape
{
    /// <summary>The number of elements a shape holds; -1 when a dimension is negative (unknown).</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                return -1;
            }

            count = checked(count * dim);
        }

        return count;
    }

    /// <summary>
    /// True when <paramref name="actual"/> fits <paramref name="declared"/>: same rank, fixed dims equal. A declared
    /// rank of 0 is also how ORT reports a tensor whose shape the graph leaves unknown, so it constrains nothing
    /// (ORT itself accepts a one-element tensor for a declared scalar).
    /// </summary>
    public static bool Fits(ReadOnlySpan<long> actual, ReadOnlySpan<long> declared)
    {
        if (declared.Length == 0)
        {
            return true;
        }

        if (actual.Length != declared.Length)
        {
            return false;
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (declared[i] >= 0 && declared[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(",", shape.ToArray()) + "]";
}
