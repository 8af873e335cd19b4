namespace EdgeSam2.Video.Tests;

public sealed class RestartBackoffTests
{
    private static readonly TimeSpan Healthy = TimeSpan.FromSeconds(60);

    [Fact]
    public void NextDelay_ConsecutiveFailures_DoublesUpToTheCap()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Healthy);

        var delays = new double[7];
        for (var i = 0; i < delays.Length; i++)
        {
            delays[i] = backoff.NextDelay(TimeSpan.Zero).TotalSeconds;
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(7, backoff.ConsecutiveFailures);
    }

    [Fact]
    public void NextDelay_AfterAHealthyRun_StartsAgainFromTheMinimum()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Healthy);
        for (var i = 0; i < 5; i++)
        {
            backoff.NextDelay(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay(Healthy));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay(TimeSpan.FromSeconds(59)));
    }

    [Fact]
    public void NextDelay_ShortRunsBeforeHealthy_KeepBackingOff()
    {
        var backoff = new RestartBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), Healthy);

        backoff.NextDelay(TimeSpan.FromSeconds(59));
        backoff.NextDelay(TimeSpan.FromSeconds(59));

        Assert.Equal(TimeSpan.FromMilliseconds(400), backoff.NextDelay(TimeSpan.FromSeconds(59)));
    }

    [Fact]
    public void NextDelay_ManyFailures_NeverOverflowsPastTheCap()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), Healthy);
        var last = TimeSpan.Zero;
        for (var i = 0; i < 10_000; i++)
        {
            last = backoff.NextDelay(TimeSpan.Zero);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), last);
    }

    [Fact]
    public void Constructor_MaxBelowMin_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RestartBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), Healthy));
    }
}
