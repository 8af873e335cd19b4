using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Options;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

/// <summary>Where a command's reply goes: the MQTT 5 response topic with its correlation data, else <c>{base}/{cam}/reply</c>.</summary>
internal sealed record ReplyTarget(string Topic, ReadOnlyMemory<byte>? CorrelationData);

/// <summary>
/// The agent's one MQTT client and the publishing rules: tracks are perishable (dropped while disconnected), events,
/// replies and retained state are QoS 1, handed to the client's bounded outbox without waiting for PUBACK (queued
/// while disconnected; a newer retained message replaces a queued one on its topic).
/// </summary>
internal sealed class AgentMqtt : IAsyncDisposable
{
    private readonly ILogger<AgentMqtt> _logger;
    private readonly MqttQos _tracksQos;
    private int _stoppedPublished;

    public AgentMqtt(AgentOptions options, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger<AgentMqtt>();
        Topics = new AgentTopics(options.ResolvedBaseTopic);
        _tracksQos = options.Mqtt.TracksQos == 1 ? MqttQos.AtLeastOnce : MqttQos.AtMostOnce;
        var mqtt = options.Mqtt;
        Client = new MqttClient(
            new MqttClientOptions
            {
                Host = mqtt.Host,
                Port = mqtt.Port,
                ClientId = mqtt.ClientId.Length > 0 ? mqtt.ClientId : "edgesam2-" + options.AgentId,
                Username = mqtt.Username.Length > 0 ? mqtt.Username : null,
                Password = mqtt.Password.Length > 0 ? mqtt.Password : null,
                UseTls = mqtt.UseTls,
                CaCertificatePath = mqtt.CaCertificate.Length > 0 ? mqtt.CaCertificate : null,
                ClientCertificatePath = mqtt.ClientCertificate.Length > 0 ? mqtt.ClientCertificate : null,
                KeepAlive = TimeSpan.FromSeconds(mqtt.KeepAliveSeconds),
                ProtocolVersion = mqtt.ProtocolVersion,
                ReconnectMinDelay = TimeSpan.FromMilliseconds(mqtt.ReconnectMinDelayMs),
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(mqtt.ReconnectMaxDelayMs),
                MaxQueuedMessages = mqtt.MaxQueuedMessages,
                MaximumIncomingPacketSize = mqtt.MaxIncomingMessageBytes,
                ReceiveBufferCapacity = mqtt.ReceiveBufferCapacity,
                Will = new MqttMessage(Topics.Available, Payloads.Offline, MqttQos.AtLeastOnce, Retain: true),
            },
            loggers.CreateLogger<MqttClient>());
    }

    public IMqttClient Client { get; }

    public AgentTopics Topics { get; }

    /// <summary>Publishes a tracks message without waiting. The client copies the payload before TryPublish returns, so the caller may reuse <paramref name="payload"/>'s buffer.</summary>
    public bool TryPublishTracks(string topic, ReadOnlyMemory<byte> payload) => Client.TryPublish(new MqttMessage(topic, payload, _tracksQos));

    /// <summary>
    /// Hands a QoS 1 publication (reply, event, retained state) to the outbox and returns at once: the caller (the
    /// command router among them) never waits for a PUBACK, so replies cannot hold up reading commands. The client
    /// logs and counts a broker refusal.
    /// </summary>
    public ValueTask PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Client.Post(message);
        return ValueTask.CompletedTask;
    }

    public static MqttMessage Reply(ReplyTarget target, CommandReply reply) =>
        new(target.Topic, reply.ToJson(), MqttQos.AtLeastOnce)
        {
            CorrelationData = target.CorrelationData,
            ContentType = "application/json",
            PayloadIsUtf8 = true,
        };

    public static MqttMessage Retained(string topic, byte[] payload) => new(topic, payload, MqttQos.AtLeastOnce, Retain: true);

    /// <summary>Publishes the retained <c>stopped</c> (once) and waits for its PUBACK; called on a clean stop before disconnecting.</summary>
    public async ValueTask PublishStoppedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stoppedPublished, 1) == 0)
        {
            try
            {
                await Client.PublishAsync(Retained(Topics.Available, Payloads.Stopped), cancellationToken).ConfigureAwait(false);
            }
            catch (MqttPublishException e)
            {
                Log.PublishRefused(_logger, Topics.Available, e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The host skips the stop of a service whose start was interrupted (SIGTERM while starting); a clean
        // disconnect without "stopped" would leave a stale retained "online", so say it here.
        if (Client.IsConnected && Volatile.Read(ref _stoppedPublished) == 0)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await PublishStoppedAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await Client.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The payloads of <c>{base}/available</c>.</summary>
    public static class Payloads
    {
        public static readonly byte[] Online = "online"u8.ToArray();
        public static readonly byte[] Offline = "offline"u8.ToArray();
        public static readonly byte[] Stopped = "stopped"u8.ToArray();
    }
}
