using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Demo.Session;

/// <summary>
/// The demo's side of the MQTT conversation with the agent, over a <see cref="MqttSession"/>: one subscription to
/// <c>{base}/#</c>, whose messages are routed here (tracks to a channel, replies to their waiting requests,
/// availability to its watchers, events and status changes to <see cref="AgentSessionCallbacks.Notice"/>).
/// </summary>
internal sealed class AgentSession : IAsyncDisposable
{
    private readonly MqttSession _session;
    private readonly AgentTopics _topics;
    private readonly AgentSessionCallbacks _callbacks;
    private readonly Channel<TracksMessage> _tracks = Channel.CreateBounded<TracksMessage>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });

    private readonly Lock _gate = new();
    private readonly List<(string Value, TaskCompletionSource Seen)> _availabilityWatchers = [];
    private string? _availability;
    private string? _cameraState;

    private AgentSession(MqttSession session, AgentTopics topics, AgentSessionCallbacks callbacks)
    {
        _session = session;
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
        var session = new AgentSession(
            new MqttSession(new MqttClientOptions { Host = host, Port = port, ClientId = "edgesam2-demo", KeepAlive = TimeSpan.FromSeconds(30) }), topics, callbacks);
        try
        {
            await session._session.StartAsync(topics.All, (message, _, token) => session.RouteAsync(message, token), () => session._tracks.Writer.TryComplete(), cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The MQTT protocol the broker accepted.</summary>
    public MqttProtocolVersion? Protocol => _session.Protocol;

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
    public Task<Task<CommandReply>> SendAsync(string topic, string requestId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        _session.SendAsync(topic, requestId, json, cancellationToken);

    public ValueTask DisposeAsync() => _session.DisposeAsync();

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
        if (reply is not null && !_session.CompleteReply(reply))
        {
            _callbacks.ContractProblem($"reply for no pending request: request_id={reply.RequestId ?? "(none)"} status={reply.Status}");
        }
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
