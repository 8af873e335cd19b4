namespace EdgeSam2.Video;

/// <summary>
/// Capped exponential back-off between decoder restarts, with jitter. It starts again from the minimum as soon as a
/// decoder delivers a frame (<see cref="Reset"/>), so a camera that drops often but comes back at once is retried in
/// about <c>min</c> every time, while one that keeps failing is retried at most every <c>max</c>. The jitter spreads
/// the restarts of cameras that lost the same server, so they do not all knock on it in the same instant.
/// </summary>
internal sealed class RestartBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Func<double> _random;

    /// <param name="min">Delay after the first failure.</param>
    /// <param name="max">Cap on the delay.</param>
    /// <param name="jitter">Fraction 0..1: each delay is drawn uniformly from ±this share around the nominal one (then capped).</param>
    /// <param name="random">Uniform in [0, 1); <see cref="Random.Shared"/> when null (tests pass their own).</param>
    public RestartBackoff(TimeSpan min, TimeSpan max, double jitter, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        ArgumentOutOfRangeException.ThrowIfLessThan(jitter, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        _min = min;
        _max = max;
        _jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Failures since frames last flowed.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Frames flow again: the next failure waits only the minimum.</summary>
    public void Reset() => ConsecutiveFailures = 0;

    /// <summary>The delay before the next start; counts one more consecutive failure.</summary>
    public TimeSpan NextDelay()
    {
        var nominal = _min;
        for (var i = 0; i < ConsecutiveFailures && nominal < _max; i++)
        {
            nominal *= 2;
        }

        if (nominal > _max)
        {
            nominal = _max;
        }

        ConsecutiveFailures++;
        var factor = 1 + (_jitter * ((2 * _random()) - 1));
        var delay = TimeSpan.FromTicks((long)(nominal.Ticks * factor));
        return delay < _max ? delay : _max;
    }
}
