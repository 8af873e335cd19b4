namespace EdgeSam2.Video.Tests;

public sealed class RestartBackoffTests
{
    private static readonly Func<double> Middle = () => 0.5;

    [Fact]
    public void NextDelay_ConsecutiveFailures_DoublesUpToTheCap()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0);

        var delays = new double[7];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = backoff.NextDelay().TotalSeconds;
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(7, backoff.ConsecutiveFailures);
    }

    [Fact]
    public void NextDelay_AfterFramesFlowed_StartsAgainFromTheMinimum()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: 0);
        for (var i = 0; i < 5; i++)
        {
            backoff.NextDelay();
        }

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay());
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay());
    }

    [Fact]
    public void NextDelay_WithJitter_StaysWithinTheBandAndUnderTheCap()
    {
        var draws = new Queue<double>([0.0, 0.999999, 0.0, 0.999999]);
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), jitter: 0.5, () => draws.Dequeue());

        var low = backoff.NextDelay();
        var high = backoff.NextDelay();
        var cappedLow = backoff.NextDelay();
        var cappedHigh = backoff.NextDelay();

        Assert.Equal(TimeSpan.FromSeconds(0.5), low);
        Assert.Equal(TimeSpan.FromSeconds(2), high); // 2 s × 1.5 is capped at 2 s
        Assert.Equal(TimeSpan.FromSeconds(1), cappedLow);
        Assert.Equal(TimeSpan.FromSeconds(2), cappedHigh);
    }

    [Fact]
    public void NextDelay_JitterOfHalf_SpreadsDelaysAroundTheNominal()
    {
        var random = new Random(7);
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30), jitter: 0.5, random.NextDouble);
        var delays = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            backoff.Reset();
            delays.Add(backoff.NextDelay().TotalSeconds);
        }

        Assert.All(delays, d => Assert.InRange(d, 2.0, 6.0));
        Assert.True(delays.Max() - delays.Min() > 2, "jitter spreads the delays");
    }

    [Fact]
    public void NextDelay_ManyFailures_NeverOverflowsPastTheCap()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, Middle);
        var last = TimeSpan.Zero;
        for (var i = 0; i < 10_000; i++)
        {
            last = backoff.NextDelay();
        }

        Assert.Equal(TimeSpan.FromSeconds(30), last);
    }

    [Fact]
    public void Constructor_MaxBelowMinOrJitterOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), 1.5));
    }
}
