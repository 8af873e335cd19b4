using System.Diagnostics;
using Xunit.Abstractions;

namespace EdgeSam2.Mqtt.Tests.Broker;

public class BrokerRestartTests(ITestOutputHelper output) : BrokerTestBase
{
    [Fact]
    public async Task BrokerRestarted20Times_QueuedEventsDeliveredOnceAndRetainedStateRepublishedEachTime()
    {
        const int Restarts = 20;
        const int EventsPerOutage = 5;
        var agent = CreateClient(o =>
        {
            o.ClientId = "restart-agent";
            o.Will = new MqttMessage("agent/available", Signals.Utf8("offline"), MqttQos.AtLeastOnce, Retain: true);
        });

        // As the agent does: every (re)connection re-publishes the retained state, which the broker lost with its restart.
        var connections = 0;
        agent.ConnectionStateChanged += (_, e) =>
        {
            if (e.IsConnected)
            {
                var n = Interlocked.Increment(ref connections);
                agent.Post(new MqttMessage("agent/available", Signals.Utf8("online"), MqttQos.AtLeastOnce, Retain: true));
                agent.Post(new MqttMessage("agent/cam1/status", Signals.Utf8($"status after connection {n}"), MqttQos.AtLeastOnce, Retain: true));
            }
        };
        var states = new StateRecorder(agent);
        await agent.SubscribeAsync([new MqttSubscription("agent/events")]);
        agent.Start();
        Assert.True((await states.NextAsync()).IsConnected);

        var seen = new Dictionary<string, int>();
        var reconnectMs = new List<double>();
        for (var outage = 1; outage <= Restarts; outage++)
        {
            Broker.Kill();
            Assert.False((await states.NextAsync()).IsConnected);
            for (var i = 0; i < EventsPerOutage; i++)
            {
                agent.Post(new MqttMessage("agent/events", Signals.Utf8($"o{outage}-e{i}"), MqttQos.AtLeastOnce));
                Assert.False(agent.TryPublish(new MqttMessage("agent/cam1/tracks", Signals.Utf8("frame"))));
            }

            // Status changes while down: only the latest is kept for the broker.
            agent.Post(new MqttMessage("agent/cam1/status", Signals.Utf8($"status during outage {outage}"), MqttQos.AtLeastOnce, Retain: true));

            await Broker.RestartAsync();
            var restarted = Stopwatch.StartNew();
            var back = await states.NextAsync();
            reconnectMs.Add(restarted.Elapsed.TotalMilliseconds);
            Assert.True(back.IsConnected);
            Assert.True(back.IsReconnect);

            // The agent subscribes to its own events: the subscription is restored before the outbox is sent.
            for (var i = 0; i < EventsPerOutage; i++)
            {
                var text = (await agent.NextMessageAsync()).Text();
                seen[text] = seen.GetValueOrDefault(text) + 1;
            }

            // Acknowledged means the broker holds it: only then can a newcomer be sure to see the retained state.
            await Eventually.TrueAsync(() => agent.Stats is { QueuedMessages: 0, InFlightMessages: 0 }, "the outbox delivered");
            await using var late = await LateSubscriberAsync("agent/available", "agent/cam1/status");
            var retained = new Dictionary<string, string>();
            for (var i = 0; i < 2; i++)
            {
                var m = await late.NextMessageAsync();
                Assert.True(m.Retain);
                retained[m.Topic] = m.Text();
            }

            Assert.Equal("online", retained["agent/available"]);
            Assert.StartsWith("status after connection", retained["agent/cam1/status"], StringComparison.Ordinal);
        }

        // A marker after everything: any duplicate would arrive before it.
        await agent.PublishAsync(new MqttMessage("agent/events", Signals.Utf8("marker"), MqttQos.AtLeastOnce));
        for (var text = (await agent.NextMessageAsync()).Text(); text != "marker"; text = (await agent.NextMessageAsync()).Text())
        {
            seen[text] = seen.GetValueOrDefault(text) + 1;
        }

        Assert.Equal(Restarts * EventsPerOutage, seen.Count);
        Assert.All(seen, kv => Assert.Equal(1, kv.Value));
        var stats = agent.Stats;
        Assert.Equal(Restarts, stats.Reconnects);
        Assert.Equal(Restarts, stats.ConnectionLosses);
        Assert.Equal(0, stats.QueuedMessagesDropped);
        Assert.Equal(Restarts * EventsPerOutage, stats.MessagesDropped);
        reconnectMs.Sort();
        output.WriteLine($"reconnect after broker restart (back-off 50..200 ms): min {reconnectMs[0]:0} ms, median {reconnectMs[Restarts / 2]:0} ms, max {reconnectMs[^1]:0} ms");
    }

    private async Task<MqttClient> LateSubscriberAsync(params string[] filters)
    {
        var client = new MqttClient(new MqttClientOptions { Host = Broker.Host, Port = Broker.Port });
        await client.ConnectAsync();
        await client.SubscribeAsync([.. filters.Select(f => new MqttSubscription(f))]);
        return client;
    }
}
