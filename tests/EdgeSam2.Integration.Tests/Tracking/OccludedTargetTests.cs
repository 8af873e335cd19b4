using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// The tracking core driving the real test graphs through the real ORT binding on a generated scene: a red disc
/// moving behind a grey bar, a same-coloured disc elsewhere. The graphs find the disc only where the host's memory
/// says it was, so these tests fail when the host's memory protocol is wrong.
/// </summary>
public sealed class OccludedTargetTests(TestModelSet models) : IClassFixture<TestModelSet>
{
    private static readonly int Target = StandardScenes.Occluded.TargetId;

    [Theory]
    [InlineData("scalar")]
    [InlineData("offsets")]
    public void Track_OccludedTarget_HoldsIoUWhileVisibleAndAbsenceWhileHidden(string form)
    {
        var scores = SceneRun.TrackOneObject(models.Get(form), StandardScenes.OccludedTarget(), Target);
        var trace = SceneRun.Describe(scores);

        foreach (var s in scores.Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU))
        {
            Assert.True(s.IoU >= 0.9, $"frame {s.Frame}: IoU {s.IoU:0.000} < 0.9 while {s.VisibleFraction:P0} visible. {trace}");
            Assert.True(s.ObjectScore > 0, $"frame {s.Frame}: presence logit {s.ObjectScore} ≤ 0 while visible. {trace}");
        }

        for (var f = StandardScenes.Occluded.FirstHiddenFrame; f <= StandardScenes.Occluded.LastHiddenFrame; f++)
        {
            Assert.True(scores[f].ObjectScore <= 0, $"frame {f}: presence logit {scores[f].ObjectScore} > 0 while fully hidden. {trace}");
            Assert.NotEqual(ObjectState.Tracking, scores[f].State);
        }

        var after = scores.Skip(StandardScenes.Occluded.LastHiddenFrame + 1).Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, s => Assert.Equal(ObjectState.Tracking, s.State));
    }
}
