namespace EdgeSam2.Mqtt.Tests.Broker;

/// <summary>What arrives from other clients can never stall or drop this client's connection.</summary>
public class ReceivePathTests : BrokerTestBase
{
    [Fact]
    public async Task Receive_V311MessageOverMaximumSize_DroppedCountedAndConnectionStays()
    {
        var client = await ConnectClientAsync(
            o => { o.ProtocolVersion = MqttProtocolVersion.V311; o.MaximumIncomingPacketSize = 1024; o.ClientId = "small-limit"; }, "in/#");
        var states = new StateRecorder(client);
        var other = await ConnectClientAsync();

        // 3.1.1 has no way to tell the broker the limit, so the broker sends it: any client can.
        await other.PublishAsync(new MqttMessage("in/big", new byte[8 * 1024], MqttQos.AtLeastOnce));
        await other.PublishAsync(new MqttMessage("in/small", Signals.Utf8("after"), MqttQos.AtLeastOnce));

        var next = await client.NextMessageAsync();
        Assert.Equal("in/small", next.Topic);
        Assert.Equal(1, client.Stats.OversizedMessagesDropped);
        Assert.Equal(0, client.Stats.ConnectionLosses);
        Assert.True(client.IsConnected);
        await Assert.ThrowsAsync<TimeoutException>(() => states.NextAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Messages_ReaderAwaitsQos1RepliesWhileFlooded_EveryRequestAnsweredOrCountedNoDeadlock()
    {
        const int Requests = 500;

        // The old client's read loop stalled on a full buffer while the reader waited for a PUBACK only that loop
        // could deliver. A tiny buffer and a reader that awaits every reply's PUBACK inline is that situation.
        var responder = await ConnectClientAsync(o => { o.ReceiveBufferCapacity = 4; o.ClientId = "responder"; }, "req");
        var requester = await ConnectClientAsync(o => o.ClientId = "requester", "rep");
        var answered = 0;
        var serving = Task.Run(async () =>
        {
            await foreach (var request in responder.Messages.ReadAllAsync())
            {
                await responder.PublishAsync(new MqttMessage("rep", request.Payload.ToArray(), MqttQos.AtLeastOnce));
                Interlocked.Increment(ref answered);
            }
        });

        for (var i = 0; i < Requests; i++)
        {
            requester.Post(new MqttMessage("req", BitConverter.GetBytes(i), MqttQos.AtLeastOnce));
        }

        await Eventually.TrueAsync(
            () => responder.Stats.MessagesReceived == Requests,
            $"the responder received all {Requests} requests (received {responder.Stats.MessagesReceived})",
            TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(
            () => Volatile.Read(ref answered) + responder.Stats.ReceivedMessagesDropped == Requests,
            $"every request answered or counted as dropped (answered {Volatile.Read(ref answered)}, dropped {responder.Stats.ReceivedMessagesDropped})",
            TimeSpan.FromSeconds(30));

        var replies = new HashSet<int>();
        while (replies.Count < Volatile.Read(ref answered))
        {
            Assert.True(replies.Add(BitConverter.ToInt32((await requester.NextMessageAsync()).Payload.Span)));
        }

        Assert.Equal(0, responder.Stats.ConnectionLosses);
        Assert.True(Volatile.Read(ref answered) > 0);
        _ = serving;
    }

    [Fact]
    public async Task TryPublish_RefusedByFullBufferWhileBrokerStalls_NoInFlightSlotLeaks()
    {
        var receiver = await ConnectClientAsync(subscriptions: "q");
        var sender = await ConnectClientAsync(o => { o.MaxInFlightMessages = 2; o.SendBufferCapacity = 2; o.KeepAlive = TimeSpan.FromMinutes(5); });

        Broker.Freeze();
        try
        {
            sender.Post(new MqttMessage("q", Signals.Utf8("e1"), MqttQos.AtLeastOnce));
            sender.Post(new MqttMessage("q", Signals.Utf8("e2"), MqttQos.AtLeastOnce));
            await Eventually.TrueAsync(() => sender.Stats.InFlightMessages == 2, "both in-flight slots taken");

            // Slots taken, the broker silent: two more fit the buffer, the third is refused.
            Assert.True(sender.TryPublish(new MqttMessage("q", Signals.Utf8("p1"), MqttQos.AtLeastOnce)));
            Assert.True(sender.TryPublish(new MqttMessage("q", Signals.Utf8("p2"), MqttQos.AtLeastOnce)));
            Assert.False(sender.TryPublish(new MqttMessage("q", Signals.Utf8("refused"), MqttQos.AtLeastOnce)));
            Assert.Equal(1, sender.Stats.MessagesDropped);
        }
        finally
        {
            Broker.Thaw();
        }

        // With a leaked slot this PUBACK would never be waited for: the limit is 2.
        for (var i = 0; i < 10; i++)
        {
            await sender.PublishAsync(new MqttMessage("q", Signals.Utf8($"after{i}"), MqttQos.AtLeastOnce)).AsTask().WaitAsync(Signals.Timeout);
        }

        var texts = new List<string>();
        for (var i = 0; i < 14; i++)
        {
            texts.Add((await receiver.NextMessageAsync()).Text());
        }

        Assert.Equal(["e1", "e2", "p1", "p2", .. Enumerable.Range(0, 10).Select(i => $"after{i}")], texts);
        await Eventually.TrueAsync(() => sender.Stats.InFlightMessages == 0, "no message left in flight");
        Assert.Equal(0, sender.Stats.ConnectionLosses);
    }
}
