using System.Text;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class PublishPacketTests
{
    [Fact]
    public void Encode_V311Qos0_MatchesSpecLayout()
    {
        var message = new MqttMessage("a/b", Encoding.UTF8.GetBytes("hi"));

        var bytes = PacketBytes.ToArray(PublishPacket.Encode(message, 0, false, MqttProtocolVersion.V311));

        Assert.Equal("30070003612F626869", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Encode_V5Qos1RetainDup_SetsFixedHeaderFlags()
    {
        var message = new MqttMessage("t", new byte[] { 1 }, MqttQos.AtLeastOnce, Retain: true);

        var (header, body) = PacketBytes.Frame(PacketBytes.ToArray(PublishPacket.Encode(message, 7, true, MqttProtocolVersion.V500)));

        Assert.Equal(PacketType.Publish, header.Type);
        Assert.Equal(0x0B, header.Flags);
        Assert.Equal("00017400070001", Convert.ToHexString(body));
    }

    [Fact]
    public void EncodeThenDecode_V5AllProperties_RoundTrip()
    {
        var longValue = new string('v', 300); // pushes the property block past a one-byte length
        var message = new MqttMessage("edgesam2/a/cam1/prompt", Encoding.UTF8.GetBytes("{\"x\":1}"), MqttQos.AtLeastOnce)
        {
            ResponseTopic = "reply/here",
            CorrelationData = new byte[] { 0xDE, 0xAD, 0xBE, 0xEF },
            ContentType = "application/json",
            MessageExpiryInterval = 60,
            PayloadIsUtf8 = true,
            UserProperties = [new MqttUserProperty("k", "v"), new MqttUserProperty("k", longValue)],
        };

        var (header, body) = PacketBytes.Frame(PacketBytes.ToArray(PublishPacket.Encode(message, 42, false, MqttProtocolVersion.V500)));
        var error = PublishPacket.TryDecode(header.Flags, body, MqttProtocolVersion.V500, out var decoded);

        Assert.Equal(MqttDecodeError.None, error);
        Assert.Equal(42, decoded.PacketId);
        Assert.False(decoded.Duplicate);
        var received = decoded.Message;
        Assert.Equal(message.Topic, received.Topic);
        Assert.Equal(message.Payload.ToArray(), received.Payload.ToArray());
        Assert.Equal(MqttQos.AtLeastOnce, received.Qos);
        Assert.Equal("reply/here", received.ResponseTopic);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, received.CorrelationData!.Value.ToArray());
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal(60u, received.MessageExpiryInterval);
        Assert.True(received.PayloadIsUtf8);
        Assert.Equal(message.UserProperties, received.UserProperties);
    }

    [Fact]
    public void EncodeThenDecode_V311_DropsV5PropertiesAndKeepsPayload()
    {
        var message = new MqttMessage("a", new byte[] { 0, 1, 2 }, MqttQos.AtLeastOnce, true) { ResponseTopic = "r" };

        var (header, body) = PacketBytes.Frame(PacketBytes.ToArray(PublishPacket.Encode(message, 1, false, MqttProtocolVersion.V311)));
        Assert.Equal(MqttDecodeError.None, PublishPacket.TryDecode(header.Flags, body, MqttProtocolVersion.V311, out var decoded));

        Assert.Null(decoded.Message.ResponseTopic);
        Assert.True(decoded.Message.Retain);
        Assert.Equal(new byte[] { 0, 1, 2 }, decoded.Message.Payload.ToArray());
    }

    [Theory]
    [InlineData(0x06, "0001 61 0001 00", nameof(MqttDecodeError.InvalidFlags))]          // QoS 3
    [InlineData(0x02, "0001 61 0000 00", nameof(MqttDecodeError.ProtocolError))]         // packet id 0
    [InlineData(0x00, "0005 61", nameof(MqttDecodeError.Truncated))]                     // topic longer than the packet
    [InlineData(0x00, "0002 C328 00", nameof(MqttDecodeError.InvalidString))]            // invalid UTF-8
    [InlineData(0x00, "0001 00 00", nameof(MqttDecodeError.InvalidString))]              // U+0000 in the topic
    [InlineData(0x00, "0001 61 03 23 0001", nameof(MqttDecodeError.ProtocolError))]      // topic alias although the client allows none
    [InlineData(0x00, "0001 61 02 7F 00", nameof(MqttDecodeError.UnknownProperty))]
    [InlineData(0x00, "0001 61 FFFFFFFF7F", nameof(MqttDecodeError.MalformedVariableByteInteger))]
    [InlineData(0x00, "0001 61 0A 08 0002 61", nameof(MqttDecodeError.Truncated))]       // property block longer than the packet
    [InlineData(0x00, "0001 23 00", nameof(MqttDecodeError.ProtocolError))]              // wildcard in a topic name
    [InlineData(0x00, "0000 00", nameof(MqttDecodeError.ProtocolError))]                 // empty topic
    public void TryDecode_Malformed_ReturnsErrorValue(byte flags, string hex, string expected)
    {
        Assert.Equal(expected, PublishPacket.TryDecode(flags, PacketBytes.Hex(hex), MqttProtocolVersion.V500, out _).ToString());
    }
}
