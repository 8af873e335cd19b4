using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Imaging;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// The multimask decoder variant (three candidates: tight, normal, loose) and SAMURAI's choice among them by motion
/// (models/README.md). The test decoder scores the loose candidate highest whatever it covers, as a trained SAM 2 scores
/// a merged mask of look-alikes, so choosing by predicted IoU alone takes in a nearby look-alike.
/// </summary>
public sealed class CandidateChoiceTests(MultimaskModelSet models, ITestOutputHelper output) : IClassFixture<MultimaskModelSet>
{
    [Fact]
    public void Load_MultimaskManifest_ReadsThreeCandidatesFromTheGraph()
    {
        Assert.Equal(3, models.MultimaskSet.Info.DecoderCandidates);
        Assert.Equal(1, models.OneMaskSet.Info.DecoderCandidates);
        Assert.Equal(models.OneMaskSet.Info.LowResMaskSize, models.MultimaskSet.Info.LowResMaskSize);
    }

    /// <summary>The normal candidate is the single-mask decoder's mask, and the host-made memory mask equals the graph's.</summary>
    [Fact]
    public void DecodeMasks_NormalCandidate_MatchesSingleMaskDecoderAndItsMemoryMask()
    {
        var info = models.OneMaskSet.Info;
        var spec = StandardScenes.LookAlikePassing();
        var frame = new byte[spec.FrameByteCount];
        new SceneRenderer(spec).RenderFrame(0, frame);
        var image = new float[3 * info.InputSize * info.InputSize];
        FrameNormalizer.ToModelInput(frame, spec.Width, spec.Height, image, info.InputSize);

        var (l, s, c) = (info.LowResMaskSize, info.InputSize, info.FeatureChannels);
        var single = Decode(models.OneMask, image, spec, multimask: false);
        var multi = Decode(models.Multimask, image, spec, multimask: true);
        Assert.True(single.ObjectScores.Span[0] > 0);
        Assert.Equal(single.ObjectScores.Span[0], multi.ObjectScores.Span[0]);
        Assert.Equal(single.LowResMasks.Span[..(l * l)].ToArray(), multi.CandidateMasks.Span.Slice(l * l, l * l).ToArray());
        Assert.Equal(single.ObjectPointers.Span[..c].ToArray(), multi.CandidatePointers.Span.Slice(c, c).ToArray());

        var hostMask = new float[s * s];
        new MemoryMaskBuilder().Build(multi.CandidateMasks.Span.Slice(l * l, l * l), l, hostMask, s);
        var graphMask = single.MaskForMemory.Span;
        var worst = 0f;
        for (var i = 0; i < hostMask.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(hostMask[i] - graphMask[i]));
        }

        output.WriteLine($"mask_for_mem host vs graph: max |diff| {worst:g3}; ious {string.Join(", ", multi.CandidateIous.ToArray())}");
        Assert.True(worst < 1e-3, $"host mask_for_mem differs from the graph's by {worst}");

