using EdgeSam2.Mqtt.Client;
using EdgeSam2.Mqtt.Packets;
using EdgeSam2.Mqtt.Tests.Packets;

namespace EdgeSam2.Mqtt.Tests.Client;

public class FrameReaderTests
{
    /// <summary>A stream that hands out at most <paramref name="chunk"/> bytes per read, as TCP may.</summary>
    private sealed class TricklingStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100_000)]
    public async Task ReadAsync_PacketsSplitAcrossReads_YieldsEachWholePacket(int chunk)
    {
        var big = new byte[20_000];
        new Random(7).NextBytes(big);
        var stream = new MemoryStream();
        stream.Write(PacketBytes.Hex("D000"));
        stream.Write(PacketBytes.ToArray(PublishPacket.Encode(new MqttMessage("big", big), 0, false, MqttProtocolVersion.V311)));
        stream.Write(PacketBytes.Hex("4002 0001"));
        using var reader = new FrameReader(new TricklingStream(stream.ToArray(), chunk), 1 << 20);

        var ping = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(PacketType.PingResp, ping.Header.Type);
        var publish = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(PacketType.Publish, publish.Header.Type);
        Assert.Equal(MqttDecodeError.None, PublishPacket.TryDecode(publish.Header.Flags, publish.Body.Span, MqttProtocolVersion.V311, out var decoded));
        Assert.Equal(big, decoded.Message.Payload.ToArray());
        var ack = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal(PacketType.PubAck, ack.Header.Type);
        Assert.Equal(FrameStatus.Closed, (await reader.ReadAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task ReadAsync_RemainingLengthOverFourBytes_Malformed()
    {
        using var reader = new FrameReader(new MemoryStream(PacketBytes.Hex("30FFFFFFFF7F")), 1 << 20);

        Assert.Equal(FrameStatus.Malformed, (await reader.ReadAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task ReadAsync_PacketAboveMaximum_TooLarge()
    {
        using var reader = new FrameReader(new MemoryStream(PacketBytes.Hex("30FF7F")), 1024);

        Assert.Equal(FrameStatus.TooLarge, (await reader.ReadAsync(CancellationToken.None)).Status);
    }
}
