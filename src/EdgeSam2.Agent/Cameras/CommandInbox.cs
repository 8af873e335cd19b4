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
}

/// <summary>
/// Commands waiting for the frame they name, in arrival order, bounded: a command beyond the bound is refused at
/// once (commands are never dropped silently). Filled by the MQTT router, drained by the frame loop.
/// </summary>
internal sealed class CommandInbox(int capacity)
{
    // Capture times within this of each other name the same frame (clients round to milliseconds).
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly List<PendingCommand> _waiting = [];
    private string? _closedReason;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="command"/>; the refusal when the inbox is full or closed.</summary>
    public CommandError? TryAdd(PendingCommand command)
    {
        lock (_gate)
        {
            if (_closedReason is not null)
            {
                return new CommandError("camera", _closedReason);
            }

            if (_waiting.Count >= capacity)
            {
                return new CommandError("frame", $"{capacity} commands are already waiting for their frames on this camera; try again later");
            }

            _waiting.Add(command);
            return null;
        }
    }

    /// <summary>
    /// Moves the commands due on frame <paramref name="index"/> (captured at <paramref name="time"/>; the previous
    /// frame at <paramref name="previousTime"/>) to <paramref name="due"/>, in arrival order. A command naming a frame
    /// already passed goes to <paramref name="late"/> when <paramref name="refuseLate"/> (Deterministic), else it is due now.
    /// </summary>
    public void Collect(long index, DateTimeOffset time, DateTimeOffset? previousTime, bool refuseLate, List<PendingCommand> due, List<PendingCommand> late)
    {
        lock (_gate)
        {
            var kept = 0;
            for (var i = 0; i < _waiting.Count; i++)
            {
                var command = _waiting[i];
                switch (Classify(command.At, index, time, previousTime))
                {
                    case Timing.Future:
                        _waiting[kept++] = command;
                        break;
                    case Timing.Past when refuseLate:
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

    /// <summary>Refuses everything from now on (the camera's file ended) and returns what was waiting.</summary>
    public List<PendingCommand> Close(string reason)
    {
        lock (_gate)
        {
            _closedReason = reason;
            var all = new List<PendingCommand>(_waiting);
            _waiting.Clear();
            return all;
        }
    }

    private static Timing Classify(FrameSelector at, long index, DateTimeOffset time, DateTimeOffset? previousTime)
    {
        if (at.Frame is { } frame)
        {
            return frame > index ? Timing.Future : frame == index ? Timing.Now : Timing.Past;
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
