namespace EdgeSam2.Onnx.Native;

/// <summary>
/// A tensor ONNX Runtime allocated (from <see cref="OrtSession.RunAllocated"/>). Its memory belongs to ORT and is
/// freed on <see cref="Dispose"/>, so spans from <see cref="AsSpan{T}"/> must not outlive it.
/// </summary>
public sealed unsafe class OrtValue : IDisposable
{
    private readonly OrtValueHandle _handle;
    private readonly void* _data;

    /// <summary>Takes ownership of <paramref name="handle"/>; disposes it if the tensor cannot be described.</summary>
    internal OrtValue(OrtApi api, OrtValueHandle handle)
    {
        _handle = handle;
        try
        {
            var native = handle.DangerousGetHandle();
            using var info = new OrtTensorTypeAndShapeInfoHandle(api);
            IntPtr infoPtr;
            api.Check(api.GetTensorTypeAndShape(native, &infoPtr));
            info.Attach(infoPtr);

            int type;
            api.Check(api.GetTensorElementType(infoPtr, &type));
            nuint rank;
            api.Check(api.GetDimensionsCount(infoPtr, &rank));
            var shape = new long[(int)rank];
            fixed (long* dims = shape)
            {
                api.Check(api.GetDimensions(infoPtr, dims, rank));
            }

            void* data;
            api.Check(api.GetTensorMutableData(native, &data));

            ElementType = (OrtElementType)type;
            Shape = shape;
            ElementCount = OrtShape.ElementCount(shape);
            _data = data;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Dimensions of the tensor.</summary>
    public long[] Shape { get; }

    public OrtElementType ElementType { get; }

    /// <summary>Product of <see cref="Shape"/>.</summary>
    public long ElementCount { get; }

    /// <summary>The elements; <typeparamref name="T"/> must match <see cref="ElementType"/>.</summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var requested = OrtElementTypes.Of<T>();
        if (requested != ElementType)
        {
            throw new InvalidOperationException(
                $"The tensor holds {ElementType} elements; it cannot be read as {typeof(T).Name} ({requested}).");
        }

        return new ReadOnlySpan<T>(_data, checked((int)ElementCount));
    }

    public void Dispose() => _handle.Dispose();
}
