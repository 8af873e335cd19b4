using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Mqtt.Tests.Broker;

public class AuthenticationTests : BrokerTestBase
{
    private protected override MosquittoBrokerOptions BrokerOptions => new()
    {
        AllowAnonymous = false,
        Users = new Dictionary<string, string> { ["agent"] = "s3cret" },
    };

    [Fact]
    public async Task ConnectAsync_WrongPassword_ThrowsWithBrokerReason()
    {
        var client = CreateClient(o => { o.Username = "agent"; o.Password = "wrong"; });

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());

        // mosquitto 2.0 answers a wrong password with "not authorized" rather than "bad user name or password".
        Assert.Equal((byte?)0x87, error.ReasonCode);
        Assert.Contains("not authorized (0x87)", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_WrongPasswordV311_ThrowsWithReturnCode()
    {
        var client = CreateClient(o => { o.Username = "agent"; o.Password = "wrong"; o.ProtocolVersion = MqttProtocolVersion.V311; });

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());

        // MQTTnet reports 3.1.1's return code 5 as its MQTT 5 equivalent, "not authorized" (0x87).
        Assert.Equal((byte?)0x87, error.ReasonCode);
        Assert.Contains("not authorized (0x87)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_RightPassword_Connects()
    {
        var client = CreateClient(o => { o.Username = "agent"; o.Password = "s3cret"; });

        await client.ConnectAsync();

        Assert.True(client.IsConnected);
    }
}
