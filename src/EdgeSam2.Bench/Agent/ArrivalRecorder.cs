using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Demo.Session;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// The subscriber whose clock the end-to-end latency is measured on: subscribes to everything under the agent's base
/// topic (a <see cref="MqttSession"/>, which stamps each message the moment it comes out of the MQTT client, before
/// parsing it). Keeps the tracks per camera, the stats, the event counts, the info, and the replies to the bench's commands.
/// </summary>
internal sealed class ArrivalRecorder : IAsyncDisposable
{
    private readonly MqttSession _session;
    private readonly string _base;
    private readonly bool _keepMessages;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Arrival>> _tracks = new(StringComparer.Ordinal);
    private readonly List<StatsSample> _stats = [];
    private readonly Dictionary<string, int> _events = new(StringComparer.Ordinal);
    private readonly List<(string Camera, long Frame, TaskCompletionSource Seen)> _frameWatchers = [];
    private readonly List<(int Count, TaskCompletionSource Seen)> _statsWatchers = [];
    private readonly TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AgentInfo> _info = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _unreadable;

    private ArrivalRecorder(MqttSession session, string baseTopic, bool keepMessages)
    {
        _session = session;
        _base = baseTopic;
        _keepMessages = keepMessages;
    }

    /// <summary>Completes when <c>{base}/available</c> says <c>online</c>.</summary>
    public Task Online => _online.Task;

    /// <summary>Completes with the retained <c>{base}/info</c>.</summary>
    public Task<AgentInfo> Info => _info.Task;

    /// <summary>Messages that did not parse (a contract problem the report names).</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Messages the subscriber's own client had to drop (its receive buffer was full): arrivals missing from the figures.</summary>
    public long DroppedBySubscriber => _session.ReceivedMessagesDropped;

