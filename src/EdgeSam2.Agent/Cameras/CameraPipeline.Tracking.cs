using System.Diagnostics;
using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Agent.Telemetry;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Tracking on the camera's dedicated thread, behind the scheduler's gate on the shared model set, and the per-stage
/// figures of each frame (<c>stages_ms</c> in stats, histograms in <c>/metrics</c>), kept without allocating.
/// </summary>
internal sealed partial class CameraPipeline
{
    // Handed between the frame loop and the tracking thread: set before RunAsync, read after it completes.
    private Sam2Tracker? _tracker;
    private ScheduledSam2Model? _scheduled;
    private TrackingThread? _tracking;
    private TrackJob _job;
    private TrackedFrame? _jobResult;
    private long _trackEnded;

    /// <summary>This camera's figures over the current stats interval.</summary>
    public CameraFigures Figures { get; } = new();

    /// <summary>On the tracking thread: one frame through the tracker, its commands applied.</summary>
    private void TrackOnThread()
    {
        var job = _job;
        CatchUpOnThread(_tracker!, job.Index);
        _scheduled!.Clock.Reset();
        _jobResult = _tracker!.Process(job.Frame.Rgb24.Span, job.Frame.Width, job.Frame.Height, job.Width, job.Height, job.Index, job.Frame.CaptureTime, _commands, job.Prepared);
        _trackEnded = Stopwatch.GetTimestamp();
    }

    /// <summary>Frame loop, after the tracker: objects per state and the frame's stages up to the tracker's end.</summary>
    /// <param name="tracked">The tracker's result.</param>
    /// <param name="handedOff">When the decoder handed the frame over (a <see cref="TimeProvider"/> timestamp).</param>
    /// <param name="taken">When the frame loop took the frame (a <see cref="Stopwatch"/> timestamp).</param>
    /// <param name="preparedAhead">Stopwatch ticks of the frame's normalisation done ahead on a pool thread; 0 when none was.</param>
    private void ObserveTracked(TrackedFrame tracked, long handedOff, long taken, long preparedAhead)
    {
        Span<int> counts = stackalloc int[_objectsByState.Length];
        foreach (var o in tracked.Objects)
        {
            counts[(int)o.State]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            Volatile.Write(ref _objectsByState[i], counts[i]);
        }

        var clock = _scheduled!.Clock;
        var ended = _trackEnded;
        var prepared = clock.EncoderRequested != 0 ? clock.EncoderRequested : ended;
        Stage(StageNames.Queue, _time.GetElapsedTime(handedOff).TotalMilliseconds - Stopwatch.GetElapsedTime(taken).TotalMilliseconds);
        Stage(StageNames.Prepare, Milliseconds(prepared - taken));
        Stage(StageNames.Wait, Milliseconds(clock.Wait));
        Stage(StageNames.ImageEncoder, Milliseconds(clock.ImageEncoder));
        Stage(StageNames.MemoryAttention, Milliseconds(clock.MemoryAttention));
        Stage(StageNames.MaskDecoder, Milliseconds(clock.MaskDecoder));
        Stage(StageNames.MemoryEncoder, Milliseconds(clock.MemoryEncoder));
        Stage(StageNames.TrackerHost, Milliseconds(ended - prepared - clock.Wait - clock.Graphs));
        Stage(StageNames.PrepareAhead, clock.EncoderRequested != 0 ? Milliseconds(preparedAhead) : 0);
        Figures.FrameTracked();
    }

    /// <summary>Publisher: the tracks message's latency, from the frame's capture (Live) or hand-off (Deterministic) to now.</summary>
    private double LatencyOf(TrackedItem item) => _deterministic
        ? _time.GetElapsedTime(item.HandedOff).TotalMilliseconds
        : Math.Max(0, (_time.GetUtcNow() - item.Frame.CaptureTime).TotalMilliseconds);

    /// <summary>Publisher, after the tracks message went to MQTT: post-processing, publish and end-to-end latency.</summary>
    private void ObservePublished(TrackedItem item, long postStarted, long publishStarted)
    {
        Stage(StageNames.Post, Milliseconds(publishStarted - postStarted));
        Stage(StageNames.Publish, Stopwatch.GetElapsedTime(publishStarted).TotalMilliseconds);
        var latency = LatencyOf(item);
        Figures.Latency(latency);
        PipelineMeter.Record(Id, StageNames.CaptureToPublish, latency);
    }

    private void Stage(int stage, double milliseconds)
    {
        milliseconds = Math.Max(0, milliseconds);
        Figures.Add(stage, milliseconds);
        PipelineMeter.Record(Id, stage, milliseconds);
    }

    private static double Milliseconds(long stopwatchTicks) => stopwatchTicks * 1000.0 / Stopwatch.Frequency;

    /// <summary>One frame's work for the tracking thread; <paramref name="Prepared"/> its model input when normalised ahead, else empty.</summary>
    private readonly record struct TrackJob(VideoFrame Frame, long Index, int Width, int Height, ReadOnlyMemory<float> Prepared);
}
