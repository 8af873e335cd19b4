using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// The bench's one-object scene through the tracker alone: a disc that slides behind a bar slowly, so that for a dozen
/// frames on each side only a shrinking, then growing, sliver shows (<see cref="StandardScenes.SlowBar"/>), and the same
/// at the bench's 3000-frame speed, where every frame's mask is nearly the last one's for 500 frames on each side
/// (<see cref="StandardScenes.CreepingBar"/>). With the default options it must come out the far side under the same id
/// and be held there.
/// </summary>
public sealed class SlowBarTests(TestModelSet models, ITestOutputHelper output) : IClassFixture<TestModelSet>
{
    private const double ReacquiredIoU = 0.85, VisibleIoU = 0.8;
    private const int ReacquireFrames = 3;

    /// <summary>The bench's bar: tracked again within this many frames of being half visible after it.</summary>
    private const int BenchRecoveryFrames = 10;

    [Theory]
    [InlineData("scalar")]
    [InlineData("offsets")]
    public void Track_SlowBar_ReacquiresWithinThreeFramesAndHoldsIoUWhileHalfVisible(string form)
    {
        var target = StandardScenes.Slow.TargetId;
        var scores = SceneRun.TrackOneObject(models.Get(form), StandardScenes.SlowBar(), target);
        var trace = SceneRun.DescribeHealth(scores);
        output.WriteLine(trace);

        Assert.All(scores, s => Assert.Equal(target, s.ObjectId));
        var hidden = scores.FindLastIndex(s => s.VisibleFraction == 0);
        Assert.True(hidden > 0, "the scene hides the disc on no frame");
        var back = scores.FindIndex(hidden, s => s.VisibleFraction >= SceneRun.VisibleForIoU);
        Assert.True(back > hidden, "the disc is not half visible again after the bar");

        var reacquired = scores.Skip(back).Take(ReacquireFrames).Any(s => s.IoU >= ReacquiredIoU);
        Assert.True(reacquired, $"IoU < {ReacquiredIoU} on frames {back}–{back + ReacquireFrames - 1} after reappearing. {trace}");
        foreach (var s in scores.Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU))
        {
            Assert.True(s.IoU >= VisibleIoU, $"frame {s.Frame}: IoU {s.IoU:0.000} < {VisibleIoU} while {s.VisibleFraction:P0} visible. {trace}");
        }

        // The right events: occluded while hidden, reappeared (or recovered, had it been lost) once, on the far side.
        var occluded = scores.Where(s => s.Events.Contains(nameof(TrackEventKind.Occluded), StringComparison.Ordinal)).ToList();
        var returned = scores.Where(s => s.Events.Contains(nameof(TrackEventKind.Reappeared), StringComparison.Ordinal)
            || s.Events.Contains(nameof(TrackEventKind.Recovered), StringComparison.Ordinal)).ToList();
        Assert.Single(occluded);
        Assert.Single(returned);
        Assert.True(occluded[0].Frame <= hidden && returned[0].Frame > hidden, trace);
        Assert.All(scores.Skip(back), s => Assert.Equal(ObjectState.Tracking, s.State));
    }

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
        Assert.True(back > hidden && back + BenchRecoveryFrames < scores.Count, "the disc is not half visible again early enough after the bar");

        var reacquired = scores.FindIndex(back, s => s.IoU >= ReacquiredIoU);
        Assert.True(reacquired >= 0 && reacquired < back + BenchRecoveryFrames, $"IoU < {ReacquiredIoU} on frames {back}–{back + BenchRecoveryFrames - 1} after the disc is half visible again. {trace}");
        foreach (var s in scores.Skip(reacquired))
        {
            Assert.True(s.IoU >= VisibleIoU, $"frame {s.Frame}: IoU {s.IoU:0.000} < {VisibleIoU} while {s.VisibleFraction:P0} visible, after re-acquiring on frame {reacquired}. {trace}");
        }

        Assert.All(scores, s => Assert.Equal(target, s.ObjectId));
        Assert.All(scores.Skip(reacquired), s => Assert.Equal(ObjectState.Tracking, s.State));
    }
}
