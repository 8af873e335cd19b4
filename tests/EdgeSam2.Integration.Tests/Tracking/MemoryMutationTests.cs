using EdgeSam2.Scenes;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// The same scene as <see cref="OccludedTargetTests"/>, with the host's memory corrupted: each corruption must
/// make tracking fail. If one of these passes, the test models no longer expose that host bug.
/// </summary>
public sealed class MemoryMutationTests(TestModelSet models) : IClassFixture<TestModelSet>
{
    /// <summary>With a correct host every visible frame clears IoU 0.9; a corrupted one must lose most of them.</summary>
    private const double MaxGoodFraction = 0.6;

    [Theory]
    [InlineData(MemoryMutation.Stale)]
    [InlineData(MemoryMutation.Shuffled)]
    [InlineData(MemoryMutation.Empty)]
    [InlineData(MemoryMutation.WrongTemporalCodes)]
    public void Track_CorruptedMemory_LosesTheTarget(MemoryMutation mutation)
    {
        var model = new MutatingModel(models.Scalar, mutation);
        var scores = SceneRun.TrackOneObject(model, StandardScenes.OccludedTarget(), StandardScenes.Occluded.TargetId);

        var visible = scores.Where(s => s.Frame > 0 && s.VisibleFraction >= SceneRun.VisibleForIoU).ToList();
        var good = visible.Count(s => s.IoU >= 0.9);
        Assert.True(
            good < MaxGoodFraction * visible.Count,
            $"{mutation}: {good}/{visible.Count} visible frames still tracked at IoU ≥ 0.9. {SceneRun.Describe(scores)}");
    }
}
