using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;

namespace EdgeSam2.Agent.Cameras;

/// <summary>A command waiting for its frame, and where its reply goes.</summary>
internal sealed record PendingCommand(CameraRequest Request, ReplyTarget ReplyTo)
{
    public FrameSelector At => Request switch
    {
        PromptRequest p => p.At,
        RemoveRequest r => r.At,
        _ => default,
    };

    /// <summary>A reset, or a remove-all that names no frame: it clears the inbox and never waits in its bound.</summary>
    public bool ClearsAll => Request is ResetRequest or RemoveRequest { ObjectId: null, At.IsNext: true };

    /// <summary>When it entered the inbox (<see cref="TimeProvider.GetTimestamp"/>), for <c>expired</c>.</summary>
    public long Queued { get; set; }

    /// <summary>
    /// Its place in the camera's arrival order (1, 2, …; set as it enters the inbox): which of two commands collected on
    /// one frame the operator sent last, however close their timestamps.
    /// </summary>
    public long Sequence { get; set; }
}

/// <summary>How far a command may look ahead, and how long it may wait (Options: <c>Commands</c>, <c>Tracking:MaxPendingPrompts</c>).</summary>
internal sealed record InboxLimits(int Capacity, long MaxFramesAhead, TimeSpan MaxTimeAhead, TimeSpan PendingTimeout);

/// <summary>
/// Commands waiting for the frame they name, in arrival order, bounded three ways: in number (beyond
/// <see cref="InboxLimits.Capacity"/> refused at once), in how far ahead they point (refused at once), and in how
/// long they wait (answered <c>expired</c>). A reset or remove-all is never refused for room: it drops everything
/// waiting (each answered) and goes first on the next frame. Filled by the MQTT router, drained by the frame loop.
/// </summary>
internal sealed class CommandInbox(InboxLimits limits, TimeProvider time)
{
    // Capture times within this of each other name the same frame (clients round to milliseconds).
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly List<PendingCommand> _waiting = [];
    private readonly List<PendingCommand> _clears = [];
    private string? _closedReason;
    private long _lastIndex = -1;
    private DateTimeOffset? _lastCapture;
    private long _arrivals;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count + _clears.Count;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="command"/>; the refusal when it cannot wait (closed, full, too far ahead). A command that
    /// clears all moves every waiting command to <paramref name="dropped"/>, for the caller to answer.
    /// </summary>
    public CommandError? TryAdd(PendingCommand command, List<PendingCommand> dropped)
    {
        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return new CommandError("camera", _closedReason);
            }

            if (command.ClearsAll)
            {
                // Bounded like the rest, but by its own count: a flood of waiting prompts can never block a reset.
                if (_clears.Count >= limits.Capacity)
                {
                    return new CommandError("$", $"{limits.Capacity} resets are already waiting for this camera's next frame");
                }

                dropped.AddRange(_waiting);
                _waiting.Clear();
                command.Queued = time.GetTimestamp();
                command.Sequence = ++_arrivals;
                _clears.Add(command);
                return null;
            }

            if (TooFarAhead(command.At) is { } ahead)
            {
                return ahead;
            }

            if (_waiting.Count >= limits.Capacity)
            {
                return new CommandError("frame", $"{limits.Capacity} commands are already waiting for their frames on this camera; try again later");
            }

