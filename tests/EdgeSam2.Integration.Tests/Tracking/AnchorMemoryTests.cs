using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;
using Xunit.Abstractions;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// Anchor memories (DAM4SAM's distractor-resolving memory, <see cref="MemoryOptions.MaxAnchors"/>): written while a
/// look-alike is near a reliable target, never evicted by absent frames, bounded.
/// </summary>
public sealed class AnchorMemoryTests(MultimaskModelSet models, ITestOutputHelper output) : IClassFixture<MultimaskModelSet>
{
    /// <summary>
    /// Absent frames written as SAM 2 writes them (every one): after 17 hidden frames the recent memories hold nothing,
    /// and only an anchor from when the look-alike passed, long before, still shows where the target was. With anchors
    /// the target is found again; without them (the control) it is not.
    /// </summary>
    [Fact]
    public void Track_LookAlikeThenLongHide_AnchorsReacquireWhereAbsentWritesLoseIt()
    {
        var spec = StandardScenes.LookAlikeThenHide();
        var withAnchors = Run(spec, maxAnchors: 2, out var anchorFrames);
        var without = Run(spec, maxAnchors: 0, out _);
        var defaultPolicyWithout = Run(spec, maxAnchors: 0, out _, new MemoryOptions().MaxAbsentWrites);
        const int halfVisibleAgain = 70;
        var after = (List<ObjectScore> run) => run.Where(s => s.Frame >= halfVisibleAgain).ToList();
        var judged = withAnchors.Where(s => s.VisibleFraction >= SceneRun.VisibleForIoU).ToList();
        output.WriteLine($"anchors written on frames {string.Join(", ", anchorFrames)}");
        output.WriteLine($"with anchors: min IoU from frame {halfVisibleAgain} {after(withAnchors).Min(s => s.IoU):0.000}, on every frame at least half visible {judged.Min(s => s.IoU):0.000}");
        output.WriteLine($"without anchors: max IoU from frame {halfVisibleAgain} {after(without).Max(s => s.IoU):0.000}");
        output.WriteLine($"default MaxAbsentWrites, no anchors: min IoU from frame {halfVisibleAgain} {after(defaultPolicyWithout).Min(s => s.IoU):0.000}");

        Assert.NotEmpty(anchorFrames);
        Assert.All(anchorFrames, f => Assert.InRange(f, 20L, 45L)); // only while the look-alike was near
        Assert.Contains(judged, s => s.Frame >= halfVisibleAgain);
        Assert.All(judged, s => Assert.True(s.IoU >= LookAlikeTests.MinIoU, $"with anchors, frame {s.Frame}: IoU {s.IoU:0.000}. {LookAlikeRun.Describe(withAnchors)}"));
        Assert.All(after(without), s => Assert.True(s.IoU < LookAlikeTests.MinIoU, $"without anchors, frame {s.Frame}: IoU {s.IoU:0.000}"));
    }

    /// <summary>Two look-alikes touching for 40 frames write anchor after anchor; the bank never holds more than its bound.</summary>
    [Fact]
    public void Track_LookAlikesTouching_AnchorsTurnOverWithinTheBound()
    {
        var spec = StandardScenes.LookAlikesTouching();
        var options = new TrackerOptions();
        var anchorFrames = new HashSet<long>();
        var worstFill = 0;
        LookAlikeRun.TrackAll(models.OneMask, spec, options, (result, tracker) =>
        {
            foreach (var o in result.Objects)
            {
                var memory = tracker.MemoryOf(o.ObjectId)!;
                Assert.InRange(memory.AnchorCount, 0, options.Memory.MaxAnchors);
                Assert.InRange(o.MemoryFrames, 1, o.MemoryCapacity);
                Assert.Equal(memory.Capacity, o.MemoryCapacity);
                worstFill = Math.Max(worstFill, o.MemoryFrames);
                if (memory.AnchorCount > 0)
                {
                    anchorFrames.Add(memory.NewestAnchorFrame);
                }
            }
        });

        output.WriteLine($"anchors written on frames {string.Join(", ", anchorFrames.Order())}; most memories held {worstFill}");
        Assert.True(anchorFrames.Count > options.Memory.MaxAnchors, $"only {anchorFrames.Count} anchors were written");
    }

    private List<ObjectScore> Run(SceneSpec spec, int maxAnchors, out List<long> anchorFrames, int maxAbsentWrites = int.MaxValue)
    {
        var options = new TrackerOptions { Memory = new MemoryOptions { MaxAbsentWrites = maxAbsentWrites, MaxAnchors = maxAnchors } };
        var frames = new List<long>();
        var scores = LookAlikeRun.Track(models.Multimask, spec, new HashSet<int> { StandardScenes.ThenHide.TargetId }, options, (result, tracker) =>
        {
            var memory = tracker.MemoryOf(StandardScenes.ThenHide.TargetId)!;
            if (memory.AnchorCount > 0 && !frames.Contains(memory.NewestAnchorFrame))
            {
                frames.Add(memory.NewestAnchorFrame);
            }
        });
        anchorFrames = frames;
        return scores;
    }
}
