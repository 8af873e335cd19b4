namespace EdgeSam2.Onnx.Native;

/// <summary>Maps CLR element types to ONNX element types and back to sizes.</summary>
internal static class OrtElementTypes
{
    /// <summary>The ONNX element type whose memory layout is <typeparamref name="T"/>; Undefined when there is none.</summary>
    public static OrtElementType Of<T>()
        where T : unmanaged
    {
        // The JIT folds these typeof comparisons per instantiation, so this costs nothing at run time.
        if (typeof(T) == typeof(float)) return OrtElementType.Float;
        if (typeof(T) == typeof(long)) return OrtElementType.Int64;
        if (typeof(T) == typeof(int)) return OrtElementType.Int32;
        if (typeof(T) == typeof(byte)) return OrtElementType.UInt8;
        if (typeof(T) == typeof(sbyte)) return OrtElementType.Int8;
        if (typeof(T) == typeof(ushort)) return OrtElementType.UInt16;
        if (typeof(T) == typeof(short)) return OrtElementType.Int16;
        if (typeof(T) == typeof(bool)) return OrtElementType.Bool;
        if (typeof(T) == typeof(Half)) return OrtElementType.Float16;
        if (typeof(T) == typeof(double)) return OrtElementType.Double;
        if (typeof(T) == typeof(uint)) return OrtElementType.UInt32;
        if (typeof(T) == typeof(ulong)) return OrtElementType.UInt64;
        return OrtElementType.Undefined;
    }

    /// <summary>Bytes per element; 0 for types without a fixed size (strings) or unknown ones.</summary>
    public static int SizeOf(OrtElementType type) => type switch
    {
        OrtElementType.Float or OrtElementType.Int32 or OrtElementType.UInt32 => 4,
        OrtElementType.Int64 or OrtElementType.UInt64 or OrtElementType.Double or OrtElementType.Complex64 => 8,
        OrtElementType.UInt8 or OrtElementType.Int8 or OrtElementType.Bool => 1,
        OrtElementType.UInt16 or OrtElementType.Int16 or OrtElementType.Float16 or OrtElementType.BFloat16 => 2,
        OrtElementType.Complex128 => 16,
        _ => 0,
    };
}
