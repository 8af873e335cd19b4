using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>One frame's outcome for the prompted object, against the scene's exact ground truth, with its health.</summary>
internal readonly record struct FrameScore(
    int Frame, double VisibleFraction, float ObjectScore, double IoU, ObjectState State,
    int ObjectId = 0, float PredictedIou = 0, bool MemoryWritten = false, bool MaskRejected = false, string Events = "");

/// <summary>Runs a tracker over a generated scene frame by frame, prompting one object with one click on frame 0.</summary>
internal static class SceneRun
{
    /// <summary>A frame counts as visible for the IoU bar when at least this much of the shape shows: a sliver
    /// narrower than the model's 4-px mask grid cannot be held to 0.9.</summary>
    public const double VisibleForIoU = 0.5;

    public static List<FrameScore> TrackOneObject(ISam2Model model, SceneSpec spec, int objectId, TrackerOptions? options = null)
    {
        var renderer = new SceneRenderer(spec);
        var tracker = new Sam2Tracker(model, options ?? new TrackerOptions());
        var frame = new byte[spec.FrameByteCount];
        var truth = new byte[spec.Width * spec.Height];
        var predicted = new byte[spec.Width * spec.Height];
        var upsampler = new MaskUpsampler();
        var scores = new List<FrameScore>(spec.FrameCount);
        var start = renderer.CentreOf(0, objectId);
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < spec.FrameCount; i++)
        {
            renderer.RenderFrame(i, frame);
            IReadOnlyList<TrackerCommand> commands = i == 0
                ? [new PromptCommand(new ObjectPrompt { Points = [new PromptPoint((float)start.X, (float)start.Y, true)] })]
                : [];
            using var result = tracker.Process(frame, spec.Width, spec.Height, i, t0.AddSeconds(i / spec.FramesPerSecond), commands);
            if (i == 0)
            {
                Assert.True(result.Outcomes[0].Succeeded, result.Outcomes[0].Error);
            }

            var observation = result.Objects.Single(o => o.ObjectId == result.Outcomes.FirstOrDefault()?.ObjectIds[0] || o.ObjectId == 1);
            upsampler.UpsampleAndThreshold(observation.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize), result.LowResSize, result.LowResSize, predicted, spec.Width, spec.Height);
            renderer.RenderVisibleMask(i, objectId, truth);
            var visible = (double)renderer.VisibleArea(i, objectId) / renderer.FullArea(i, objectId);
            var events = string.Join(",", result.Events.Where(e => e.ObjectId == observation.ObjectId).Select(e => e.Kind));
            scores.Add(new FrameScore(
                i, visible, observation.ObjectScore, MaskMetrics.IoU(predicted, truth), observation.State,
                observation.ObjectId, observation.PredictedIou, observation.FramesSinceMemoryWrite == 0, observation.MaskRejected, events));
        }

        return scores;
    }

    /// <summary>IoU of object <paramref name="id"/>'s mask in <paramref name="frame"/> against scene object <paramref name="sceneObject"/> on <paramref name="sceneFrame"/>.</summary>
    public static double IoU(SceneRenderer renderer, TrackedFrame frame, int id, int sceneFrame, int sceneObject)
    {
        var spec = renderer.Spec;
        var o = frame.Objects.Single(o => o.ObjectId == id);
        var predicted = new byte[spec.Width * spec.Height];
        var truth = new byte[predicted.Length];
        new MaskUpsampler().UpsampleAndThreshold(o.LowResLogits.AsSpan(0, frame.LowResSize * frame.LowResSize), frame.LowResSize, frame.LowResSize, predicted, spec.Width, spec.Height);
        renderer.RenderVisibleMask(sceneFrame, sceneObject, truth);
        return MaskMetrics.IoU(predicted, truth);
    }

    /// <summary>Frame: visible share / presence logit / IoU / predicted IoU, then W when memory was written, R when the
    /// mask was rejected as a jump, and the frame's events.</summary>
    public static string DescribeHealth(IEnumerable<FrameScore> scores) =>
        string.Join(" ", scores.Select(s =>
            $"{s.Frame}:{s.VisibleFraction:0.00}/{s.ObjectScore:0.0}/{s.IoU:0.000}/{s.PredictedIou:0.00}{(s.MemoryWritten ? "W" : "")}{(s.MaskRejected ? "R" : "")}{(s.Events.Length > 0 ? "[" + s.Events + "]" : "")}"));

    public static string Describe(IEnumerable<FrameScore> scores) =>
        string.Join(" ", scores.Select(s => $"{s.Frame}:{s.VisibleFraction:0.00}/{s.ObjectScore:0.0}/{s.IoU:0.000}"));
}