    public static async Task<ArrivalRecorder> ConnectAsync(string host, int port, string baseTopic, bool keepMessages, CancellationToken cancellationToken)
    {
        var session = new MqttSession(new MqttClientOptions
        {
            Host = host,
            Port = port,
            ClientId = "edgesam2-bench-subscriber", // not the agent's own id (edgesam2-{agent_id})
            KeepAlive = TimeSpan.FromSeconds(30),
            // Flat out the agent publishes hundreds of tracks a second: the subscriber must never be what drops them.
            ReceiveBufferCapacity = 1 << 16,
        });
        var recorder = new ArrivalRecorder(session, baseTopic, keepMessages);
        try
        {
            await session.StartAsync($"{baseTopic}/#", (message, timestamp, _) => recorder.OnMessage(message, timestamp), null, cancellationToken).ConfigureAwait(false);
            return recorder;
        }
        catch
        {
            await recorder.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A copy of the arrivals of <paramref name="camera"/> so far, in arrival order.</summary>
    public List<Arrival> Tracks(string camera)
    {
        lock (_gate)
        {
            return _tracks.TryGetValue(camera, out var list) ? [.. list] : [];
        }
    }

    /// <summary>A copy of the stats messages so far.</summary>
    public List<StatsSample> Stats()
    {
        lock (_gate)
        {
            return [.. _stats];
        }
    }

    /// <summary>How many events of each kind (<c>created</c>, <c>occluded</c>, <c>reappeared</c>, <c>recovered</c>, …) arrived, all cameras.</summary>
    public Dictionary<string, int> EventCounts()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_events, StringComparer.Ordinal);
        }
    }

    /// <summary>Completes once a tracks message for <paramref name="frame"/> or later arrived from <paramref name="camera"/>.</summary>
    public Task WhenFrame(string camera, long frame)
    {
        lock (_gate)
        {
            if (_tracks.TryGetValue(camera, out var list) && list.Count > 0 && list[^1].Frame >= frame)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _frameWatchers.Add((camera, frame, seen));
            return seen.Task;
        }
    }

    /// <summary>Completes once <paramref name="count"/> stats messages in all have arrived.</summary>
    public Task WhenStatsCount(int count)
    {
        lock (_gate)
        {
            if (_stats.Count >= count)
            {
                return Task.CompletedTask;
            }

            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _statsWatchers.Add((count, seen));
            return seen.Task;
        }
    }

    /// <summary>The number of stats messages so far.</summary>
    public int StatsCount
    {
        get
        {
            lock (_gate)
            {
                return _stats.Count;
            }
        }
    }

    /// <summary>Publishes a command (QoS 1) and returns the task of its reply on <c>{base}/{cam}/reply</c>, matched by request id.</summary>
    public Task<Task<CommandReply>> SendAsync(string topic, string requestId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        _session.SendAsync(topic, requestId, json, cancellationToken);

    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private ValueTask OnMessage(MqttMessage message, long timestamp)
    {
        // The wall clock next to the session's stamp, for the Live latency against the frame's capture time.
        var receivedAt = DateTimeOffset.UtcNow;
        try
        {
            Route(message, receivedAt, timestamp);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            Interlocked.Increment(ref _unreadable);
        }

        return ValueTask.CompletedTask;
    }

    private void Route(MqttMessage message, DateTimeOffset receivedAt, long timestamp)
    {
        var topic = message.Topic;
        if (!topic.StartsWith(_base + "/", StringComparison.Ordinal))
        {
            return;
        }

        var rest = topic[(_base.Length + 1)..];
        var payload = message.Payload.Span;
        switch (rest.Split('/'))
        {
            case ["available"]:
                if (Encoding.UTF8.GetString(payload) == "online")
                {
                    _online.TrySetResult();
                }

                break;
            case ["info"]:
                _info.TrySetResult(ParseInfo(payload));
                break;
            case ["stats"]:
                OnStats(ParseStats(payload, timestamp));
                break;
            case [var camera, "tracks"]:
                var tracks = JsonSerializer.Deserialize(payload, AgentJsonContext.Default.TracksMessage) ?? throw new JsonException("null tracks");
                DateTimeOffset? capture = tracks.CaptureTime is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
                OnTracks(camera, new Arrival(tracks.Frame, capture, tracks.LatencyMs, receivedAt, timestamp, _keepMessages ? tracks : null));
                break;
            case [_, "events"]:
                var e = JsonSerializer.Deserialize(payload, AgentJsonContext.Default.AgentEvent) ?? throw new JsonException("null event");
                lock (_gate)
                {
                    _events[e.Event] = _events.GetValueOrDefault(e.Event) + 1;
                }

                break;
            case [_, "reply"]:
                OnReply(JsonSerializer.Deserialize(payload, AgentJsonContext.Default.CommandReply));
                break;
        }
    }

    private void OnTracks(string camera, Arrival arrival)
    {
        List<TaskCompletionSource> completed = [];
        lock (_gate)
        {
            if (!_tracks.TryGetValue(camera, out var list))
            {
                _tracks[camera] = list = [];
            }

            list.Add(arrival);
            for (var i = _frameWatchers.Count - 1; i >= 0; i--)
            {
                var (c, frame, seen) = _frameWatchers[i];
                if (c == camera && arrival.Frame >= frame)
                {
                    completed.Add(seen);
                    _frameWatchers.RemoveAt(i);
                }
            }
        }

        foreach (var seen in completed)
        {
            seen.TrySetResult();
        }
    }

    private void OnStats(StatsSample sample)
    {
        List<TaskCompletionSource> completed = [];
        lock (_gate)
        {
            _stats.Add(sample);
            for (var i = _statsWatchers.Count - 1; i >= 0; i--)
            {
                if (_stats.Count >= _statsWatchers[i].Count)
                {
                    completed.Add(_statsWatchers[i].Seen);
                    _statsWatchers.RemoveAt(i);
                }
            }
        }

        foreach (var seen in completed)
        {
            seen.TrySetResult();
        }
    }

    private void OnReply(CommandReply? reply)
    {
        if (reply is not null)
        {
            _session.CompleteReply(reply);
        }
    }

    private static AgentInfo ParseInfo(ReadOnlySpan<byte> payload)
    {
        using var doc = JsonDocument.Parse(payload.ToArray());
        var root = doc.RootElement;
        return new AgentInfo(
            root.GetProperty("version").GetString() ?? "",
            root.GetProperty("onnxruntime").GetString() ?? "",
            root.GetProperty("model").GetString() ?? "",
            root.GetProperty("input_size").GetInt32(),
            root.GetProperty("provider").GetString() ?? "",
            root.TryGetProperty("object_threads", out var lanes) ? lanes.GetInt32() : 1);
    }

    /// <summary>
    /// Reads what the bench needs; <c>stages_ms</c> is optional (agents before it was added do not publish it), and so is
    /// <c>gpu_used_bytes</c> (only agents on a box with the NVIDIA driver publish it).
    /// </summary>
    internal static StatsSample ParseStats(ReadOnlySpan<byte> payload, long timestamp)
    {
        using var doc = JsonDocument.Parse(payload.ToArray());
        var root = doc.RootElement;
        var cameras = new List<CameraStats>();
        foreach (var c in root.GetProperty("cameras").EnumerateArray())
        {
            var stages = new Dictionary<string, double>(StringComparer.Ordinal);
            if (c.TryGetProperty("stages_ms", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                foreach (var stage in s.EnumerateObject())
                {
                    if (stage.Value.ValueKind == JsonValueKind.Number)
                    {
                        stages[stage.Name] = stage.Value.GetDouble();
                    }
                }
            }

            cameras.Add(new CameraStats(c.GetProperty("camera").GetString() ?? "", c.GetProperty("frames").GetInt64(), c.GetProperty("dropped").GetInt64(), stages));
        }

        var graphs = new List<GraphStats>();
        foreach (var g in root.GetProperty("graphs").EnumerateArray())
        {
            graphs.Add(new GraphStats(g.GetProperty("graph").GetString() ?? "", g.GetProperty("runs").GetInt64(), g.GetProperty("mean_ms").GetDouble()));
        }

        long? gpu = root.TryGetProperty("gpu_used_bytes", out var used) && used.ValueKind == JsonValueKind.Number ? used.GetInt64() : null;
        return new StatsSample(timestamp, root.GetProperty("rss_bytes").GetInt64(), root.GetProperty("managed_bytes").GetInt64(), cameras, graphs, gpu);
    }
}
