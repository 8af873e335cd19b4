using System.Threading.Channels;

namespace EdgeSam2.Mqtt;

/// <summary>
/// A managed MQTT client: after <see cref="Start"/> or the first successful <see cref="ConnectAsync"/> it keeps the
/// connection up by itself (reconnect with capped, jittered back-off, re-subscribe, send the QoS 1 outbox) until
/// <see cref="DisconnectAsync"/>. MQTTnet speaks the protocol; this seam keeps its types out of the agent.
/// </summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <summary>True while connected, subscriptions restored and queued messages handed over.</summary>
    bool IsConnected { get; }

    /// <summary>The client identifier in use (the broker's assigned one when it assigned one).</summary>
    string ClientId { get; }

    /// <summary>The protocol the broker accepted; null before the first connection.</summary>
    MqttProtocolVersion? NegotiatedProtocolVersion { get; }

    /// <summary>Received messages (bounded: when the reader lags, new ones are dropped and counted rather than stalling the connection).</summary>
    ChannelReader<MqttMessage> Messages { get; }

    /// <summary>A snapshot of the counters.</summary>
    MqttClientStats Stats { get; }

    /// <summary>Raised on the client's own task whenever the connection is gained or lost.</summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>Connects once; throws <see cref="MqttConnectException"/> with the broker's reason when that fails.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Connects in the background and keeps connecting (capped, jittered back-off; one log line per kind of failure)
    /// until <see cref="DisconnectAsync"/>: for a service that must run whether or not the broker answers.
    /// </summary>
    void Start();

    /// <summary>
    /// QoS 0: written if connected, else dropped and counted. QoS 1: completes on the broker's PUBACK (throws
    /// <see cref="MqttPublishException"/> on a refusal), or at once when disconnected, the message then waiting in
    /// the bounded outbox for the next connection.
    /// </summary>
    ValueTask PublishAsync(MqttMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands a message over without waiting for anything. QoS 1 goes to the bounded outbox (sent in order, pipelined,
    /// delivered after a reconnect; when full the oldest is dropped and counted; a retained message replaces a queued
    /// one on its topic). QoS 0 is <see cref="TryPublish"/>.
    /// </summary>
    void Post(MqttMessage message);

    /// <summary>Publishes perishable traffic without waiting: false (and counted) when disconnected or the send buffer is full.</summary>
    bool TryPublish(MqttMessage message);

    /// <summary>Subscribes now if connected (throws <see cref="MqttSubscribeException"/> on refusal) and again after every reconnect.</summary>
    Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default);

    /// <summary>Sends DISCONNECT (MQTT 5 reason 0x04 when <paramref name="publishWill"/>, so the broker still publishes the will) and stops reconnecting.</summary>
    Task DisconnectAsync(bool publishWill = false, CancellationToken cancellationToken = default);
}
