using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class AckPacketsTests
{
    [Fact]
    public void EncodePubAck_Always_TwoByteForm()
    {
        Assert.Equal("4002ABCD", Convert.ToHexString(PacketBytes.ToArray(AckPackets.EncodePubAck(0xABCD))));
    }

    [Fact]
    public void EncodePingReq_Always_SpecBytes()
    {
        Assert.Equal("C000", Convert.ToHexString(PacketBytes.ToArray(AckPackets.EncodePingReq())));
    }

    [Fact]
    public void EncodeSubscribe_V5_ReservedFlagsEmptyPropertiesAndOptions()
    {
        MqttSubscription[] subscriptions = [new("a/#", MqttQos.AtLeastOnce) { NoLocal = true }, new("b", MqttQos.AtMostOnce)];

        var bytes = PacketBytes.ToArray(AckPackets.EncodeSubscribe(5, subscriptions, MqttProtocolVersion.V500));

        Assert.Equal("820D" + "0005" + "00" + "0003612F23" + "05" + "000162" + "00", Convert.ToHexString(bytes));
    }

    [Fact]
    public void EncodeDisconnect_V5WithWill_CarriesReason4_AndNormalIsEmpty()
    {
        Assert.Equal("E00104", Convert.ToHexString(PacketBytes.ToArray(AckPackets.EncodeDisconnect(0x04, MqttProtocolVersion.V500))));
        Assert.Equal("E000", Convert.ToHexString(PacketBytes.ToArray(AckPackets.EncodeDisconnect(0x00, MqttProtocolVersion.V500))));
        Assert.Equal("E000", Convert.ToHexString(PacketBytes.ToArray(AckPackets.EncodeDisconnect(0x04, MqttProtocolVersion.V311))));
    }

    [Theory]
    [InlineData("0007", 0x00, null)]
    [InlineData("0007 10", 0x10, null)]
    [InlineData("0007 87 07 1F 0004 64656E79", 0x87, "deny")]
    public void TryDecodePubAck_V5Forms_ReadsReason(string hex, byte reason, string? reasonString)
    {
        Assert.Equal(MqttDecodeError.None, AckPackets.TryDecodePubAck(PacketBytes.Hex(hex), MqttProtocolVersion.V500, out var ack));

        Assert.Equal(7, ack.PacketId);
        Assert.Equal(reason, ack.ReasonCode);
        Assert.Equal(reasonString, ack.ReasonString);
    }

    [Theory]
    [InlineData("00", nameof(MqttDecodeError.Truncated))]
    [InlineData("0000", nameof(MqttDecodeError.ProtocolError))]
    [InlineData("0001 00 05 1F", nameof(MqttDecodeError.Truncated))]
    public void TryDecodePubAck_Malformed_ReturnsErrorValue(string hex, string expected)
    {
        Assert.Equal(expected, AckPackets.TryDecodePubAck(PacketBytes.Hex(hex), MqttProtocolVersion.V500, out _).ToString());
    }

    [Fact]
    public void TryDecodeSubAck_V5AndV311_ReadsEveryCode()
    {
        Assert.Equal(MqttDecodeError.None, AckPackets.TryDecodeSubAck(PacketBytes.Hex("0003 00 01 87"), MqttProtocolVersion.V500, out var v5));
        Assert.Equal(MqttDecodeError.None, AckPackets.TryDecodeSubAck(PacketBytes.Hex("0003 80"), MqttProtocolVersion.V311, out var v311));

        Assert.Equal(new byte[] { 0x01, 0x87 }, v5.ReasonCodes);
        Assert.Equal(new byte[] { 0x80 }, v311.ReasonCodes);
    }

    [Fact]
    public void TryDecodeSubAck_NoCodes_ProtocolError()
    {
        Assert.Equal(MqttDecodeError.ProtocolError, AckPackets.TryDecodeSubAck(PacketBytes.Hex("0003 00"), MqttProtocolVersion.V500, out _));
    }

    [Fact]
    public void TryDecodeDisconnect_V5WithReasonString_ReadsIt()
    {
        Assert.Equal(MqttDecodeError.None, AckPackets.TryDecodeDisconnect(PacketBytes.Hex("8E 06 1F 0003 627965"), MqttProtocolVersion.V500, out var disconnect));

        Assert.Equal(0x8E, disconnect.ReasonCode);
        Assert.Equal("bye", disconnect.ReasonString);
    }
}
