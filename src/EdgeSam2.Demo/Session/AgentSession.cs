using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Demo.Session;

/// <summary>
/// The demo's side of the MQTT conversation with the agent, over our own client: one subscription to
/// <c>{base}/#</c>, a pump that routes what arrives (tracks to a channel, replies to their waiting requests,
/// availability to its watchers, events and status changes to <see cref="AgentSessionCallbacks.Notice"/>).
/// </summary>
internal sealed class AgentSession : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly AgentTopics _topics;
    private readonly AgentSessionCallbacks _callbacks;
    private readonly Channel<TracksMessage> _tracks = Channel.CreateBounded<TracksMessage>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<CommandReply>> _replies = new(StringComparer.Ordinal);
    private readonly List<(string Value, TaskCompletionSource Seen)> _availabilityWatchers = [];
    private readonly CancellationTokenSource _stopping = new();
    private string? _availability;
    private string? _cameraState;
    private Task _pump = Task.CompletedTask;

    private AgentSession(MqttClient client, AgentTopics topics, AgentSessionCallbacks callbacks)
    {
        _client = client;
        _topics = topics;
        _callbacks = callbacks;
    }

    /// <summary>Every processed frame, in arrival order.</summary>
    public ChannelReader<TracksMessage> Tracks => _tracks.Reader;

    /// <summary>The last payload seen on <c>{base}/available</c>; null before any.</summary>
    public string? Availability
    {
        get
        {
            lock (_gate)
            {
                return _availability;
            }
        }
    }

    /// <summary>Connects to the broker and subscribes to everything under the agent's base topic.</summary>
    public static async Task<AgentSession> ConnectAsync(string host, int port, AgentTopics topics, AgentSessionCallbacks callbacks, CancellationToken cancellationToken)
    {
        var client = new MqttClient(new MqttClientOptions { Host = host, Port = port, ClientId = "edgesam2-demo", KeepAlive = TimeSpan.FromSeconds(30) });
        var session = new AgentSession(client, topics, callbacks);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            session._pump = Task.Run(() => session.PumpAsync(session._stopping.Token), CancellationToken.None);
            await client.SubscribeAsync([new MqttSubscription(topics.All)], cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The MQTT protocol the broker accepted.</summary>
    public MqttProtocolVersion? Protocol => _client.NegotiatedProtocolVersion;

    /// <summary>Completes once <c>{base}/available</c> carries <paramref name="value"/> (at once when it already does).</summary>
    public Task WhenAvailability(string value)
    {
        lock (_gate)
        {
            if (_availability == value)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _availabilityWatchers.Add((value, seen));
            return seen.Task;
        }
    }

    /// <summary>Publishes a command (QoS 1) and returns the task of its reply, matched by <paramref name="requestId"/>.</summary>
    public async Task<Task<CommandReply>> SendAsync(string topic, string requestId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<CommandReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _replies.Add(requestId, reply);
        }

        await _client.PublishAsync(new MqttMessage(topic, json, MqttQos.AtLeastOnce) { ContentType = "application/json", PayloadIsUtf8 = true }, cancellationToken)
            .ConfigureAwait(false);
        return reply.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The broker may already be gone while the demo cleans up.
        }

        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await RouteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _tracks.Writer.TryComplete();
        }
    }

    private async ValueTask RouteAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var topic = message.Topic;
        try
        {
            if (topic == _topics.Tracks)
            {
                var tracks = JsonSerializer.Deserialize(message.Payload.Span, AgentJsonContext.Default.TracksMessage);
                if (tracks is not null)
                {
                    await _tracks.Writer.WriteAsync(tracks, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (topic == _topics.Available)
            {
                OnAvailability(Encoding.UTF8.GetString(message.Payload.Span));
            }
            else if (topic == _topics.Reply)
            {
                OnReply(JsonSerializer.Deserialize(message.Payload.Span, AgentJsonContext.Default.CommandReply));
            }
            else if (topic == _topics.Events)
            {
                if (JsonSerializer.Deserialize(message.Payload.Span, AgentJsonContext.Default.AgentEvent) is { } e)
                {
                    _callbacks.Notice($"event   {e.Event}{(e.ObjectId is { } id ? $" object {id}" : "")}{(e.Frame is { } f ? $" at frame {f}" : "")}");
                }
            }
            else if (topic == _topics.Status)
            {
                OnStatus(JsonSerializer.Deserialize(message.Payload.Span, AgentJsonContext.Default.CameraStatus));
            }
            else if (topic == _topics.State)
            {
                _callbacks.Notice($"state   {Encoding.UTF8.GetString(message.Payload.Span)}");
            }
        }
        catch (JsonException e)
        {
            _callbacks.ContractProblem($"unreadable JSON on {topic}: {e.Message} (payload: {Shorten(Encoding.UTF8.GetString(message.Payload.Span))})");
        }
    }

    private void OnAvailability(string value)
    {
        lock (_gate)
        {
            _availability = value;
            for (var i = _availabilityWatchers.Count - 1; i >= 0; i--)
            {
                if (_availabilityWatchers[i].Value == value)
                {
                    _availabilityWatchers[i].Seen.TrySetResult();
                    _availabilityWatchers.RemoveAt(i);
                }
            }
        }

        _callbacks.Notice($"agent   available = {value}");
    }

    private void OnReply(CommandReply? reply)
    {
        if (reply is null)
        {
            return;
        }

        TaskCompletionSource<CommandReply>? waiter;
        lock (_gate)
        {
            if (reply.RequestId is null || !_replies.Remove(reply.RequestId, out waiter))
            {
                waiter = null;
            }
        }

        if (waiter is null)
        {
            _callbacks.ContractProblem($"reply for no pending request: request_id={reply.RequestId ?? "(none)"} status={reply.Status}");
            return;
        }

        waiter.TrySetResult(reply);
    }

    private void OnStatus(CameraStatus? status)
    {
        if (status is null || status.State == _cameraState)
        {
            return;
        }

        _cameraState = status.State;
        _callbacks.Notice($"status  camera {status.Camera}: {status.State} (frames {status.Frames}, dropped {status.Dropped}, model {Or(status.Model)}, provider {Or(status.Provider)})");
    }

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "?" : value;

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
