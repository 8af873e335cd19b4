namespace EdgeSam2.Video;

/// <summary>
/// Presentation times from the decoder's stderr, matched to the frames read from its stdout by frame number. The
/// decoder prints a frame's line before it writes the frame, but the two pipes are read on different threads, so the
/// reader may ask for a time that is still in flight: it waits for it briefly, and a time that never comes (or comes
/// too late) leaves that frame to the arrival clock without shifting the frames after it.
/// </summary>
internal sealed class FrameTimestamps
{
    private const int Capacity = 256;
    private readonly Queue<(long Frame, double? Pts)> _times = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _added = new(0);
    private bool _waiting; // under _gate: the reader is waiting for a time, so the next line must wake it

    /// <summary>Wake-ups not yet taken by a reader: at most one, however many times were added (tests).</summary>
    internal int PendingWakeups => _added.CurrentCount;

    public void Add(long frame, double? pts)
    {
        bool wake;
        lock (_gate)
        {
            if (_times.Count == Capacity)
            {
                _times.Dequeue();
            }

            _times.Enqueue((frame, pts));
            (wake, _waiting) = (_waiting, false);
        }

        // Only a waiting reader is woken: a release per line would pile up one count per frame (the reader waits only
        // when a time is late), and the first late time would then loop through all of them instead of waiting.
        if (wake)
        {
            _added.Release();
        }
    }

    /// <summary>Frame <paramref name="frame"/>'s presentation time in seconds; null when it has none or it did not come within <paramref name="wait"/>.</summary>
    public async ValueTask<double?> TakeAsync(long frame, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        long left;
        while (true)
        {
            lock (_gate)
            {
                while (_times.TryPeek(out var head) && head.Frame <= frame)
                {
                    _times.Dequeue();
                    if (head.Frame == frame)
                    {
                        return head.Pts;
                    }
                }

                left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return null; // not waiting, so no wake-up is asked for
                }

                _waiting = true;
            }

            bool woken;
            try
            {
                woken = await _added.WaitAsync(TimeSpan.FromMilliseconds(left), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                StopWaiting();
                throw;
            }

            if (!woken)
            {
                StopWaiting();
                return null;
            }
        }
    }

    /// <summary>Timed out or cancelled: the next line must not leave a wake-up that nobody takes.</summary>
    private void StopWaiting()
    {
        lock (_gate)
        {
            _waiting = false;
        }
    }
}
