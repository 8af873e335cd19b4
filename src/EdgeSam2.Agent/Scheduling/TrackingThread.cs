using System.Threading.Tasks.Sources;

namespace EdgeSam2.Agent.Scheduling;

/// <summary>
/// A camera's dedicated tracking thread: the async frame loop hands it one frame's work at a time
/// (<see cref="RunAsync"/>) and awaits it without holding a pool thread, while the SAM 2 graphs block this thread
/// only. Reusable and allocation-free per run (one <see cref="ManualResetValueTaskSourceCore{T}"/>). Dispose stops
/// and joins the thread; it must not be called while a run is in flight (the frame loop awaits every run first).
/// </summary>
/// <remarks>
/// The awaiter's continuation runs on this thread, inline, when a run completes: the frame loop's bookkeeping between
/// two frames (replies, events, the tracks hand-off, the next frame's commands) then follows the graphs on the same
/// thread, and the next run starts as soon as that continuation hands it over and returns. Completing through the
/// thread pool instead cost two thread wake-ups a frame on the critical path (the pool worker for the frame loop,
/// then this thread again), which on a busy 2-core box took longer than the bookkeeping itself. Whatever the frame
/// loop awaits that is not ready (a full tracks channel, a decoder behind) moves it off this thread as usual.
/// </remarks>
internal sealed class TrackingThread : IValueTaskSource, IDisposable
{
    private readonly Action _work;
    private readonly Thread _thread;
    private readonly object _signal = new();
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = false };
    private bool _pending;
    private bool _stopping;

    /// <param name="name">The thread's name, as debuggers and <c>top -H</c> show it.</param>
    /// <param name="work">What each run does; its exception is thrown to the awaiting caller.</param>
    public TrackingThread(string name, Action work)
    {
        _work = work;
        _thread = new Thread(Loop) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Runs the work once on the thread; completes when it is done (the continuation runs on the thread, see remarks).</summary>
    public ValueTask RunAsync()
    {
        _completion.Reset();
        lock (_signal)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _pending = true;
            Monitor.Pulse(_signal);
        }

        return new ValueTask(this, _completion.Version);
    }

    public void Dispose()
    {
        lock (_signal)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.Pulse(_signal);
        }

        // Disposed from a continuation of the last run (the session ended inline): the loop ends when that returns.
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }
    }

    void IValueTaskSource.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private void Loop()
    {
        while (true)
        {
            lock (_signal)
            {
                while (!_pending && !_stopping)
                {
                    Monitor.Wait(_signal);
                }

                if (!_pending)
                {
                    return;
                }

                _pending = false;
            }

            try
            {
                _work();
                _completion.SetResult(true);
            }
#pragma warning disable CA1031 // handed to the awaiting frame loop, which decides what it means
            catch (Exception e)
#pragma warning restore CA1031
            {
                _completion.SetException(e);
            }
        }
    }
}
