using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

/// <summary>Helpers to look at encoded packets the way the broker would.</summary>
internal static class PacketBytes
{
    public static byte[] ToArray(OutgoingPacket packet)
    {
        var bytes = packet.Span.ToArray();
        packet.Return();
        return bytes;
    }

    /// <summary>Splits an encoded packet into its fixed header and body, checking the framing is exact.</summary>
    public static (FixedHeader Header, byte[] Body) Frame(byte[] packet)
    {
        Assert.Equal(System.Buffers.OperationStatus.Done, FixedHeader.TryRead(packet, out var header));
        Assert.Equal(packet.Length, header.TotalLength);
        return (header, packet[header.HeaderLength..]);
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
