using System.Text;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Packets;

public class ConnectPacketTests
{
    [Fact]
    public void Encode_V311Minimal_MatchesSpecLayout()
    {
        var request = new ConnectRequest(MqttProtocolVersion.V311, "a", CleanStart: true, 60, null, null, null, 0, 1024);

        var bytes = PacketBytes.ToArray(ConnectPacket.Encode(request));

        // 10 | len 13 | "MQTT" | level 4 | flags: clean session | keep alive 60 | client id "a"
        Assert.Equal("100D00044D5154540402003C000161", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Encode_V5WithWillAndCredentials_SetsFlagsAndFieldsInOrder()
    {
        var will = new MqttMessage("x/available", Encoding.UTF8.GetBytes("offline"), MqttQos.AtLeastOnce, Retain: true);
        var request = new ConnectRequest(MqttProtocolVersion.V500, "cid", CleanStart: true, 30, "user", "pw", will, 0, 0x100000);

        var (header, body) = PacketBytes.Frame(PacketBytes.ToArray(ConnectPacket.Encode(request)));

        Assert.Equal(PacketType.Connect, header.Type);
        var expected = PacketBytes.Hex(
            "0004 4D515454 05" // protocol name and level 5
            + " EE"            // user, password, will retain, will QoS 1, will flag, clean start
            + " 001E"          // keep alive 30
            + " 05 27 00100000" // properties: maximum packet size
            + " 0003 636964"   // client id
            + " 00"            // will properties: none
            + " 000B 782F617661696C61626C65" // will topic
            + " 0007 6F66666C696E65"         // will payload
            + " 0004 75736572"   // user name
            + " 0002 7077");     // password
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(body));
    }
}
