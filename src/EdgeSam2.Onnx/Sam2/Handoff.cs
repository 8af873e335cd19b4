using System.Diagnostics;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A signal from one thread to one waiting thread that the waiter first spins for, then blocks on. On the 2-core
/// bench box a thread woken from a blocking wait took 80 µs at the median and 2.6 ms at p99 to run (a guest's idle
/// core is halted by the hypervisor), against under 2 µs when the waiter still spins. A frame's per-object calls come a
/// fraction of a millisecond apart, so a short spin spares the second and third split call of a frame that wake-up
/// (the first follows the image encoder, long enough for the worker to have gone to sleep). The spin yields its core
/// when another thread is ready to run (<see cref="SpinWait"/>), so it does not hold up the thread it waits for.
/// Signals do not count: two <see cref="Set"/>s before a <see cref="Wait"/> are seen as one (a <see cref="LaneWorker"/>
/// whose caller claimed a start leaves that start's signal behind, and the next start's may join it).
/// </summary>
internal sealed class Handoff : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);
    private int _signalled;
    private int _sleeping;

    /// <summary>Signals the waiter: wakes it if it has gone to sleep, else it sees the signal while it spins.</summary>
    public void Set()
    {
        // Store, full fence, load here and in Wait: at least one side sees the other's store, so a sleeping waiter is
        // never left without a release (a release it did not need is absorbed by its re-check loop).
        Interlocked.Exchange(ref _signalled, 1);
        if (Volatile.Read(ref _sleeping) == 1)
        {
            _wake.Release();
        }
    }

    /// <summary>Waits for the next signal, spinning up to <paramref name="spinTicks"/> Stopwatch ticks before blocking, and consumes it.</summary>
    public void Wait(long spinTicks)
    {
        var deadline = Stopwatch.GetTimestamp() + spinTicks;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _signalled) == 0)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                Interlocked.Exchange(ref _sleeping, 1);
                while (Volatile.Read(ref _signalled) == 0)
                {
                    _wake.Wait();
                }

                Volatile.Write(ref _sleeping, 0);
                break;
            }

            // -1: yield rather than sleep 1 ms when spinning long, so the deadline is kept.
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        // Consumed atomically: a plain store of 0 could land after a Set made since the read above (the store
        // reordered after this thread's later loads) and wipe that signal out, leaving the waiter asleep for good.
        Interlocked.Exchange(ref _signalled, 0);
    }

    public void Dispose() => _wake.Dispose();
}
