using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>
/// Reads MQTT data types from a packet body. Errors are sticky: after the first one every read returns a default
/// and <see cref="Error"/> says what went wrong, so decoders check once instead of after every field.
/// </summary>
internal ref struct PacketReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public MqttDecodeError Error { get; private set; }

    public readonly int Remaining => Error == MqttDecodeError.None ? _data.Length - _position : 0;

    public readonly bool HasMore => Remaining > 0;

    public void Fail(MqttDecodeError error)
    {
        if (Error == MqttDecodeError.None)
        {
            Error = error;
        }
    }

    public byte ReadByte() => Take(1) is { IsEmpty: false } span ? span[0] : (byte)0;

    public ushort ReadUInt16() => Take(2) is { IsEmpty: false } span ? BinaryPrimitives.ReadUInt16BigEndian(span) : (ushort)0;

    public uint ReadUInt32() => Take(4) is { IsEmpty: false } span ? BinaryPrimitives.ReadUInt32BigEndian(span) : 0u;

    public int ReadVariableByteInteger()
    {
        if (Error != MqttDecodeError.None)
        {
            return 0;
        }

        switch (VariableByteInteger.TryDecode(_data[_position..], out var value, out var consumed))
        {
            case OperationStatus.Done:
                _position += consumed;
                return value;
            case OperationStatus.NeedMoreData:
                Fail(MqttDecodeError.Truncated);
                return 0;
            default:
                Fail(MqttDecodeError.MalformedVariableByteInteger);
                return 0;
        }
    }

    /// <summary>A length-prefixed byte field (binary data, or a string before validation).</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = ReadUInt16();
        return Take(length);
    }

    /// <summary>A UTF-8 string: well-formed and free of U+0000 as MQTT requires.</summary>
    public string ReadString()
    {
        var bytes = ReadBinary();
        if (Error != MqttDecodeError.None)
        {
            return "";
        }

        if (!Utf8.IsValid(bytes) || bytes.Contains((byte)0))
        {
            Fail(MqttDecodeError.InvalidString);
            return "";
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The next <paramref name="length"/> bytes as their own reader (e.g. a property block).</summary>
    public PacketReader ReadSlice(int length)
    {
        var slice = Take(length);
        var reader = new PacketReader(slice);
        if (Error != MqttDecodeError.None)
        {
            reader.Fail(Error);
        }

        return reader;
    }

    /// <summary>Everything not read yet (the payload of a PUBLISH).</summary>
    public ReadOnlySpan<byte> ReadToEnd() => Take(Remaining);

    private ReadOnlySpan<byte> Take(int length)
    {
        if (Error != MqttDecodeError.None)
        {
            return default;
        }

        if (length > _data.Length - _position)
        {
            Fail(MqttDecodeError.Truncated);
            return default;
        }

        var span = _data.Slice(_position, length);
        _position += length;
        return span;
    }
}
