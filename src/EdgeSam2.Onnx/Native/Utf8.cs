using System.Runtime.InteropServices;
using System.Text;

namespace EdgeSam2.Onnx.Native;

/// <summary>Null-terminated UTF-8 strings for the C API.</summary>
internal static class Utf8
{
    /// <summary>A fresh null-terminated copy, for one call.</summary>
    public static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>
    /// A null-terminated copy on the pinned object heap: its address never changes, so a session can hand the same
    /// pointer to every Run without pinning again, and the GC frees it with the session.
    /// </summary>
    public static byte[] Pinned(string value)
    {
        var bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(value) + 1, pinned: true);
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>Address of an array from <see cref="Pinned"/>.</summary>
    public static unsafe IntPtr AddressOf(byte[] pinned) =>
        (IntPtr)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}

/// <summary>Parallel key/value arrays of native UTF-8 strings, as the provider-options update calls take them.</summary>
internal sealed unsafe class Utf8KeyValues : IDisposable
{
    private readonly IntPtr[] _keys;
    private readonly IntPtr[] _values;
    private readonly GCHandle _keysPin;
    private readonly GCHandle _valuesPin;

    public Utf8KeyValues(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        _keys = new IntPtr[pairs.Count];
        _values = new IntPtr[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            _keys[i] = Marshal.StringToCoTaskMemUTF8(pairs[i].Key);
            _values[i] = Marshal.StringToCoTaskMemUTF8(pairs[i].Value);
        }

        _keysPin = GCHandle.Alloc(_keys, GCHandleType.Pinned);
        _valuesPin = GCHandle.Alloc(_values, GCHandleType.Pinned);
    }

    public byte** Keys => (byte**)_keysPin.AddrOfPinnedObject();

    public byte** Values => (byte**)_valuesPin.AddrOfPinnedObject();

    public nuint Count => (nuint)_keys.Length;

    public void Dispose()
    {
        _keysPin.Free();
        _valuesPin.Free();
        for (var i = 0; i < _keys.Length; i++)
        {
            Marshal.FreeCoTaskMem(_keys[i]);
            Marshal.FreeCoTaskMem(_values[i]);
        }
    }
}
