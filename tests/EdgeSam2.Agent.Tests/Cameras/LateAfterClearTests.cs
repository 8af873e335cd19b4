using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Tests.Cameras;

/// <summary>
/// A late prompt collected on the same frame as a reset came after it (a reset empties the inbox as it arrives), so the
/// frame loop applies it to the current frame after the reset rather than carrying it forward (the catch-up runs before
/// the frame's commands, and the reset would then undo it). Tested on the lists the frame loop collects, then through a
/// real tracker on the test models, without timing.
/// </summary>
public sealed class LateAfterClearTests
{
    private static readonly ReplyTarget Target = new("t", null);
    private static readonly SceneSpec Spec = StandardScenes.TwoTargets();

    [Fact]
    public void TakeLateAfterClear_ResetDueWithALatePrompt_PromptAppliedOnTheCurrentFrameAfterTheResetAndNotCarried()
    {
        var renderer = new SceneRenderer(Spec);
        var (disc, square) = (renderer.CentreOf(1, StandardScenes.Two.DiscId), renderer.CentreOf(0, StandardScenes.Two.SquareId));
        var reset = new PendingCommand(new ResetRequest("wipe"), Target);
        var late = new PendingCommand(Prompt("late", 4, disc, new FrameSelector(0, null)), Target);
        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        using (var first = tracker.Process(renderer.RenderFrame(0), Spec.Width, Spec.Height, 0, Time(0), [CommandMapping.ToTrackerCommand(new PendingCommand(Prompt("square", 2, square, default), Target), Spec.Width, Spec.Height)]))
        {
            Assert.True(first.Outcomes[0].Succeeded, first.Outcomes[0].Error);
        }

        // Frame 1: the frame loop collected the reset as due and the prompt naming frame 0 as late.
        List<PendingCommand> due = [reset], lates = [late];
        var commands = due.Select(c => CommandMapping.ToTrackerCommand(c, Spec.Width, Spec.Height)).ToList();
        Assert.True(CameraPipeline.TakeLateAfterClear(due, lates, commands, Spec.Width, Spec.Height));

        Assert.Empty(lates); // nothing left for the catch-up
        Assert.Equal([reset, late], commands.Select(c => c.Tag));
        Assert.IsType<RemoveCommand>(commands[0]);
        Assert.IsType<PromptCommand>(commands[1]);
        using var frame = tracker.Process(renderer.RenderFrame(1), Spec.Width, Spec.Height, 1, Time(1), commands);
        Assert.All(frame.Outcomes, o => Assert.True(o.Succeeded, o.Error));
        Assert.Equal([2], frame.Outcomes[0].ObjectIds);
        Assert.Equal([4], tracker.ObjectIds); // the reset removed the square, the prompt that came after it made object 4
        Assert.Contains(frame.Events, e => e is { Kind: TrackEventKind.Created, ObjectId: 4, FrameIndex: 1 });
    }

    [Fact]
    public void TakeLateAfterClear_NoResetDue_LeavesTheLatePromptsForTheCatchUp()
    {
        var late = new PendingCommand(Prompt("late", 4, new ScenePoint(10, 10), new FrameSelector(0, null)), Target);
        List<PendingCommand> due = [new(new RemoveRequest("one", 3, default), Target)], lates = [late];
        var commands = new List<TrackerCommand>();
        Assert.False(CameraPipeline.TakeLateAfterClear(due, lates, commands, Spec.Width, Spec.Height));
        Assert.Equal([late], lates);
        Assert.Empty(commands);
    }

    private static PromptRequest Prompt(string id, int objectId, ScenePoint p, FrameSelector at) =>
        new(id, objectId, null, [new PromptPoint((float)p.X, (float)p.Y, true)], null, false, false, at);

    private static DateTimeOffset Time(int frame) => DateTimeOffset.UnixEpoch.AddSeconds(frame / Spec.FramesPerSecond);
}
