namespace EdgeSam2.Agent.Tests.Support;

/// <summary>A clock the test moves: timestamps in ticks, so elapsed time is exact. Timers are not supported.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = TimeSpan.TicksPerSecond; // not 0: 0 reads as "never" in some callers

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(_ticks - TimeSpan.TicksPerSecond);

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
