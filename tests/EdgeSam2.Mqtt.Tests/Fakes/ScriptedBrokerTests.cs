using System.Buffers.Binary;
using EdgeSam2.Mqtt.Packets;
using EdgeSam2.Mqtt.Tests.Broker;
using EdgeSam2.Testing;

namespace EdgeSam2.Mqtt.Tests.Fakes;

public class ScriptedBrokerTests
{
    private const string ConnAckV5Success = "20 03 00 00 00";

    private static MqttClient CreateClient(int port, Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        return new MqttClient(options);
    }

    /// <summary>CONNECT's protocol level byte: after the 2-byte length and "MQTT".</summary>
    private static byte ProtocolLevel(ReceivedPacket connect) => connect.Body[6];

    [Fact]
    public async Task ConnectAsync_AutoAgainst311OnlyBroker_FallsBackTo311()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port);

        var connecting = client.ConnectAsync();
        using (var first = await broker.AcceptAsync())
        {
            var connect = await first.ReadUntilAsync(PacketType.Connect);
            Assert.Equal(5, ProtocolLevel(connect));

            // What a 3.1.1 broker says to a protocol level it does not know, before closing.
            await first.SendAsync("20 02 00 01");
        }

        using var second = await broker.AcceptAsync();
        Assert.Equal(4, ProtocolLevel(await second.ReadUntilAsync(PacketType.Connect)));
        await second.SendAsync("20 02 00 00");
        await connecting;

        Assert.True(client.IsConnected);
        Assert.Equal(MqttProtocolVersion.V311, client.NegotiatedProtocolVersion);
        await client.PublishAsync(new MqttMessage("t", Signals.Utf8("x")));
        var publish = await second.ReadUntilAsync(PacketType.Publish);
        Assert.Equal("0001747", Convert.ToHexString(publish.Body)[..7]);
        await client.DisconnectAsync();
        Assert.Equal(PacketType.Disconnect, (await second.ReadUntilAsync(PacketType.Disconnect)).Type);
    }

    [Fact]
    public async Task ConnectAsync_ExplicitV5RefusedAsUnsupported_ThrowsWithoutFallback()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port, o => o.ProtocolVersion = MqttProtocolVersion.V500);

        var connecting = client.ConnectAsync();
        using (var connection = await broker.AcceptAsync())
        {
            await connection.ReadUntilAsync(PacketType.Connect);
            await connection.SendAsync("20 02 00 01");
        }

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => connecting);
        Assert.Equal((byte?)0x01, error.ReasonCode);
        Assert.Contains("unacceptable protocol version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAlive_BrokerStopsAnsweringPings_ConnectionDeclaredLost()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port, o => o.KeepAlive = TimeSpan.FromSeconds(1));
        var states = new StateRecorder(client);

        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        var connect = await connection.ReadUntilAsync(PacketType.Connect);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(connect.Body.AsSpan(8)));
        await connection.SendAsync(ConnAckV5Success);
        await connecting;
        Assert.True((await states.NextAsync()).IsConnected);

        await connection.ReadUntilAsync(PacketType.PingReq);

        var lost = await states.NextAsync(TimeSpan.FromSeconds(5));
        Assert.False(lost.IsConnected);
        Assert.Contains("PINGRESP", lost.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAlive_ServerKeepAliveInConnAck_Honoured()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port, o => o.KeepAlive = TimeSpan.FromSeconds(600));

        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        await connection.ReadUntilAsync(PacketType.Connect);
        await connection.SendAsync("20 06 00 00 03 13 0001"); // server keep alive 1 s
        await connecting;

        // With the client's own 600 s a ping would be minutes away; the broker's 1 s brings it within the time-out.
        await connection.ReadUntilAsync(PacketType.PingReq);
        await connection.SendAsync("D0 00");
        await connection.ReadUntilAsync(PacketType.PingReq);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task PublishAsync_PubAckWithErrorReason_ThrowsWithReason()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port);
        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        await connection.ReadUntilAsync(PacketType.Connect);
        await connection.SendAsync(ConnAckV5Success);
        await connecting;

        var publishing = client.PublishAsync(new MqttMessage("denied", Signals.Utf8("x"), MqttQos.AtLeastOnce)).AsTask();
        var publish = await connection.ReadUntilAsync(PacketType.Publish);
        var packetId = Convert.ToHexString(publish.Body.AsSpan(8, 2)); // after topic "denied" (2 + 6 bytes)
        await connection.SendAsync($"40 0B {packetId} 87 07 1F 0004 6E6F7065");

        var error = await Assert.ThrowsAsync<MqttPublishException>(() => publishing);
        Assert.Equal(0x87, error.ReasonCode);
        Assert.Equal("nope", error.ReasonString);
        Assert.Equal(1, client.Stats.QueuedMessagesDropped);
    }

    [Fact]
    public async Task SubscribeAsync_SubAckRefusal_ThrowsAndForgetsFilter()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port);
        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        await connection.ReadUntilAsync(PacketType.Connect);
        await connection.SendAsync(ConnAckV5Success);
        await connecting;

        var subscribing = client.SubscribeAsync([new MqttSubscription("ok"), new MqttSubscription("secret/#")]);
        var subscribe = await connection.ReadUntilAsync(PacketType.Subscribe);
        Assert.Equal(0x02, subscribe.Flags);
        await connection.SendAsync($"90 05 {Convert.ToHexString(subscribe.Body.AsSpan(0, 2))} 00 01 87");

        var error = await Assert.ThrowsAsync<MqttSubscribeException>(() => subscribing);
        Assert.Equal("secret/#", error.TopicFilter);
        Assert.Equal(0x87, error.ReasonCode);
    }

    [Fact]
    public async Task ConnectAsync_BrokerNeverAnswers_ThrowsTimeout()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port, o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));

        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => connecting);
        Assert.Null(error.ReasonCode);
        Assert.Contains("time-out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsTransportError()
    {
        await using var client = CreateClient(FreePort.Next(), o => o.ProtocolVersion = MqttProtocolVersion.V500);

        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());

        Assert.Null(error.ReasonCode);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ConnectAsync_ConnAckAssignsIdAndLimitsPacketSize_ClientHonoursBoth()
    {
        using var broker = new ScriptedBroker();
        await using var client = CreateClient(broker.Port);
        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        await connection.ReadUntilAsync(PacketType.Connect);
        await connection.SendAsync("20 0F 00 00 0C 12 0004 61626364 27 00000040"); // assigned id "abcd", maximum packet 64 bytes
        await connecting;

        Assert.Equal("abcd", client.ClientId);
        Assert.False(client.TryPublish(new MqttMessage("t", new byte[100])));
        Assert.Equal(1, client.Stats.MessagesDropped);
        var tooLarge = await Assert.ThrowsAsync<MqttPublishException>(
            () => client.PublishAsync(new MqttMessage("t", new byte[100], MqttQos.AtLeastOnce)).AsTask());
        Assert.Equal(0x95, tooLarge.ReasonCode);

        // A message that fits still goes out, and it is the first PUBLISH the broker sees.
        Assert.True(client.TryPublish(new MqttMessage("t", new byte[10])));
        var publish = await connection.ReadUntilAsync(PacketType.Publish);
        Assert.Equal(2 + 1 + 1 + 10, publish.Body.Length);
    }
}
