namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// Capped exponential back-off with ±50 % jitter, clamped to [min, max]: many agents that lost the same broker do not
/// all come back in the same second.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan minimum, TimeSpan maximum, Func<double> random)
{
    /// <summary>The delay before attempt number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var exponent = Math.Min(attempt, 30);
        var ceiling = Math.Min(maximum.Ticks, minimum.Ticks * Math.Pow(2, exponent));
        var jittered = ceiling * (0.5 + random());
        return TimeSpan.FromTicks((long)Math.Clamp(jittered, minimum.Ticks, maximum.Ticks));
    }
}
