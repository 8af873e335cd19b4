using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Tracking.Tests.Tracker;

public sealed class MotionTrackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An object sliding behind an occluder: its visible box narrows frame by frame, then it is hidden for 3 s. The box
    /// published for it keeps the size last estimated instead of shrinking to nothing at the rate the occluder cut it.
    /// </summary>
    [Fact]
    public void Observe_HiddenAfterItsBoxNarrowedBehindAnOccluder_PredictedSizeHeld()
    {
        var track = new MotionTrack();
        for (var i = 0; i < 20; i++)
        {
            // 72 px wide, then cut by 3 px a frame from frame 10 on (the centre moves half as fast as the object).
            var width = i < 10 ? 72f : 72f - (3 * (i - 9));
            track.Observe(true, 100 + (2 * i) - ((72 - width) / 2), 50, width, 72, T0.AddSeconds(i / 25.0));
        }

        var lastSeen = track.Estimate;
        Assert.True(lastSeen.VelocityX > 0);
        for (var i = 20; i < 95; i++)
        {
            track.Observe(false, 0, 0, 0, 0, T0.AddSeconds(i / 25.0));
        }

        var hidden = track.Estimate;
        Assert.Equal(lastSeen.Width, hidden.Width, 3);
        Assert.Equal(lastSeen.Height, hidden.Height, 3);
        var predicted = track.PredictedBoxAt(T0.AddSeconds(100 / 25.0))!.Value;
        Assert.Equal(lastSeen.Width, predicted.W, 3);
    }
}
