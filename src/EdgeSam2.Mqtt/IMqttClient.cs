using System.Threading.Channels;

namespace EdgeSam2.Mqtt;

/// <summary>
/// A managed MQTT client: after the first successful <see cref="ConnectAsync"/> it keeps the connection up by itself
/// (reconnect with back-off, re-subscribe, resend queued QoS 1 messages) until <see cref="DisconnectAsync"/>.
/// </summary>
public interface IMqttClient : IAsyncDisposable
{
    /// <summary>True while connected, subscriptions restored and queued messages handed over.</summary>
    bool IsConnected { get; }

    /// <summary>The client identifier in use (the broker's assigned one when it assigned one).</summary>
    string ClientId { get; }

    /// <summary>The protocol the broker accepted; null before the first connection.</summary>
    MqttProtocolVersion? NegotiatedProtocolVersion { get; }

    /// <summary>Received messages (bounded; QoS 1 ones are acknowledged once read into this channel).</summary>
    ChannelReader<MqttMessage> Messages { get; }

    /// <summary>A snapshot of the counters.</summary>
    MqttClientStats Stats { get; }

    /// <summary>Raised on the client's own task whenever the connection is gained or lost.</summary>
    event EventHandler<MqttConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>Connects once; throws <see cref="MqttConnectException"/> with the broker's reason when that fails.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// QoS 0: written if connected, else dropped and counted. QoS 1: completes on the broker's PUBACK (throws
    /// <see cref="MqttPublishException"/> on a refusal), or at once when disconnected, the message then waiting in
    /// the bounded offline queue for the next connection.
    /// </summary>
    ValueTask PublishAsync(MqttMessage message, CancellationToken cancellationToken = default);

    /// <summary>Publishes perishable traffic without waiting: false (and counted) when disconnected or the send buffer is full.</summary>
    bool TryPublish(MqttMessage message);

    /// <summary>Subscribes now if connected (throws <see cref="MqttSubscribeException"/> on refusal) and again after every reconnect.</summary>
    Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default);

    /// <summary>Sends DISCONNECT (MQTT 5 reason 0x04 when <paramref name="publishWill"/>, so the broker still publishes the will) and stops reconnecting.</summary>
    Task DisconnectAsync(bool publishWill = false, CancellationToken cancellationToken = default);
}
