using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>
/// Builds one packet in a pooled array. The body is written after a reserved 5-byte prefix and the fixed header is
/// filled in by <see cref="Complete"/>, because the remaining length is only known once the body is done.
/// </summary>
internal sealed class PacketWriter
{
    private const int HeaderReserve = 5;
    private const int PropertyLengthReserve = 4;

    [ThreadStatic]
    private static PacketWriter? t_cached;

    private byte[] _buffer = [];
    private int _position;

    private PacketWriter()
    {
    }

    /// <summary>A writer for the calling thread; encoding is synchronous, so one per thread suffices.</summary>
    public static PacketWriter Start(int sizeHint = 256)
    {
        var writer = t_cached ?? new PacketWriter();
        t_cached = null;
        writer._buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 64) + HeaderReserve);
        writer._position = HeaderReserve;
        return writer;
    }

    public int BodyLength => _position - HeaderReserve;

    public void WriteByte(byte value) => Grow(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void WriteVariableByteInteger(int value) =>
        VariableByteInteger.Encode(value, Grow(VariableByteInteger.SizeOf(value)));

    public void WriteBytes(ReadOnlySpan<byte> value) => value.CopyTo(Grow(value.Length));

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT binary data holds at most 65535 bytes.", nameof(value));
        }

        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("MQTT strings hold at most 65535 UTF-8 bytes.", nameof(value));
        }

        WriteUInt16((ushort)length);
        Encoding.UTF8.GetBytes(value, Grow(length));
    }

    /// <summary>Reserves room for a property block's length; pass the mark to <see cref="EndProperties"/>.</summary>
    public int BeginProperties()
    {
        var mark = _position;
        Grow(PropertyLengthReserve);
        return mark;
    }

    /// <summary>Writes the block's length and closes the gap left by the reservation.</summary>
    public void EndProperties(int mark)
    {
        var length = _position - mark - PropertyLengthReserve;
        var prefix = VariableByteInteger.SizeOf(length);
        var gap = PropertyLengthReserve - prefix;
        _buffer.AsSpan(mark + PropertyLengthReserve, length).CopyTo(_buffer.AsSpan(mark + prefix));
        VariableByteInteger.Encode(length, _buffer.AsSpan(mark, prefix));
        _position -= gap;
    }

    public void WriteProperty(PropertyId id, byte value)
    {
        WriteByte((byte)id);
        WriteByte(value);
    }

    public void WriteProperty(PropertyId id, ushort value)
    {
        WriteByte((byte)id);
        WriteUInt16(value);
    }

    public void WriteProperty(PropertyId id, uint value)
    {
        WriteByte((byte)id);
        WriteUInt32(value);
    }

    public void WriteProperty(PropertyId id, string value)
    {
        WriteByte((byte)id);
        WriteString(value);
    }

    public void WriteBinaryProperty(PropertyId id, ReadOnlySpan<byte> value)
    {
        WriteByte((byte)id);
        WriteBinary(value);
    }

    public void WriteUserProperties(IReadOnlyList<MqttUserProperty>? properties)
    {
        if (properties is null)
        {
            return;
        }

        for (var i = 0; i < properties.Count; i++)
        {
            WriteByte((byte)PropertyId.UserProperty);
            WriteString(properties[i].Name);
            WriteString(properties[i].Value);
        }
    }

    /// <summary>Writes the fixed header and hands the buffer over; the writer goes back to the thread cache.</summary>
    public OutgoingPacket Complete(PacketType type, byte flags = 0)
    {
        var remaining = BodyLength;
        var lengthSize = VariableByteInteger.SizeOf(remaining);
        var start = HeaderReserve - 1 - lengthSize;
        _buffer[start] = (byte)(((byte)type << 4) | (flags & 0x0F));
        VariableByteInteger.Encode(remaining, _buffer.AsSpan(start + 1, lengthSize));
        var packet = new OutgoingPacket(_buffer, start, _position - start);
        _buffer = [];
        t_cached = this;
        return packet;
    }

    private Span<byte> Grow(int size)
    {
        if (_position + size > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + size));
            _buffer.AsSpan(0, _position).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var span = _buffer.AsSpan(_position, size);
        _position += size;
        return span;
    }
}
