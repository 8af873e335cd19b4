using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>One object's outcome on one frame: IoU with its own ground truth and with every other object's.</summary>
internal readonly record struct ObjectScore(int Frame, int Id, double VisibleFraction, double IoU, double IoUWithOther, bool Present, bool MaskRejected);

/// <summary>Runs a tracker over a generated scene, prompting every scene object with one click at its centre on frame 0.</summary>
internal static class LookAlikeRun
{
    public static List<ObjectScore> TrackAll(ISam2Model model, SceneSpec spec, TrackerOptions? options = null) =>
        TrackAll(model, spec, options, static (_, _) => { });

    /// <summary>As above; <paramref name="inspect"/> sees every frame's result and the tracker before the result is disposed.</summary>
    public static List<ObjectScore> TrackAll(ISam2Model model, SceneSpec spec, TrackerOptions? options, Action<TrackedFrame, Sam2Tracker> inspect) =>
        Track(model, spec, spec.Objects.Select(o => o.Id).ToHashSet(), options, inspect);

    /// <summary>As above, prompting and scoring only the objects in <paramref name="tracked"/>; the others are look-alikes to ignore.</summary>
    public static List<ObjectScore> Track(ISam2Model model, SceneSpec spec, IReadOnlySet<int> tracked, TrackerOptions? options, Action<TrackedFrame, Sam2Tracker> inspect)
    {
        var renderer = new SceneRenderer(spec);
        var tracker = new Sam2Tracker(model, options ?? new TrackerOptions());
        var frame = new byte[spec.FrameByteCount];
        var truth = new byte[spec.Width * spec.Height];
        var other = new byte[spec.Width * spec.Height];
        var predicted = new byte[spec.Width * spec.Height];
        var upsampler = new MaskUpsampler();
        var scores = new List<ObjectScore>();
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < spec.FrameCount; i++)
        {
            renderer.RenderFrame(i, frame);
            var commands = new List<TrackerCommand>();
            if (i == 0)
            {
                foreach (var o in spec.Objects.Where(o => tracked.Contains(o.Id)))
                {
                    var c = renderer.CentreOf(0, o.Id);
                    commands.Add(new PromptCommand(new ObjectPrompt { ObjectId = o.Id, Points = [new PromptPoint((float)c.X, (float)c.Y, true)] }));
                }
            }

            using var result = tracker.Process(frame, spec.Width, spec.Height, i, t0.AddSeconds(i / spec.FramesPerSecond), commands);
            Assert.All(result.Outcomes, o => Assert.True(o.Succeeded, o.Error));
            inspect(result, tracker);
            foreach (var o in spec.Objects.Where(o => tracked.Contains(o.Id)))
            {
                var observation = result.Objects.Single(x => x.ObjectId == o.Id);
                upsampler.UpsampleAndThreshold(observation.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize), result.LowResSize, result.LowResSize, predicted, spec.Width, spec.Height);
                renderer.RenderVisibleMask(i, o.Id, truth);
                var withOther = 0.0;
                foreach (var p in spec.Objects)
                {
                    if (p.Id != o.Id)
                    {
                        renderer.RenderVisibleMask(i, p.Id, other);
                        withOther = Math.Max(withOther, MaskMetrics.IoU(predicted, other));
                    }
                }

                var visible = (double)renderer.VisibleArea(i, o.Id) / renderer.FullArea(i, o.Id);
                scores.Add(new ObjectScore(i, o.Id, visible, MaskMetrics.IoU(predicted, truth), withOther, observation.Visible, observation.MaskRejected));
            }
        }

        return scores;
    }

    public static string Describe(IEnumerable<ObjectScore> scores) =>
        string.Join(" ", scores.Select(s => $"{s.Frame}#{s.Id}:{s.VisibleFraction:0.00}/{s.IoU:0.00}/{s.IoUWithOther:0.00}{(s.MaskRejected ? "R" : "")}"));
}
