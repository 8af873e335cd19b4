namespace EdgeSam2.Mqtt.Tests.Broker;

public class PublishSubscribeTests : BrokerTestBase
{
    [Fact]
    public async Task PublishAsync_Qos0_SubscriberReceives()
    {
        var subscriber = await ConnectClientAsync(subscriptions: "cam/+/tracks");
        var publisher = await ConnectClientAsync();

        await publisher.PublishAsync(new MqttMessage("cam/1/tracks", Signals.Utf8("frame 1")));

        var received = await subscriber.NextMessageAsync();
        Assert.Equal("cam/1/tracks", received.Topic);
        Assert.Equal("frame 1", received.Text());
        Assert.Equal(MqttQos.AtMostOnce, received.Qos);
        Assert.Equal(MqttProtocolVersion.V500, publisher.NegotiatedProtocolVersion);
        Assert.Equal(1, publisher.Stats.MessagesSent);
    }

    [Fact]
    public async Task PublishAsync_Qos1_CompletesOnPubAckAndSubscriberReceivesAtQos1()
    {
        var subscriber = await ConnectClientAsync(subscriptions: "events");
        var publisher = await ConnectClientAsync();

        await publisher.PublishAsync(new MqttMessage("events", Signals.Utf8("created"), MqttQos.AtLeastOnce));

        Assert.Equal(1, publisher.Stats.MessagesAcknowledged);
        var received = await subscriber.NextMessageAsync();
        Assert.Equal("created", received.Text());
        Assert.Equal(MqttQos.AtLeastOnce, received.Qos);
        Assert.Equal(1, subscriber.Stats.MessagesReceived);
    }

    [Fact]
    public async Task TryPublish_ManyFrames_AllArriveInOrder()
    {
        var subscriber = await ConnectClientAsync(subscriptions: "frames");
        var publisher = await ConnectClientAsync(o => o.SendBufferCapacity = 1024);

        for (var i = 0; i < 500; i++)
        {
            Assert.True(publisher.TryPublish(new MqttMessage("frames", BitConverter.GetBytes(i))));
        }

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32((await subscriber.NextMessageAsync()).Payload.Span));
        }
    }

    [Fact]
    public async Task PublishAsync_Retained_DeliveredToLateSubscriberWithRetainFlag()
    {
        var publisher = await ConnectClientAsync();
        await publisher.PublishAsync(new MqttMessage("agent/available", Signals.Utf8("online"), MqttQos.AtLeastOnce, Retain: true));

        var late = await ConnectClientAsync(subscriptions: "agent/available");

        var received = await late.NextMessageAsync();
        Assert.Equal("online", received.Text());
        Assert.True(received.Retain);
    }

    [Fact]
    public async Task PublishAsync_V5RequestProperties_ArriveIntact()
    {
        var responder = await ConnectClientAsync(subscriptions: "agent/cam1/prompt");
        var requester = await ConnectClientAsync();
        var request = new MqttMessage("agent/cam1/prompt", Signals.Utf8("{\"points\":[[1,2,1]]}"), MqttQos.AtLeastOnce)
        {
            ResponseTopic = "operator/replies/42",
            CorrelationData = new byte[] { 0, 1, 2, 250 },
            ContentType = "application/json",
            PayloadIsUtf8 = true,
            UserProperties = [new MqttUserProperty("request-id", "r-1"), new MqttUserProperty("origin", "ui")],
        };

        await requester.PublishAsync(request);

        var received = await responder.NextMessageAsync();
        Assert.Equal("operator/replies/42", received.ResponseTopic);
        Assert.Equal(new byte[] { 0, 1, 2, 250 }, received.CorrelationData!.Value.ToArray());
        Assert.Equal("application/json", received.ContentType);
        Assert.True(received.PayloadIsUtf8);
        Assert.Equal(request.UserProperties, received.UserProperties);
    }

    [Fact]
    public async Task ConnectAsync_ExplicitV311_BrokerSeesProtocolLevel4AndRoundTripWorks()
    {
        var subscriber = await ConnectClientAsync(o => { o.ProtocolVersion = MqttProtocolVersion.V311; o.ClientId = "old-sub"; }, "legacy");
        var publisher = await ConnectClientAsync(o => o.ProtocolVersion = MqttProtocolVersion.V311);

        await publisher.PublishAsync(new MqttMessage("legacy", Signals.Utf8("hello 3.1.1"), MqttQos.AtLeastOnce) { ResponseTopic = "ignored" });

        var received = await subscriber.NextMessageAsync();
        Assert.Equal("hello 3.1.1", received.Text());
        Assert.Null(received.ResponseTopic);
        Assert.Equal(MqttProtocolVersion.V311, subscriber.NegotiatedProtocolVersion);

        // mosquitto logs the protocol as "p2" for 3.1.1 and "p5" for 5.0.
        var line = await Broker.WaitForLogAsync("as old-sub", Signals.Timeout);
        Assert.Contains("(p2,", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscribeAsync_InvalidFilter_ThrowsBeforeSending()
    {
        var client = await ConnectClientAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeAsync([new MqttSubscription("a/#/b")]));
    }
}
