namespace EdgeSam2.Video;

/// <summary>
/// Detects a decoder that has gone quiet. It only counts time spent waiting on the decoder: while the source waits
/// on its consumer (a Deterministic source behind a slow tracker) the watchdog is paused, so back-pressure is never
/// mistaken for a stall.
/// </summary>
internal sealed class ActivityWatchdog
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private long _lastActivity;
    private int _waiting;

    public ActivityWatchdog(TimeProvider time, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _time = time;
        _timeout = timeout;
        _lastActivity = time.GetTimestamp();
    }

    /// <summary>Time since the decoder last showed activity while we were waiting on it; zero while paused.</summary>
    public TimeSpan Idle => Volatile.Read(ref _waiting) == 1 ? _time.GetElapsedTime(Volatile.Read(ref _lastActivity)) : TimeSpan.Zero;

    /// <summary>True when the decoder has been waited on for at least the timeout without delivering anything.</summary>
    public bool IsStalled => Idle >= _timeout;

    /// <summary>The decoder delivered something, and we are waiting on it again.</summary>
    public void Touch()
    {
        Volatile.Write(ref _lastActivity, _time.GetTimestamp());
        Volatile.Write(ref _waiting, 1);
    }

    /// <summary>We are waiting on the consumer, not the decoder: stop the clock until the next <see cref="Touch"/>.</summary>
    public void Pause() => Volatile.Write(ref _waiting, 0);

    /// <summary>Completes when the decoder is stalled; sleeps exactly until the earliest moment it could be.</summary>
    public async Task WaitForStallAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = _timeout - Idle;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(remaining, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
