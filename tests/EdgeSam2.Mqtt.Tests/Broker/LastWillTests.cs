namespace EdgeSam2.Mqtt.Tests.Broker;

public class LastWillTests : BrokerTestBase
{
    private static void WithWill(MqttClientOptions options, string clientId)
    {
        options.ClientId = clientId;
        options.Will = new MqttMessage("agent/available", Signals.Utf8("offline"), MqttQos.AtLeastOnce, Retain: true);
    }

    [Fact]
    public async Task SimulateConnectionLoss_SocketDiesWithoutDisconnect_BrokerPublishesWill()
    {
        var watcher = await ConnectClientAsync(subscriptions: "agent/available");
        var agent = await ConnectClientAsync(o => WithWill(o, "agent-crash"));

        agent.SimulateConnectionLoss();

        var will = await watcher.NextMessageAsync();
        Assert.Equal("offline", will.Text());
    }

    [Fact]
    public async Task DisconnectAsync_Clean_WillNotPublished()
    {
        var watcher = await ConnectClientAsync(subscriptions: "agent/available");
        var agent = await ConnectClientAsync(o => WithWill(o, "agent-clean"));

        await agent.DisconnectAsync();
        await Broker.WaitForLogAsync("Client agent-clean disconnected", Signals.Timeout);

        // The broker has handled the DISCONNECT; anything it published because of it precedes this marker.
        await watcher.PublishAsync(new MqttMessage("agent/available", Signals.Utf8("marker"), MqttQos.AtLeastOnce));
        Assert.Equal("marker", (await watcher.NextMessageAsync()).Text());
        Assert.False(agent.IsConnected);
    }

    [Fact]
    public async Task DisconnectAsync_WithPublishWill_BrokerPublishesWill()
    {
        var watcher = await ConnectClientAsync(subscriptions: "agent/available");
        var agent = await ConnectClientAsync(o => WithWill(o, "agent-will"));

        await agent.DisconnectAsync(publishWill: true);

        Assert.Equal("offline", (await watcher.NextMessageAsync()).Text());
    }
}