        // A prompt frame's memory mask is binarised, as SAM 2's video predictor makes it: ±10 with the sigmoid form's sign.
        var binarised = new float[s * s];
        new MemoryMaskBuilder().Build(multi.CandidateMasks.Span.Slice(l * l, l * l), l, binarised, s, fromPrompt: true);
        Assert.All(Enumerable.Range(0, s * s), i => Assert.Equal(hostMask[i] > 0 ? 10f : -10f, binarised[i]));
        var ious = multi.CandidateIous.Span;
        Assert.True(ious[2] > ious[1] && ious[1] > ious[0], "the test decoder ranks loose > normal > tight");
    }

    /// <summary>
    /// One tracked disc passes 30 px above a same-coloured one. Chosen with motion, its mask stays on it (IoU ≥ 0.8 on every
    /// frame); chosen by predicted IoU alone (the control), the loose candidate takes in the look-alike.
    /// </summary>
    [Fact]
    public void Track_PassingLookAlike_MotionChoiceKeepsTargetWhereIouChoiceMerges()
    {
        var spec = StandardScenes.LookAlikePassing();
        var withMotion = LookAlikeRun.TrackAll(models.Multimask, spec);
        var byIou = LookAlikeRun.TrackAll(models.Multimask, spec, new TrackerOptions { CandidateMotionWeight = 0 });
        var single = LookAlikeRun.TrackAll(models.OneMask, spec);
        foreach (var (name, run) in new[] { ("motion", withMotion), ("predicted IoU alone", byIou), ("single-mask decoder", single) })
        {
            output.WriteLine($"{name}: min IoU {run.Min(r => r.IoU):0.000}, mean {run.Average(r => r.IoU):0.000}, frames < 0.8: {run.Count(r => r.IoU < LookAlikeTests.MinIoU)}");
        }

        Assert.All(withMotion, r => Assert.True(r.IoU >= LookAlikeTests.MinIoU, $"frame {r.Frame}: IoU {r.IoU:0.000}. {LookAlikeRun.Describe(withMotion)}"));
        Assert.Contains(byIou, r => r.IoU < LookAlikeTests.MinIoU);
    }

    public static TheoryData<string> Scenes => new() { "crossing", "touching" };

    /// <summary>The look-alike bar of issue 10 with the multimask decoder and the default options.</summary>
    [Theory]
    [MemberData(nameof(Scenes))]
    public void Track_TwoLookAlikesWithMultimask_KeepTheirIdsAndNeverMerge(string scene)
    {
        var spec = scene == "crossing" ? StandardScenes.LookAlikesCrossing() : StandardScenes.LookAlikesTouching();
        var scores = LookAlikeRun.TrackAll(models.Multimask, spec);
        var judged = scores.Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU).ToList();
        Assert.True(judged.Count > spec.FrameCount, $"too few judged frames: {judged.Count}");
        foreach (var id in spec.Objects.Select(o => o.Id))
        {
            var mine = judged.Where(s => s.Id == id).ToList();
            output.WriteLine($"{scene} multimask object {id}: min IoU {mine.Min(s => s.IoU):0.000}, mean {mine.Average(s => s.IoU):0.000}; max IoU with the other {mine.Max(s => s.IoUWithOther):0.000}");
        }

        // For the figures: the same scene with the candidate chosen by predicted IoU alone.
        var byIou = LookAlikeRun.TrackAll(models.Multimask, spec, new TrackerOptions { CandidateMotionWeight = 0 })
            .Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU).ToList();
        output.WriteLine($"{scene} multimask by predicted IoU alone: min IoU {byIou.Min(s => s.IoU):0.000}, max IoU with the other {byIou.Max(s => s.IoUWithOther):0.000}");
        var trace = LookAlikeRun.Describe(scores);
        Assert.All(judged, s => Assert.True(s.IoU >= LookAlikeTests.MinIoU && s.IoUWithOther < 0.2, $"frame {s.Frame}, object {s.Id}: IoU {s.IoU:0.000}, with the other {s.IoUWithOther:0.000}. {trace}"));
    }

    private static DecoderBatch Decode(EdgeSam2.Onnx.Sam2.OnnxSam2Model model, float[] image, SceneSpec spec, bool multimask)
    {
        var info = model.Info;
        var features = new ImageFeatures(info);
        model.EncodeImage(image, features);
        var (l, s, c, k) = (info.LowResMaskSize, info.InputSize, info.FeatureChannels, info.DecoderCandidates);
        var start = spec.Objects[0].Trajectory.PositionAt(0);
        var batch = new DecoderBatch
        {
            Batch = 1,
            Points = 1,
            PointCoords = new[] { (float)(start.X * s / spec.Width), (float)(start.Y * s / spec.Height) },
            PointLabels = new[] { 1f },
            ImageEmbed = features.VisionFeats,
            ObjectPointers = new float[c],
            MaskForMemory = new float[s * s],
            LowResMasks = new float[l * l],
            Iou = new float[1],
            ObjectScores = new float[1],
            CandidateMasks = new float[k * l * l],
            CandidateIous = new float[k],
            CandidatePointers = new float[k * c],
        };
        Assert.Equal(multimask, k > 1);
        model.DecodeMasks(batch, features);
        return batch;
    }
}
