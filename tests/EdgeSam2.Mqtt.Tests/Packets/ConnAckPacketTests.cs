using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class ConnAckPacketTests
{
    [Fact]
    public void TryDecode_V5WithProperties_ReadsWhatTheClientHonours()
    {
        var body = PacketBytes.Hex(
            "01 00"                  // session present, success
            + " 17"                  // properties length 23
            + " 13 000A"             // server keep alive 10
            + " 12 0004 61626364"    // assigned client id "abcd"
            + " 27 00000400"         // maximum packet size 1024
            + " 21 0014"             // receive maximum 20
            + " 22 0005"             // topic alias maximum 5
            + " 25 00");             // retain not available

        var error = ConnAckPacket.TryDecode(body, MqttProtocolVersion.V500, out var connAck);

        Assert.Equal(MqttDecodeError.None, error);
        Assert.NotNull(connAck);
        Assert.True(connAck.SessionPresent);
        Assert.True(connAck.IsSuccess);
        Assert.Equal((ushort)10, connAck.ServerKeepAlive);
        Assert.Equal("abcd", connAck.AssignedClientIdentifier);
        Assert.Equal(1024u, connAck.MaximumPacketSize);
        Assert.Equal((ushort)20, connAck.ReceiveMaximum);
        Assert.Equal((ushort)5, connAck.TopicAliasMaximum);
        Assert.False(connAck.RetainAvailable);
    }

    [Fact]
    public void TryDecode_V5RefusalWithReasonString_KeepsCodeAndReason()
    {
        var body = PacketBytes.Hex("00 86 07 1F 0004 6E6F7065");

        Assert.Equal(MqttDecodeError.None, ConnAckPacket.TryDecode(body, MqttProtocolVersion.V500, out var connAck));

        Assert.Equal(0x86, connAck!.ReasonCode);
        Assert.Equal("nope", connAck.ReasonString);
        Assert.Equal("bad user name or password", ConnAckPacket.Describe(0x86, MqttProtocolVersion.V500));
    }

    [Fact]
    public void TryDecode_311AnswerToV5Connect_YieldsUnacceptableVersionCode()
    {
        Assert.Equal(MqttDecodeError.None, ConnAckPacket.TryDecode(PacketBytes.Hex("0001"), MqttProtocolVersion.V500, out var connAck));

        Assert.Equal(ConnAckPacket.UnacceptableProtocolVersion311, connAck!.ReasonCode);
    }

    [Theory]
    [InlineData("00", nameof(MqttDecodeError.Truncated))]
    [InlineData("0200", nameof(MqttDecodeError.InvalidFlags))]
    [InlineData("0000 05 13 00", nameof(MqttDecodeError.Truncated))]
    [InlineData("0000 02 7F 00", nameof(MqttDecodeError.UnknownProperty))]
    [InlineData("0000 03 21 0000", nameof(MqttDecodeError.ProtocolError))]
    [InlineData("0000 04 12 0001 FF", nameof(MqttDecodeError.InvalidString))]
    [InlineData("0000 FFFFFFFF7F", nameof(MqttDecodeError.MalformedVariableByteInteger))]
    [InlineData("0000 00 AA", nameof(MqttDecodeError.ProtocolError))]
    public void TryDecode_Malformed_ReturnsErrorValue(string hex, string expected)
    {
        Assert.Equal(expected, ConnAckPacket.TryDecode(PacketBytes.Hex(hex), MqttProtocolVersion.V500, out var connAck).ToString());
        Assert.Null(connAck);
    }
}
