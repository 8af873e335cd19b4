namespace EdgeSam2.Mqtt.Tests.Broker;

public class ReconnectTests : BrokerTestBase
{
    [Fact]
    public async Task BrokerRestart_ClientReconnectsResubscribesAndDeliversQueuedQos1()
    {
        var client = await ConnectClientAsync(o => o.ClientId = "survivor", "edge/#");
        var states = new StateRecorder(client);

        Broker.Kill();
        var lost = await states.NextAsync();
        Assert.False(lost.IsConnected);
        Assert.False(client.IsConnected);

        // While down: QoS 1 waits in the queue, perishable QoS 0 is dropped and counted.
        await client.PublishAsync(new MqttMessage("edge/events", Signals.Utf8("queued while down"), MqttQos.AtLeastOnce));
        await client.PublishAsync(new MqttMessage("edge/tracks", Signals.Utf8("perishable")));
        Assert.False(client.TryPublish(new MqttMessage("edge/tracks", Signals.Utf8("perishable"))));
        Assert.Equal(1, client.Stats.QueuedMessages);
        Assert.Equal(2, client.Stats.MessagesDropped);

        await Broker.RestartAsync();
        var back = await states.NextAsync();
        Assert.True(back.IsConnected);
        Assert.True(back.IsReconnect);

        // The broker lost every subscription with its restart: receiving our own queued message proves the
        // subscription was restored before the queue was resent.
        var queued = await client.NextMessageAsync();
        Assert.Equal("queued while down", queued.Text());

        var other = await ConnectClientAsync();
        await other.PublishAsync(new MqttMessage("edge/after", Signals.Utf8("after restart"), MqttQos.AtLeastOnce));
        Assert.Equal("after restart", (await client.NextMessageAsync()).Text());

        var stats = client.Stats;
        Assert.Equal(1, stats.Reconnects);
        Assert.Equal(1, stats.ConnectionLosses);
        Assert.Equal(0, stats.QueuedMessages);
    }

    [Fact]
    public async Task PublishAsync_QueueFullWhileDisconnected_DropsOldestAndCounts()
    {
        var client = await ConnectClientAsync(o => o.MaxQueuedMessages = 2, "q");
        var states = new StateRecorder(client);
        Broker.Kill();
        await states.NextAsync();

        for (var i = 1; i <= 3; i++)
        {
            await client.PublishAsync(new MqttMessage("q", Signals.Utf8($"m{i}"), MqttQos.AtLeastOnce));
        }

        Assert.Equal(2, client.Stats.QueuedMessages);
        Assert.Equal(1, client.Stats.QueuedMessagesDropped);

        await Broker.RestartAsync();
        Assert.True((await states.NextAsync()).IsConnected);
        Assert.Equal("m2", (await client.NextMessageAsync()).Text());
        Assert.Equal("m3", (await client.NextMessageAsync()).Text());
    }

    [Fact]
    public async Task SimulateConnectionLoss_ClientComesBackByItself()
    {
        var client = await ConnectClientAsync(subscriptions: "x");
        var states = new StateRecorder(client);

        client.SimulateConnectionLoss();

        Assert.False((await states.NextAsync()).IsConnected);
        Assert.True((await states.NextAsync()).IsConnected);
        await client.PublishAsync(new MqttMessage("x", Signals.Utf8("still subscribed"), MqttQos.AtLeastOnce));
        Assert.Equal("still subscribed", (await client.NextMessageAsync()).Text());
    }

    [Fact]
    public async Task BrokerFrozenWhileStreaming_LossNoticedWithinKeepAliveAndClientComesBack()
    {
        var client = await ConnectClientAsync(o => { o.KeepAlive = TimeSpan.FromSeconds(1); o.ClientId = "pinger"; }, "x");
        var states = new StateRecorder(client);

        Broker.Freeze();
        MqttConnectionStateChangedEventArgs lost;
        using (var streaming = new CancellationTokenSource())
        {
            // A busy client: MQTTnet on its own pings only when nothing else is sent.
            var frames = Task.Run(async () =>
            {
                while (!streaming.IsCancellationRequested)
                {
                    client.TryPublish(new MqttMessage("x/tracks", Signals.Utf8("frame")));
                    await Task.Delay(20, CancellationToken.None);
                }
            });
            try
            {
                lost = await states.NextAsync();
            }
            finally
            {
                await streaming.CancelAsync();
                await frames;
                Broker.Thaw();
            }
        }

        Assert.False(lost.IsConnected);
        Assert.Contains("PINGREQ", lost.Reason, StringComparison.Ordinal);
        Assert.True((await states.NextAsync(TimeSpan.FromSeconds(30))).IsConnected);
    }
}
