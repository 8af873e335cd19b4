using System.Text;
using EdgeSam2.Mqtt;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>
/// A real MQTT client that records everything under a filter and lets a test await the first message matching a
/// condition (past or future), with a time-out: the way tests wait for the agent, never by sleeping.
/// </summary>
internal sealed class MqttProbe : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly Lock _gate = new();
    private readonly List<MqttMessage> _messages = [];
    private readonly List<(Func<MqttMessage, bool> Match, TaskCompletionSource<MqttMessage> Seen)> _waiters = [];
    private readonly Task _reader;

    private MqttProbe(MqttClient client)
    {
        _client = client;
        _reader = Task.Run(ReadAsync);
    }

    public IMqttClient Client => _client;

    public IReadOnlyList<MqttMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<MqttProbe> StartAsync(MosquittoBroker broker, params string[] filters)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ProtocolVersion = MqttProtocolVersion.V500,

            // A probe must see everything: the client drops what a lagging reader has no room for.
            ReceiveBufferCapacity = 100_000,
            MaxQueuedMessages = 100_000, // a test that bursts thousands of commands must not lose its own sends in the outbox
        });
        await client.ConnectAsync();
        var probe = new MqttProbe(client);
        var subscriptions = new List<MqttSubscription>();
        foreach (var filter in filters)
        {
            subscriptions.Add(new MqttSubscription(filter, MqttQos.AtLeastOnce));
        }

        await client.SubscribeAsync(subscriptions);
        return probe;
    }

    public Task PublishAsync(string topic, string payload, Action<MqttMessageBuilder>? configure = null)
    {
        var builder = new MqttMessageBuilder(topic, payload);
        configure?.Invoke(builder);
        return _client.PublishAsync(builder.Build()).AsTask();
    }

    /// <summary>The first message (already received or still to come) that matches; throws with what did arrive after <paramref name="timeout"/>.</summary>
    public async Task<MqttMessage> WaitForAsync(Func<MqttMessage, bool> match, TimeSpan timeout, string what)
    {
        var seen = new TaskCompletionSource<MqttMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var m in _messages)
            {
                if (match(m))
                {
                    return m;
                }
            }

            _waiters.Add((match, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no message {what} within {timeout}. Received:\n{Describe()}");
        }
    }

    public Task<MqttMessage> WaitForTextAsync(string topic, string text, TimeSpan timeout) =>
        WaitForAsync(m => m.Topic == topic && Text(m) == text, timeout, $"'{text}' on {topic}");

    public static string Text(MqttMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public string Describe()
    {
        var lines = new StringBuilder();
        foreach (var m in Messages)
        {
            if (!m.Topic.EndsWith("/tracks", StringComparison.Ordinal))
            {
                lines.Append(m.Topic).Append(' ').AppendLine(Text(m));
            }
        }

        return lines.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _reader;
    }

    private async Task ReadAsync()
    {
        await foreach (var message in _client.Messages.ReadAllAsync())
        {
            lock (_gate)
            {
                _messages.Add(message);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(message))
                    {
                        _waiters[i].Seen.TrySetResult(message);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
    }
}

/// <summary>Options of a message a probe publishes.</summary>
internal sealed class MqttMessageBuilder(string topic, string payload)
{
    public string? ResponseTopic { get; set; }

    public byte[]? CorrelationData { get; set; }

    public MqttMessage Build() => new(topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce)
    {
        ResponseTopic = ResponseTopic,
        CorrelationData = CorrelationData,
    };
}
