using System.Buffers;

namespace EdgeSam2.Mqtt.Packets;

/// <summary>The first byte (type and flags) and remaining length that frame every packet.</summary>
internal readonly record struct FixedHeader(byte FirstByte, int RemainingLength, int HeaderLength)
{
    public PacketType Type => (PacketType)(FirstByte >> 4);

    public byte Flags => (byte)(FirstByte & 0x0F);

    public int TotalLength => HeaderLength + RemainingLength;

    /// <summary>Frames a packet at the start of <paramref name="data"/> without needing its body yet.</summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> data, out FixedHeader header)
    {
        header = default;
        if (data.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        var status = VariableByteInteger.TryDecode(data[1..], out var remaining, out var consumed);
        if (status != OperationStatus.Done)
        {
            return status;
        }

        header = new FixedHeader(data[0], remaining, 1 + consumed);
        return OperationStatus.Done;
    }
}
