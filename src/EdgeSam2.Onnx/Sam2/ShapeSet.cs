namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// Interned shape arrays: the same dimensions always give the same array, so a binding can compare shapes cheaply
/// and a frame allocates no shape once every batch size has been seen. Bounded by the shapes a tracker can reach.
/// </summary>
internal sealed class ShapeSet
{
    private readonly List<long[]> _shapes = [];

    public long[] Get(long d0, long d1) => Find([d0, d1]);

    public long[] Get(long d0, long d1, long d2) => Find([d0, d1, d2]);

    public long[] Get(long d0, long d1, long d2, long d3) => Find([d0, d1, d2, d3]);

    public long[] Get(long d0, long d1, long d2, long d3, long d4) => Find([d0, d1, d2, d3, d4]);

    private long[] Find(ReadOnlySpan<long> dims)
    {
        foreach (var shape in _shapes)
        {
            if (dims.SequenceEqual(shape))
            {
                return shape;
            }
        }

        var added = dims.ToArray();
        _shapes.Add(added);
        return added;
    }
}
