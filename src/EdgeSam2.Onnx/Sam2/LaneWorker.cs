using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A thread of its own that runs one piece of work each time it is started, while the starting thread runs its own
/// share: two <see cref="Handoff"/>s and a fixed delegate, so a start allocates nothing and no pool thread is waited
/// for. Between starts the worker spins briefly (the next per-object call of a frame follows within a fraction of a
/// millisecond), then sleeps. What the work throws is handed to the caller in <see cref="Join"/>.
/// <para>
/// Each start is run exactly once, by whichever side claims it first: the worker when it wakes, or the caller in
/// <see cref="Join"/> when the worker has not begun it by then. On a box whose cores are busy with other work (the
/// camera's decoder beside the graphs on two cores), the worker's thread can wait a scheduler slice for a core; the
/// caller, done with its own share, then runs the worker's share itself instead of sleeping until the worker has run
/// all of it. A worker that wakes to a start already claimed goes back to waiting.
/// </para>
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
    private int _state = Idle; // of the last start: Started until one side claims it (compare-exchange)
    private volatile bool _stopping;
    private bool _running;
    private bool _disposed;
    private long _runs;
    private long _runsByCaller;

    private const int Idle = 0, Started = 1, ClaimedByWorker = 2, ClaimedByCaller = 3;

    /// <param name="name">The thread's name.</param>
    /// <param name="work">What each start runs.</param>
    /// <param name="spinTicks">Stopwatch ticks to spin before sleeping, both sides; default <see cref="SpinTicks"/>.</param>
    public LaneWorker(string name, Action work, long? spinTicks = null)
        : this(name, work, spinTicks, startThread: true)
    {
    }

    /// <param name="name">The thread's name.</param>
    /// <param name="work">What each start runs.</param>
    /// <param name="spinTicks">Stopwatch ticks to spin before sleeping, both sides; default <see cref="SpinTicks"/>.</param>
    /// <param name="startThread">False (tests): the thread starts at <see cref="StartThread"/>, so starts before it are the caller's to claim.</param>
    internal LaneWorker(string name, Action work, long? spinTicks, bool startThread)
    {
        _work = work;
        _spinTicks = spinTicks ?? SpinTicks;
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        if (startThread)
        {
            _thread.Start();
        }
    }

    /// <summary>Starts the worker's thread when the constructor was told not to.</summary>
    internal void StartThread() => _thread.Start();

    /// <summary>Starts run on the worker's thread so far.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Starts the caller ran itself in <see cref="Join"/> so far, the worker not having begun them.</summary>
    public long RunsByCaller => Interlocked.Read(ref _runsByCaller);

    /// <summary>Starts the work on the worker's thread; <see cref="Join"/> must follow before the next start.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_running)
        {
            throw new InvalidOperationException("the lane's last work was not joined");
        }

        _running = true;
        Interlocked.Exchange(ref _state, Started); // after the caller set up the work: a claim sees it whole
        _start.Set();
    }

    /// <summary>
    /// Runs the work started last here if the worker has not begun it (what it throws then comes straight out), else
    /// waits for the worker to finish it and rethrows what it threw. With <paramref name="skipUnbegun"/> (the call has
    /// already failed, so it fails whatever this share does), work the worker has not begun is not run at all.
    /// </summary>
    public void Join(bool skipUnbegun = false)
    {
        if (!_running)
        {
            return;
        }

        _running = false;
        if (Interlocked.CompareExchange(ref _state, ClaimedByCaller, Started) == Started)
        {
            if (skipUnbegun)
            {
                return;
            }

            Interlocked.Increment(ref _runsByCaller);
            _work();
            return;
        }

        _done.Wait(_spinTicks);
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
        if ((_thread.ThreadState & System.Threading.ThreadState.Unstarted) == 0) // a test's worker may never have been started
        {
            _thread.Join();
        }

        _start.Dispose();
        _done.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            // A start the caller claimed before this thread woke leaves its signal behind (a later start's signal
            // may coalesce with it): each wake claims at most the one start that is open, so none runs twice.
            _start.Wait(_spinTicks);
            if (_stopping)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, ClaimedByWorker, Started) != Started)
            {
                continue;
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
