using EdgeSam2.Bench.Report;

namespace EdgeSam2.Bench.Tests;

/// <summary>Recoveries after the bar: counted from when an object is half visible again (pure: made-up frames).</summary>
public sealed class RecoveryScoringTests
{
    [Theory]
    [InlineData(0, 1)] // tracked the frame it is half visible again
    [InlineData(9, 1)] // the last frame of the window
    [InlineData(10, 0)] // one frame too late
    public void Recoveries_HiddenThenHalfVisible_CountsATrackWithinTheWindow(int trackedAfter, int expected)
    {
        // Half visible on frames 0-9, hidden 10-19, half visible again from frame 20 on.
        var (visible, tracked) = (new bool[40, 1], new bool[40, 1]);
        for (var f = 0; f < 40; f++)
        {
            visible[f, 0] = f < 10 || f >= 20;
            tracked[f, 0] = f < 10 || f >= 20 + trackedAfter;
        }

        Assert.Equal((1, expected), QualityScorer.Recoveries(visible, tracked));
    }

    [Fact]
    public void Recoveries_NeverHidden_NoOcclusion()
    {
        var (visible, tracked) = (new bool[20, 2], new bool[20, 2]);
        for (var f = 0; f < 20; f++)
        {
            visible[f, 0] = visible[f, 1] = true;
        }

        Assert.Equal((0, 0), QualityScorer.Recoveries(visible, tracked));
    }
}
