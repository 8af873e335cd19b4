using System.Threading.Tasks.Sources;

namespace EdgeSam2.Agent.Scheduling;

/// <summary>
/// A camera's dedicated tracking thread: the async frame loop hands it one frame's work at a time
/// (<see cref="RunAsync"/>) and awaits it without holding a pool thread, while the SAM 2 graphs block this thread
/// only. Reusable and allocation-free per run (one <see cref="ManualResetValueTaskSourceCore{T}"/>). Dispose stops
/// and joins the thread; it must not be called while a run is in flight (the frame loop awaits every run first).
/// </summary>
internal sealed class TrackingThread : IValueTaskSource, IDisposable
{
    private readonly Action _work;
    private readonly Thread _thread;
    private readonly object _signal = new();
    private ManualResetValueTaskSourceCore<bool> _completion = new() { RunContinuationsAsynchronously = true };
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

    /// <summary>Runs the work once on the thread; completes (off the thread) when it is done.</summary>
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

        _thread.Join();
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