            command.Queued = time.GetTimestamp();
            command.Sequence = ++_arrivals;
            _waiting.Add(command);
            return null;
        }
    }

    /// <summary>
    /// Moves the commands due on frame <paramref name="index"/> (captured at <paramref name="capture"/>; the previous
    /// frame at <paramref name="previousTime"/>) to <paramref name="due"/>: resets first, then the rest in arrival order
    /// (so <paramref name="due"/> is in arrival order: a reset drops every command that arrived before it).
    /// A command naming a frame already passed goes to <paramref name="late"/> when <paramref name="refuseLate"/>
    /// (Deterministic: refused) or when it is a prompt (Live: applied to the frame it names, if still kept); a late
    /// removal on a Live camera is due now (removing an object earlier changes nothing that is still to come).
    /// </summary>
    public void Collect(long index, DateTimeOffset capture, DateTimeOffset? previousTime, bool refuseLate, List<PendingCommand> due, List<PendingCommand> late)
    {
        lock (_gate)
        {
            var previousIndex = _lastIndex;
            _lastIndex = index;
            _lastCapture = capture;
            due.AddRange(_clears);
            _clears.Clear();
            var kept = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                var command = _waiting[i];
                switch (Classify(command.At, index, previousIndex, capture, previousTime))
                {
                    case Timing.Future:
                        _waiting[kept++] = command;
                        break;
                    case Timing.Past when refuseLate || command.Request is PromptRequest:
                        late.Add(command);
                        break;
                    default:
                        due.Add(command);
                        break;
                }
            }

            _waiting.RemoveRange(kept, _waiting.Count - kept);
        }
    }

    /// <summary>Moves the commands that have waited longer than the pending time-out to <paramref name="expired"/>.</summary>
    public void Expire(List<PendingCommand> expired)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            Expire(_clears, now, expired);
            Expire(_waiting, now, expired);
        }
    }

    /// <summary>Takes every waiting command (the camera was disabled); the inbox stays open.</summary>
    public void DrainTo(List<PendingCommand> dropped)
    {
        lock (_gate)
        {
            dropped.AddRange(_clears);
            dropped.AddRange(_waiting);
            _clears.Clear();
            _waiting.Clear();
        }
    }

    /// <summary>Refuses everything from now on (the camera's file ended) and returns what was waiting.</summary>
    public List<PendingCommand> Close(string reason)
    {
        lock (_gate)
        {
            _closedReason = reason;
            var all = new List<PendingCommand>(_clears);
            all.AddRange(_waiting);
            _clears.Clear();
            _waiting.Clear();
            return all;
        }
    }

    private void Expire(List<PendingCommand> commands, long now, List<PendingCommand> expired)
    {
        var kept = 0;
        for (var i = 0; i < commands.Count; i++)
        {
            if (time.GetElapsedTime(commands[i].Queued, now) >= limits.PendingTimeout)
            {
                expired.Add(commands[i]);
            }
            else
            {
                commands[kept++] = commands[i];
            }
        }

        commands.RemoveRange(kept, commands.Count - kept);
    }

    private CommandError? TooFarAhead(FrameSelector at)
    {
        if (at.Frame is { } frame)
        {
            // Before the first frame the camera counts as at frame 0 (a file starts there; a live camera's first frame is 0 too).
            var current = Math.Max(_lastIndex, 0);
            return frame - current > limits.MaxFramesAhead
                ? new CommandError("frame", $"frame {frame} is more than {limits.MaxFramesAhead} frames ahead of this camera (at frame {current})")
                : null;
        }

        if (at.CaptureTime is { } named)
        {
            var reference = _lastCapture ?? time.GetUtcNow();
            return named - reference > limits.MaxTimeAhead
                ? new CommandError("capture_time", $"capture_time {named:O} is more than {limits.MaxTimeAhead.TotalSeconds:0.###} s ahead of this camera's latest frame ({reference:O})")
                : null;
        }

        return null;
    }

    private static Timing Classify(FrameSelector at, long index, long previousIndex, DateTimeOffset time, DateTimeOffset? previousTime)
    {
        if (at.Frame is { } frame)
        {
            // As for a capture time: a frame never tracked (dropped or skipped on a Live camera while the tracker lagged)
            // after the previous tracked one is due on this one, the first tracked at or after it, in arrival order.
            return frame > index ? Timing.Future : frame > previousIndex ? Timing.Now : Timing.Past;
        }

        if (at.CaptureTime is { } named)
        {
            if (named > time + Tolerance)
            {
                return Timing.Future;
            }

            // The frame named is the first captured at or after the time named: this one, unless an earlier frame was.
            return previousTime is { } previous && named <= previous + Tolerance ? Timing.Past : Timing.Now;
        }

        return Timing.Now;
    }

    private enum Timing
    {
        Now,
        Future,
        Past,
    }
}
