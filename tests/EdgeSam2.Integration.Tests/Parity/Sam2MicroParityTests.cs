using EdgeSam2.Integration.Tests.Tracking;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Parity;

/// <summary>
/// Parity with SAM 2's own video predictor: graphs exported from SAM 2's code, run through the inference layer and
/// the tracker with the Reference policy, against what SAM 2 itself output on the same pixels and clicks. The
/// fixture's README sets the bar: per frame and object, mask IoU ≥ 0.999 and the same presence, in both forms.
/// </summary>
public sealed class Sam2MicroParityTests(ITestOutputHelper output)
{
    private const double MinIoU = 0.999;

    // SAM 2 stores memory as bfloat16; a float32 host differs by up to 1.1e-4 in object score (fixture README).
    private const float MaxScoreDelta = 2e-3f;

    [Theory]
    [InlineData("two", "manifest.json", 28)] // 16 frames of object 1, 12 of object 2
    [InlineData("two", "manifest.offsets.json", 28)]
    [InlineData("refine", "manifest.offsets.json", 16)]
    [InlineData("refine", "manifest.json", 16)] // exact too: the frame-8 pointer sits in the slot of its distance (MemoryAssembler)
    public void Reference_Scenario_MatchesSam2PerFrameAndObject(string scenario, string manifest, int pairs)
    {
        AssertParity(Run(scenario, manifest, new MemoryOptions { Policy = MemoryWritePolicy.Reference }), pairs);
    }

    [Fact]
    public void Reference_MaskScenario_MatchesSam2AddNewMask()
    {
        // Both objects seeded with a mask (SAM 2's add_new_mask), object 2 while object 1 is tracked; the set with the
        // mask-prompt decoder. The prompted frames are the mask itself (IoU 1 up to the antialiased down-sampling).
        var results = Run("mask", "manifest.masks.json", new MemoryOptions { Policy = MemoryWritePolicy.Reference });

        output.WriteLine($"mask: mean IoU {results.Average(r => r.IoU):0.000000}, min {results.Min(r => r.IoU):0.000000}, "
            + $"presence {results.Count(r => r.Present == r.Sam2Present)}/{results.Count}, max |Δscore| {results.Max(r => Math.Abs(r.Score - r.Sam2Score)):0.0000}");
        AssertParity(results, 28);
    }

    [Fact]
    public void MaskPrompt_SetWithoutMaskInput_RefusedWithReason()
    {
        var fixture = Sam2MicroFixture.Load();
        var (_, prompt) = Sam2MicroFixture.Prompts("mask")[0];
        using var set = Sam2ModelSet.Load(Path.Combine(Sam2MicroFixture.Dir, "graphs", "manifest.json"), TestModelSet.Settings);
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());

        using var result = tracker.Process(fixture.Frames[0], fixture.Width, fixture.Height, 0, DateTimeOffset.UnixEpoch, [new PromptCommand(prompt)]);

