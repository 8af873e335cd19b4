namespace EdgeSam2.Video.Tests;

public sealed class ActivityWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void IsStalled_NoActivityForTheTimeout_True()
    {
        var time = new ManualTimeProvider();
        var watchdog = new ActivityWatchdog(time, Timeout);
        watchdog.Touch();

        time.Advance(Timeout - TimeSpan.FromTicks(1));
        Assert.False(watchdog.IsStalled);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(watchdog.IsStalled);
    }

    [Fact]
    public void IsStalled_TouchedBeforeTheTimeout_FalseAndClockRestarts()
    {
        var time = new ManualTimeProvider();
        var watchdog = new ActivityWatchdog(time, Timeout);
        watchdog.Touch();

        time.Advance(TimeSpan.FromSeconds(9));
        watchdog.Touch();
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(watchdog.IsStalled);
        Assert.Equal(TimeSpan.FromSeconds(9), watchdog.Idle);
    }

    [Fact]
    public void IsStalled_PausedWhileWaitingOnTheConsumer_NeverStalls()
    {
        var time = new ManualTimeProvider();
        var watchdog = new ActivityWatchdog(time, Timeout);
        watchdog.Touch();
        watchdog.Pause();

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(watchdog.IsStalled);
        Assert.Equal(TimeSpan.Zero, watchdog.Idle);
    }

    [Fact]
    public void IsStalled_TouchAfterPause_ClockRunsFromTheTouch()
    {
        var time = new ManualTimeProvider();
        var watchdog = new ActivityWatchdog(time, Timeout);
        watchdog.Pause();
        time.Advance(TimeSpan.FromMinutes(5));

        watchdog.Touch();
        time.Advance(Timeout);

        Assert.True(watchdog.IsStalled);
    }

    [Fact]
    public async Task WaitForStallAsync_AlreadyStalled_CompletesAtOnce()
    {
        var time = new ManualTimeProvider();
        var watchdog = new ActivityWatchdog(time, Timeout);
        watchdog.Touch();
        time.Advance(Timeout);

        await watchdog.WaitForStallAsync(CancellationToken.None).WaitAsync(FrameAssert.Timeout);

        Assert.True(watchdog.IsStalled);
    }
}
