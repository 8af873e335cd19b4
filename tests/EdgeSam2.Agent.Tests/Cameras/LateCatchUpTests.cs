using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Cameras.LatePrompts;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Tests.Cameras;

/// <summary>
/// A frame's catch-up (the late prompts scheduled on it carried forward through the kept frames) and the corrections it
/// publishes, through a real tracker on the test models and a real frame ring, without the agent's timing.
/// </summary>
public sealed class LateCatchUpTests
{
    private const int ObjectId = 5, Current = 10, Created = 2, Corrected = 6;
    private static readonly ReplyTarget Target = new("t", null);
    private static readonly SceneSpec Spec = StandardScenes.TwoTargets();

    /// <summary>
    /// One catch-up: a late prompt creates object 5 on frame 2, another corrects it on frame 6. Each frame goes out once,
    /// in frame order: frames 2–5 under the first request, 6–9 under the second, whichever the operator sent first.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CatchUp_ObjectCreatedThenCorrected_EachFrameOnceInFrameOrderUnderThePromptThatDecidedIt(bool correctionSentFirst)
    {
        var renderer = new SceneRenderer(Spec);
        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var ring = new FrameRing(20, TimeSpan.FromSeconds(60));
        for (var i = 0; i <= Current; i++)
        {
            ring.Add(renderer.RenderFrame(i), Spec.Width, Spec.Height, Spec.Width, Spec.Height, i, Time(i));
        }

        var (create, correct) = (Job(ring, renderer, "create", Created), Job(ring, renderer, "correct", Corrected));
        List<CameraPipeline.LateJob> jobs = correctionSentFirst ? [correct, create] : [create, correct];
        var corrections = new List<TrackedFrame>();
        try
        {
            CameraPipeline.CatchUp(tracker, ring, jobs, Current, corrections, [], []);
            Assert.All(jobs, j => Assert.True(j.Outcome!.Succeeded, j.Outcome.Error));
            Assert.Equal([("create", Created), ("correct", Corrected)], jobs.Select(j => (j.Command.Request.RequestId, j.PromptFrame)));

            var published = new List<(string?, long)>();
            var frames = new List<TrackedFrame>();
            for (var j = 0; j < jobs.Count; j++)
            {
                CameraPipeline.CorrectionFrames(jobs, j, corrections, Current, frames);
                published.AddRange(frames.Select(f => (jobs[j].Command.Request.RequestId, f.FrameIndex)));
            }

            List<(string?, long)> expected = [
                .. Frames(Created, Corrected).Select(f => ("create", f)),
                .. Frames(Corrected, Current).Select(f => ("correct", f))];
            Assert.Equal(expected, published);
        }
        finally
        {
            corrections.ForEach(f => f.Dispose());
        }
    }

    private static IEnumerable<long> Frames(long from, long until)
    {
        for (var f = from; f < until; f++)
        {
            yield return f;
        }
    }

    private static CameraPipeline.LateJob Job(FrameRing ring, SceneRenderer renderer, string id, int frame)
    {
        Assert.Equal(RingLookup.Found, ring.FindFrame(frame, out var position));
        var disc = renderer.CentreOf(frame, StandardScenes.Two.DiscId);
        var command = new PendingCommand(
            new PromptRequest(id, ObjectId, null, [new PromptPoint((float)disc.X, (float)disc.Y, true)], null, false, false, new FrameSelector(frame, null)), Target);
        return new(command, (PromptCommand)CommandMapping.ToTrackerCommand(command, Spec.Width, Spec.Height), position);
    }

    private static DateTimeOffset Time(int frame) => DateTimeOffset.UnixEpoch.AddSeconds(frame / Spec.FramesPerSecond);
}
