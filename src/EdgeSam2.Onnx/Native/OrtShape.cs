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

    /// <summary>True when <paramref name="actual"/> fits <paramref name="declared"/>: same rank, fixed dims equal.</summary>
    public static bool Fits(ReadOnlySpan<long> actual, ReadOnlySpan<long> declared)
    {
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
