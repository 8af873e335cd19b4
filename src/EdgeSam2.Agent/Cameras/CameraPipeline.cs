using System.Threading.Channels;
using EdgeSam2.Agent.Cameras.LatePrompts;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Mqtt;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// One camera's pipeline: ffmpeg source → frame loop (pending commands applied to the frame they name) → tracker on
/// the camera's own thread, every graph run taking its turn on the shared model set (Scheduling/) →
/// bounded channel → publisher loop (post-processing, tracks); events go through their own channel and are never
/// dropped; replies go to the command plane's bounded reply queue (Commands/ReplyQueue.cs); waiting commands that
/// outlive <c>Commands:PendingTimeoutSeconds</c> are answered <c>expired</c>; status is published retained every few
/// seconds and on every state change.
/// Enabled and disabled at run time; a Deterministic file that ends leaves the camera <c>finished</c>.
/// </summary>
internal sealed partial class CameraPipeline : BackgroundService
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    // Six refresh periods: a broker that is slow or a reconnect in between never lets a live camera's status lapse.
    private const uint StatusExpirySeconds = 30;
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryMinDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(30);

    private readonly CameraOptions _camera;
    private readonly AgentOptions _options;
    private readonly ModelCatalog _models;
    private readonly AgentMqtt _mqtt;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CameraTopics _topics;
    private readonly CommandInbox _inbox;
    private readonly CommandPlane _plane;
    private readonly bool _deterministic;
    private readonly Channel<TrackedItem> _tracks;
    private readonly Channel<MqttMessage> _control = Channel.CreateUnbounded<MqttMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _statusWake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Lock _gate = new();

    // Frame-loop state: touched only by the frame loop.
    private readonly List<PendingCommand> _due = [];
    private readonly List<PendingCommand> _late = [];
    private readonly List<TrackerCommand> _commands = [];
    private readonly List<PendingCommand> _expired = [];
    private long _lastIndex = -1;
    private DateTimeOffset? _lastCapture;
    private long _offset;

    // Shared with the MQTT router and the status loop.
    private bool _enabled;
    private volatile bool _stateDirty;
    private TaskCompletionSource _enabledSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _session;
    private volatile IVideoSource? _source;
    private volatile string _sourceState = StatusMessage.States.Connecting;
    private volatile bool _finished;
    private long _framesProcessed;
    private long _publishDropped;
    private long _skippedStale; // Live frames passed over for a newer one when taken (SkipToNewest)
    private long _droppedBefore;
    private long _restartsBefore;
    private long _lastFrameTicks;
    private int _objects;
    private int _probedWidth;
    private int _probedHeight;
    private int _probeStarted; // 1 once a frame without its source size has asked for the camera's own probe
    private CancellationToken _stopping;
    private string _modelName = "";
    private string _provider = "";

    public CameraPipeline(CameraOptions camera, AgentOptions options, ModelCatalog models, AgentMqtt mqtt, CommandPlane plane, ILoggerFactory loggers, TimeProvider time)
    {
        _plane = plane;
        _camera = camera;
        _options = options;
        _models = models;
        _mqtt = mqtt;
        _loggers = loggers;
        _logger = loggers.CreateLogger<CameraPipeline>();
        _time = time;
        _history = new SupervisionHistory(time);
        _topics = mqtt.Topics.For(camera.Id);
        var commands = options.Commands;
        _inbox = new CommandInbox(
            new InboxLimits(
                options.Tracking.MaxPendingPrompts,
                commands.MaxFramesAhead,
                TimeSpan.FromSeconds(commands.MaxSecondsAhead),
                TimeSpan.FromSeconds(commands.PendingTimeoutSeconds)),
            time);
        _deterministic = camera.Mode == SourceMode.Deterministic;
        _ring = CreateRing(camera, options.Tracking);
        _catchUpRatio = options.Tracking.LatePromptCatchUpRatio;
        _catchUp = _ring is null ? null : new CatchUpBudget(_catchUpRatio, _ring.Capacity);
        _enabled = camera.Enabled;
        if (_enabled)
        {
            _enabledSignal.SetResult();
        }

        // Deterministic: every frame is published, the tracker waits for the publisher. Live: the newest result wins.
        _tracks = _deterministic
            ? Channel.CreateBounded<TrackedItem>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateBounded<TrackedItem>(
                new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest },
                item =>
                {
                    item.Frame.Dispose();
                    Interlocked.Increment(ref _publishDropped);
                });
    }

    public string Id => _camera.Id;

    public bool Enabled
    {
        get
        {
            lock (_gate)
            {
                return _enabled;
            }
        }
    }

    /// <summary>
    /// Queues a prompt, removal or reset for its frame; the refusal (to reply with) when it cannot wait. A reset or
    /// remove-all answers every command it drops from the inbox.
    /// </summary>
    public CommandError? Submit(PendingCommand command)
    {
        var dropped = new List<PendingCommand>();
        var refused = _inbox.TryAdd(command, dropped);
        foreach (var gone in dropped)
        {
            // A command naming an earlier frame (a late prompt) waits for the next frame too, so say "applied", not "came".
            Reply(gone, new CommandReply(gone.Request.RequestId, false, $"dropped by a reset or remove-all that arrived after it, before it was applied (it named {gone.At})", "$"));
        }

        return refused;
    }

    /// <summary>
    /// Enables or disables the camera without waiting: disabling answers every waiting command (they name frames the
    /// camera will not decode now); the retained <c>{base}/{cam}/state</c> is echoed by the status loop.
    /// </summary>
    public void SetEnabled(bool enabled)
    {
        lock (_gate)
        {
            if (_enabled != enabled)
            {
                _enabled = enabled;
                if (enabled)
                {
                    _enabledSignal.TrySetResult();
                }
                else
                {
                    _enabledSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _session?.Cancel();
                }
            }
        }

        if (!enabled)
        {
            var dropped = new List<PendingCommand>();
            _inbox.DrainTo(dropped);
            foreach (var command in dropped)
            {
                Reply(command, new CommandReply(command.Request.RequestId, false, $"camera {Id} was disabled before {command.At} came", "camera"));
            }
        }

        Log.EnabledChanged(_logger, Id, enabled);
        _stateDirty = true;
        WakeStatus();
    }

    /// <summary>Publishes the retained state and status (at start and after a reconnect).</summary>
    public async ValueTask PublishRetainedAsync(CancellationToken cancellationToken)
    {
        await _mqtt.PublishAsync(AgentMqtt.Retained(_topics.State, StatusMessage.StateJson(Enabled)), cancellationToken).ConfigureAwait(false);
        await _mqtt.PublishAsync(RetainedStatus(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The retained status, with an MQTT 5 message expiry of <see cref="StatusExpirySeconds"/>: the agent refreshes it
    /// every <see cref="StatusInterval"/>, so once it has died (no clean stop, only the <c>offline</c> will) the broker
    /// drops the stale status instead of telling new subscribers the camera is still streaming.
    /// </summary>
    private MqttMessage RetainedStatus() =>
        AgentMqtt.Retained(_topics.Status, Status().ToJson()) with { MessageExpiryInterval = StatusExpirySeconds };

    /// <summary>A snapshot of the camera's health.</summary>
    public StatusMessage Status()
    {
        var stats = _source?.Stats;
        var state = _finished ? StatusMessage.States.Finished : !Enabled ? StatusMessage.States.Disabled : _sourceState;
        var ticks = Interlocked.Read(ref _lastFrameTicks);
        var (reason, quality) = Health(state);
        return new StatusMessage(
            Id,
            state,
            state == StatusMessage.States.Streaming ? stats?.MeasuredFps ?? 0 : 0,
            Interlocked.Read(ref _framesProcessed),
            Interlocked.Read(ref _droppedBefore) + (stats?.FramesDropped ?? 0) + Interlocked.Read(ref _skippedStale) + Interlocked.Read(ref _publishDropped),
            Interlocked.Read(ref _restartsBefore) + (stats?.Restarts ?? 0),
            ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
            Volatile.Read(ref _objects),
            _modelName,
            _provider,
            reason,
            _history.ReconnectsInWindow,
            _history.StallsInWindow,
            quality);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var model = _models.Get(Id);
        (_modelName, _provider) = (model.Manifest.Name, model.Provider);
        _scheduled = new ScheduledSam2Model(model, _models.Gate);
        var tracker = new Sam2Tracker(_scheduled, RestoreState(TrackerOptionsFrom(_options.Tracking)));
        _tracker = tracker;
        var tracking = new TrackingThread("track " + Id, TrackOnThread);
        _tracking = tracking;
        var publishing = Task.WhenAll(
            Task.Run(PublishTracksAsync, CancellationToken.None),
            Task.Run(PublishControlAsync, CancellationToken.None),
            Task.Run(() => PublishStatusAsync(stoppingToken), CancellationToken.None),
            Task.Run(() => ExpirePendingAsync(stoppingToken), CancellationToken.None),
            Task.Run(() => RunSnapshotsAsync(stoppingToken), CancellationToken.None));
        _stopping = stoppingToken;
        try
        {
            var delay = RetryMinDelay;
            while (!stoppingToken.IsCancellationRequested)
            {
                var session = await WaitEnabledAsync(stoppingToken).ConfigureAwait(false);
                SessionEnd end;
                try
                {
                    end = await RunSessionAsync(tracker, model.Info.InputSize, session.Token).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                    {
                        _session = null;
                    }

                    session.Dispose();
                }

                if (end == SessionEnd.Finished)
                {
                    Finish();
                    await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
                }

                if (end == SessionEnd.Failed)
                {
                    Log.Retrying(_logger, Id, delay);
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryMaxDelay.Ticks));
                }
                else
                {
                    delay = RetryMinDelay;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // A bug or a native failure (ORT): the host stops, and the exit code makes systemd restart the agent.
            Log.PipelineFailed(_logger, e, Id);
            Environment.ExitCode = 1;
            throw;
        }
        finally
        {
            // Every run was awaited by the frame loop, which has ended: the thread is idle and joins at once.
            tracking.Dispose();
            _tracks.Writer.TryComplete();
            _control.Writer.TryComplete();
            _statusWake.Writer.TryComplete();
            await publishing.ConfigureAwait(false);
        }
    }

    internal static TrackerOptions TrackerOptionsFrom(TrackingOptions tracking) => new()
    {
        MaxObjects = tracking.MaxObjects,
        MaxPromptPoints = tracking.MaxPromptPoints,
        LostAfter = TimeSpan.FromSeconds(tracking.LostAfterSeconds),
        RemoveAfter = TimeSpan.FromSeconds(tracking.RemoveAfterSeconds),
        NonOverlappingMasks = tracking.NonOverlappingMasks,
        MotionOwnership = tracking.MotionOwnership,
        CandidateMotionWeight = (float)tracking.CandidateMotionWeight,
        CandidateStableFrames = tracking.CandidateStableFrames,
        Memory = new()
        {
            Policy = tracking.MemoryPolicy,
            MinIouForMemory = (float)tracking.MinIouForMemory,
            MaxConditioningEntries = tracking.MaxConditioningEntries,
            MaxAbsentWrites = tracking.MaxAbsentWrites,
            MaxAreaGrowth = (float)tracking.MaxAreaGrowth,
            MaxAnchors = tracking.MaxAnchors,
        },
    };

    /// <param name="Frame">The tracker's result, owned by the item.</param>
    /// <param name="HandedOff">When the decoder handed the frame over (a <see cref="TimeProvider"/> timestamp).</param>
    /// <param name="Clock">Where the frame's capture time came from.</param>
    private readonly record struct TrackedItem(TrackedFrame Frame, long HandedOff, CaptureClock Clock);

    private enum SessionEnd
    {
        Finished,
        Stopped,
        Failed,
    }
}
