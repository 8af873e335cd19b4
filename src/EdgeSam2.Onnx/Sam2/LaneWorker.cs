using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A thread of its own that runs one piece of work each time it is started, while the starting thread runs its own
/// share: two <see cref="Handoff"/>s and a fixed delegate, so a start allocates nothing and no pool thread is waited
/// for. Between starts the worker spins briefly (the next per-object call of a frame follows within a fraction of a
/// millisecond), then sleeps. What the work throws is handed to the caller in <see cref="Join"/>.
/// </summary>
internal sealed class LaneWorker : IDisposable
{
    /// <summary>How long the worker spins for the next start, and the caller for the worker's end, before sleeping.</summary>
    internal static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs

    private readonly Action _work;
    private readonly long _spinTicks;
    private readonly Thread _thread;
    private readonly Handoff _start = new();
    private readonly Handoff _done = new();
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;
    private bool _running;
    private bool _disposed;
    private long _runs;

    /// <param name="name">The thread's name.</param>
    /// <param name="work">What each start runs.</param>
    /// <param name="spinTicks">Stopwatch ticks to spin before sleeping, both sides; default <see cref="SpinTicks"/>.</param>
    public LaneWorker(string name, Action work, long? spinTicks = null)
    {
        _work = work;
        _spinTicks = spinTicks ?? SpinTicks;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Starts run on the worker's thread so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Starts the work on the worker's thread; <see cref="Join"/> must follow before the next start.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_running)
        {
            throw new InvalidOperationException("the lane's last work was not joined");
        }

        _running = true;
        _start.Set();
    }

    /// <summary>Waits for the work started last; rethrows what it threw.</summary>
    public void Join()
    {
        if (!_running)
        {
            return;
        }

        _done.Wait(_spinTicks);
        _running = false;
        if (_failure is { } failure)
        {
            _failure = null;
            failure.Throw();
        }
    }

    /// <summary>Ends the thread; the caller must have joined its last start (not thread-safe against Start or Join).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        // The owner joins every start before it can dispose (OnnxSam2Model does), so no share is running here.
        _disposed = true;
        _stopping = true;
        _start.Set();
        _thread.Join();
        _start.Dispose();
        _done.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _start.Wait(_spinTicks);
            if (_stopping)
            {
                return;
            }

            try
            {
                Interlocked.Increment(ref _runs);
                _work();
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                _done.Set();
            }
        }
    }
}
