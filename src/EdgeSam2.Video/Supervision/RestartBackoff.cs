namespace EdgeSam2.Video;

/// <summary>
/// Capped exponential back-off between decoder restarts. A decoder that ran healthily for long enough resets it, so
/// a camera that drops once a day reconnects in <c>min</c>, while one that keeps failing is retried at most every <c>max</c>.
/// </summary>
internal sealed class RestartBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly TimeSpan _healthyPeriod;

    public RestartBackoff(TimeSpan min, TimeSpan max, TimeSpan healthyPeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _healthyPeriod = healthyPeriod;
    }

    /// <summary>Failures since the last healthy run.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>The delay before the next start, given how long the run that just ended streamed frames.</summary>
    public TimeSpan NextDelay(TimeSpan streamedFor)
    {
        if (streamedFor >= _healthyPeriod)
        {
            ConsecutiveFailures = 0;
        }

        var delay = _min;
        for (var i = 0; i < ConsecutiveFailures && delay < _max; i++)
        {
            delay = delay == TimeSpan.Zero ? TimeSpan.Zero : delay * 2;
        }

        ConsecutiveFailures++;
        return delay < _max ? delay : _max;
    }
}
