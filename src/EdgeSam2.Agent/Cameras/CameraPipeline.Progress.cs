using System.Runtime.CompilerServices;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Progress marks for liveness: when the frame loop took the frame it is working on. A loop waiting for its source is
/// idle (the source's own watchdog restarts a dead decoder); a loop that stays on one frame is the stall that
/// systemd's watchdog exists for. Also what the metrics read: objects per state and the stage latencies.
/// </summary>
internal sealed partial class CameraPipeline
{
    private readonly int[] _objectsByState = new int[Enum.GetValues<ObjectState>().Length];
    private long _busySince;

    /// <summary>Awaited before each frame is tracked: lets a test hold the frame loop as a hung inference would. Null in the agent.</summary>
    internal Func<long, CancellationToken, ValueTask>? FrameGate { get; set; }

    /// <summary>How long the frame loop has been on its current frame; zero while it waits for one.</summary>
    public TimeSpan BusyFor()
    {
        var since = Interlocked.Read(ref _busySince);
        return since == 0 ? TimeSpan.Zero : _time.GetElapsedTime(since);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask TrackFrameAsync(Sam2Tracker tracker, VideoFrame frame, CancellationToken token)
    {
        Interlocked.Exchange(ref _busySince, Math.Max(1, _time.GetTimestamp()));
        try
        {
            OfferSnapshot(frame);
            if (FrameGate is { } gate)
            {
                await gate(frame.Sequence, token).ConfigureAwait(false);
            }

            await ProcessAsync(tracker, frame, token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _busySince, 0);
        }
    }

    /// <summary>Why the camera's decoder last stopped (exit code and stderr tail, or a stall); null when it has not.</summary>
    public string? SourceError => _source?.Stats.LastError;

    /// <summary>Objects in <paramref name="state"/> in the last tracked frame.</summary>
    public int ObjectsIn(ObjectState state) => Volatile.Read(ref _objectsByState[(int)state]);
}