        var outcome = Assert.Single(result.Outcomes);
        Assert.False(outcome.Succeeded);
        Assert.Equal("mask", outcome.Field);
        Assert.Contains("no mask input", outcome.Error);
        Assert.Equal(0, tracker.ObjectCount);
    }

    [Fact]
    public void NonOverlappingMasks_ScenarioTwo_NoPixelInTwoMasksWhereSam2sOverlap()
    {
        // SAM 2's own masks of the two objects overlap on this clip (its predictor has non_overlap_masks off).
        var overlapping = Run("two", "manifest.offsets.json", new MemoryOptions { Policy = MemoryWritePolicy.Reference }, nonOverlapping: false, countOverlap: true);
        var separate = Run("two", "manifest.offsets.json", new MemoryOptions { Policy = MemoryWritePolicy.Reference }, nonOverlapping: true, countOverlap: true);

        Assert.True(overlapping.Sum(r => r.OverlapPixels) > 1000, "the fixture's masks should overlap without the constraint");
        Assert.All(separate, r => Assert.Equal(0, r.OverlapPixels));
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> through the tracker with <paramref name="memory"/>; one result per (frame, object)
    /// SAM 2 tracked. Non-overlapping masks are off by default here, as in SAM 2's predictor that made the fixture.
    /// </summary>
    internal static List<ParityResult> Run(string scenario, string manifest, MemoryOptions memory, bool nonOverlapping = false, bool countOverlap = false)
    {
        var fixture = Sam2MicroFixture.Load();
        var expected = Sam2MicroFixture.Expected(scenario);
        var prompts = Sam2MicroFixture.Prompts(scenario);
        using var set = Sam2ModelSet.Load(Path.Combine(Sam2MicroFixture.Dir, "graphs", manifest), TestModelSet.Settings);
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions { Memory = memory, NonOverlappingMasks = nonOverlapping });

        var (w, h) = (fixture.Width, fixture.Height);
        var ours = new byte[w * h];
        var theirs = new byte[w * h];
        var upsampler = new MaskUpsampler();
        var results = new List<ParityResult>();
        for (var f = 0; f < fixture.Frames.Length; f++)
        {
            var commands = new List<TrackerCommand>();
            foreach (var (frame, prompt) in prompts)
            {
                if (frame == f)
                {
                    commands.Add(new PromptCommand(prompt));
                }
            }

            using var result = tracker.Process(fixture.Frames[f], w, h, f, DateTimeOffset.UnixEpoch.AddSeconds(f / 10.0), commands);
            foreach (var outcome in result.Outcomes)
            {
                Assert.True(outcome.Succeeded, outcome.Error);
            }

            var overlap = countOverlap ? OverlapPixels(result, upsampler, w, h) : 0;
            foreach (var want in expected)
            {
                if (want.Frame != f)
                {
                    continue;
                }

                var got = result.Objects.SingleOrDefault(o => o.ObjectId == want.ObjectId);
                Assert.NotNull(got);
                upsampler.UpsampleAndThreshold(got.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize), result.LowResSize, result.LowResSize, ours, w, h);
                var decoded = CocoRle.Decode(want.MaskCounts, w, h, theirs);
                Assert.True(decoded.Success, decoded.Error);
                var iou = !want.Present && !got.Visible ? 1.0 : MaskMetrics.IoU(ours, theirs);
                results.Add(new ParityResult(f, want.ObjectId, iou, got.Visible, want.Present, got.ObjectScore, want.ObjectScore, overlap));
            }
        }

        return results;
    }

    /// <summary>The fixture's bar on every (frame, object): IoU ≥ 0.999, the same presence, the score within bfloat16 noise.</summary>
    private static void AssertParity(List<ParityResult> results, int pairs)
    {
        Assert.Equal(pairs, results.Count);
        var failures = results
            .Where(r => r.IoU < MinIoU || r.Present != r.Sam2Present || Math.Abs(r.Score - r.Sam2Score) > MaxScoreDelta)
            .Select(r => r.ToString())
            .ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Pixels of the frame inside more than one object's published mask.</summary>
    private static int OverlapPixels(TrackedFrame result, MaskUpsampler upsampler, int w, int h)
    {
        var counts = new int[w * h];
        var mask = new byte[w * h];
        foreach (var o in result.Objects)
        {
            upsampler.UpsampleAndThreshold(o.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize), result.LowResSize, result.LowResSize, mask, w, h);
            for (var i = 0; i < mask.Length; i++)
            {
                counts[i] += mask[i] != 0 ? 1 : 0;
            }
        }

        return counts.Count(c => c > 1);
    }
}

/// <summary>One (frame, object) of a parity run: our mask's IoU with SAM 2's, and both presences and scores.</summary>
internal sealed record ParityResult(int Frame, int ObjectId, double IoU, bool Present, bool Sam2Present, float Score, float Sam2Score, int OverlapPixels = 0)
{
    public override string ToString() =>
        $"frame {Frame} object {ObjectId}: IoU {IoU:0.00000}, present {Present} (SAM 2 {Sam2Present}), score {Score:0.0000} (SAM 2 {Sam2Score:0.0000})";
}
