using System.Diagnostics;
using System.Threading.Tasks.Sources;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// One normalisation on a pool thread at a time, reused for every frame (no allocation): started by the frame loop,
/// awaited by it before the frame is tracked or disposed. Whoever claims it first runs it: the pool thread, or the
/// frame loop when it needs the result and no pool thread has started yet. A queued item whose work was claimed
/// by the frame loop does nothing when the pool gets to it (or runs the next frame's work, if that is unclaimed).
/// </summary>
internal sealed class AheadPreparation : IThreadPoolWorkItem, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _done = new() { RunContinuationsAsynchronously = false };
    private Sam2Tracker? _tracker;
    private int _claimed = 1; // 0: started and not yet run; 1: running, done, or idle

    /// <summary>The frame being (or that was) normalised; null when idle.</summary>
    public VideoFrame? Frame { get; private set; }

    public float[] Image { get; private set; } = [];

    /// <summary>How long the normalisation took, in <see cref="Stopwatch"/> ticks.</summary>
    public long Ticks { get; private set; }

    public bool Busy => Frame is not null;

    public void Start(Sam2Tracker tracker, VideoFrame frame, float[] image)
    {
        Arm(tracker, frame, image);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Sets up the work for whoever claims it first (<see cref="Start"/> then queues it to the pool).</summary>
    internal void Arm(Sam2Tracker tracker, VideoFrame frame, float[] image)
    {
        (_tracker, Frame, Image, Ticks) = (tracker, frame, image, 0);
        _done.Reset();
        Volatile.Write(ref _claimed, 0); // after the fields: a claim sees this frame's work
    }

    /// <summary>The frame loop, about to await: runs the normalisation on this thread if no pool thread has started it.</summary>
    public void RunHereIfNotStarted() => Execute();

    public ValueTask Completion() => new(this, _done.Version);

    /// <summary>The frame loop has taken the result (or abandoned the frame): ready for the next one.</summary>
    public void Release() => (Frame, _tracker) = (null, null);

    public void Execute()
    {
        if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0)
        {
            return;
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            _tracker!.PrepareFrame(Frame!.Rgb24.Span, Frame.Width, Frame.Height, Image);
            Ticks = Stopwatch.GetTimestamp() - started;
            _done.SetResult(true);
        }
#pragma warning disable CA1031 // handed to the awaiting frame loop, which decides what it means
        catch (Exception e)
#pragma warning restore CA1031
        {
            _done.SetException(e);
        }
    }

    void IValueTaskSource.GetResult(short token) => _done.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _done.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _done.OnCompleted(continuation, state, token, flags);
}
