using System.Buffers;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// A named tensor over memory the caller owns, for <see cref="OrtSession.Run"/>. The data is pinned only for the
/// duration of the call. The shape array is not copied: callers keep one per tensor and reuse it, so building an
/// argument allocates nothing.
/// </summary>
public readonly struct OrtTensorArg
{
    private readonly Memory<float> _float;
    private readonly Memory<long> _int64;
    private readonly Memory<int> _int32;

    private OrtTensorArg(
        string name, long[] shape, OrtElementType elementType, Memory<float> f, Memory<long> i64, Memory<int> i32)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        Shape = shape;
        ElementType = elementType;
        _float = f;
        _int64 = i64;
        _int32 = i32;
    }

    /// <summary>Graph input or output name.</summary>
    public string Name { get; }

    /// <summary>Dimensions of this call's tensor; every one must be known (no -1).</summary>
    public long[] Shape { get; }

    /// <summary>Element type of <see cref="Length"/> elements.</summary>
    public OrtElementType ElementType { get; }

    /// <summary>Elements in the buffer.</summary>
    public int Length => ElementType switch
    {
        OrtElementType.Float => _float.Length,
        OrtElementType.Int64 => _int64.Length,
        OrtElementType.Int32 => _int32.Length,
        _ => 0,
    };

    // Named after the ONNX element types they build, as OrtElementType is.
#pragma warning disable CA1720
    /// <summary>A float32 tensor named <paramref name="name"/> over <paramref name="data"/>, shaped <paramref name="shape"/>.</summary>
    public static OrtTensorArg Float(string name, Memory<float> data, long[] shape) =>
        new(name, shape, OrtElementType.Float, data, default, default);

    /// <summary>An int64 tensor named <paramref name="name"/> over <paramref name="data"/>, shaped <paramref name="shape"/>.</summary>
    public static OrtTensorArg Int64(string name, Memory<long> data, long[] shape) =>
        new(name, shape, OrtElementType.Int64, default, data, default);

    /// <summary>An int32 tensor named <paramref name="name"/> over <paramref name="data"/>, shaped <paramref name="shape"/>.</summary>
    public static OrtTensorArg Int32(string name, Memory<int> data, long[] shape) =>
        new(name, shape, OrtElementType.Int32, default, default, data);
#pragma warning restore CA1720

    /// <summary>Pins the buffer for one native call.</summary>
    internal MemoryHandle Pin(out nuint byteLength)
    {
        switch (ElementType)
        {
            case OrtElementType.Float:
                byteLength = (nuint)_float.Length * sizeof(float);
                return _float.Pin();
            case OrtElementType.Int64:
                byteLength = (nuint)_int64.Length * sizeof(long);
                return _int64.Pin();
            case OrtElementType.Int32:
                byteLength = (nuint)_int32.Length * sizeof(int);
                return _int32.Pin();
            default:
                throw new InvalidOperationException("default(OrtTensorArg) holds no tensor; build one with Float, Int64 or Int32.");
        }
    }
}
