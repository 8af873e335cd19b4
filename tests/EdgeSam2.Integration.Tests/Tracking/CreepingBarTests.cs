using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// The bench's one-object scene at its 3000-frame speed through the tracker alone (<see cref="StandardScenes.CreepingBar"/>):
/// a disc that takes 500 frames to slide behind a bar and as long to come out, so each frame's mask is nearly the last
/// one's all the way down to a sliver. With the default options it must be tracked again within 10 frames of being half
/// visible on the far side, under the same id, and held there.
/// </summary>
public sealed class CreepingBarTests(TestModelSet models, ITestOutputHelper output) : IClassFixture<TestModelSet>
{
    private const double ReacquiredIoU = 0.85, VisibleIoU = 0.8;
    private const int ReacquireFrames = 10;

    [Fact]
    public void Track_CreepingBar_ReacquiresWithinTenFramesOfHalfVisible()
    {
        var target = StandardScenes.Creeping.TargetId;
        var scores = SceneRun.TrackOneObject(models.Scalar, StandardScenes.CreepingBar(), target);
        var trace = SceneRun.DescribeHealth(scores.Where(s => s.Frame % 10 == 0 || s.Events.Length > 0 || s.MaskRejected));
        output.WriteLine(trace);

        var hidden = scores.FindLastIndex(s => s.VisibleFraction == 0);
        Assert.True(hidden > 0, "the scene hides the disc on no frame");
        var back = scores.FindIndex(hidden, s => s.VisibleFraction >= SceneRun.VisibleForIoU);
        Assert.True(back > hidden && back + ReacquireFrames < scores.Count, "the disc is not half visible again early enough after the bar");

        var reacquired = scores.FindIndex(back, s => s.IoU >= ReacquiredIoU);
        Assert.True(reacquired >= 0 && reacquired < back + ReacquireFrames, $"IoU < {ReacquiredIoU} on frames {back}–{back + ReacquireFrames - 1} after the disc is half visible again. {trace}");
        foreach (var s in scores.Skip(reacquired))
        {
            Assert.True(s.IoU >= VisibleIoU, $"frame {s.Frame}: IoU {s.IoU:0.000} < {VisibleIoU} while {s.VisibleFraction:P0} visible, after re-acquiring on frame {reacquired}. {trace}");
        }

        Assert.All(scores, s => Assert.Equal(target, s.ObjectId));
        Assert.All(scores.Skip(reacquired), s => Assert.Equal(ObjectState.Tracking, s.State));
    }
}
