namespace EdgeSam2.Video.Tests;

public sealed class CaptureTimelineTests
{
    private static readonly DateTimeOffset Anchor = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Stamp_File_AnchorPlusPtsFromTheFilesFirstFrame_AlsoAfterANewSession()
    {
        var timeline = new CaptureTimeline(file: true, Anchor);

        var first = timeline.Stamp(1.0, 0, 25, Anchor.AddHours(1));
        var second = timeline.Stamp(1.04, 1, 25, Anchor.AddHours(1));
        timeline.BeginSession();
        var resumed = timeline.Stamp(1.08, 2, 25, Anchor.AddHours(5));

        Assert.Equal((Anchor, CaptureClock.Pts), first);
        Assert.Equal((Anchor.AddMilliseconds(40), CaptureClock.Pts), second);
        Assert.Equal((Anchor.AddMilliseconds(80), CaptureClock.Pts), resumed);
    }

    [Fact]
    public void Stamp_FileWithoutPts_FallsBackToTheFrameRateThenArrival()
    {
        var timeline = new CaptureTimeline(file: true, Anchor);

        Assert.Equal((Anchor.AddMilliseconds(400), CaptureClock.FrameRate), timeline.Stamp(null, 10, 25, Anchor.AddHours(1)));
        Assert.Equal((Anchor.AddHours(1), CaptureClock.Arrival), timeline.Stamp(null, 10, 0, Anchor.AddHours(1)));
    }

    [Fact]
    public void Stamp_Live_PtsAnchoredAtConnectSoArrivalJitterDoesNotShow()
    {
        var timeline = new CaptureTimeline(file: false, Anchor);

        var a = timeline.Stamp(90.0, 0, 25, Anchor);
        var b = timeline.Stamp(90.04, 1, 25, Anchor.AddMilliseconds(75)); // arrived late
        var c = timeline.Stamp(90.08, 2, 25, Anchor.AddMilliseconds(81)); // arrived in a burst

        Assert.Equal((Anchor, CaptureClock.Pts), a);
        Assert.Equal((Anchor.AddMilliseconds(40), CaptureClock.Pts), b);
        Assert.Equal((Anchor.AddMilliseconds(80), CaptureClock.Pts), c);
    }

    [Fact]
    public void Stamp_Live_ReanchorsWhenPtsRunsAheadOrJumpsBackAndAtEachSession()
    {
        var timeline = new CaptureTimeline(file: false, Anchor);
        timeline.Stamp(10.0, 0, 25, Anchor);

        // The first frame was the late one: a capture can never be after its arrival.
        Assert.Equal(Anchor.AddMilliseconds(30), timeline.Stamp(10.04, 1, 25, Anchor.AddMilliseconds(30)).Time);
        Assert.Equal(Anchor.AddMilliseconds(70), timeline.Stamp(10.08, 2, 25, Anchor.AddMilliseconds(75)).Time);

        // The stream's clock went back (a camera rebooted behind a proxy): anchored again.
        Assert.Equal(Anchor.AddSeconds(1), timeline.Stamp(0.5, 3, 25, Anchor.AddSeconds(1)).Time);

        timeline.BeginSession();
        Assert.Equal(Anchor.AddSeconds(9), timeline.Stamp(0.52, 0, 25, Anchor.AddSeconds(9)).Time);
        Assert.Equal((Anchor.AddSeconds(9), CaptureClock.Arrival), timeline.Stamp(null, 1, 25, Anchor.AddSeconds(9)));
    }
}
