using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class DecoderRobustnessTests
{
    // Whatever a broker (or an attacker between us) sends, decoding ends in a value, never an exception.
    [Fact]
    public void Decoders_RandomBytes_NeverThrow()
    {
        var random = new Random(1234);
        var buffer = new byte[64];
        var errors = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer);
            var body = buffer.AsSpan(0, length);
            foreach (var version in (ReadOnlySpan<MqttProtocolVersion>)[MqttProtocolVersion.V311, MqttProtocolVersion.V500])
            {
                errors += ConnAckPacket.TryDecode(body, version, out _) != MqttDecodeError.None ? 1 : 0;
                errors += PublishPacket.TryDecode((byte)(i & 0x0F), body, version, out _) != MqttDecodeError.None ? 1 : 0;
                errors += AckPackets.TryDecodePubAck(body, version, out _) != MqttDecodeError.None ? 1 : 0;
                errors += AckPackets.TryDecodeSubAck(body, version, out _) != MqttDecodeError.None ? 1 : 0;
                errors += AckPackets.TryDecodeDisconnect(body, version, out _) != MqttDecodeError.None ? 1 : 0;
            }
        }

        Assert.True(errors > 0, "random input should mostly be rejected");
    }
}
