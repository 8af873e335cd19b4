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

    /// <summary>
    /// A remove of object 2 (or of all objects, naming the current frame), then a late prompt on object 2, collected on
    /// one frame: carried forward, the prompt would be undone by the older remove on the live frame, the operator's later
    /// word lost. It is applied on the current frame after the remove, as beside a reset.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(null)]
    public void TakeLateAfterClear_RemoveOfTheObjectQueuedBeforeALatePromptOnIt_PromptAppliedOnTheCurrentFrameAfterTheRemove(int? removed)
    {
        var (renderer, tracker, model) = Seeded();
        using var _ = model;
        var remove = new PendingCommand(new RemoveRequest("remove", removed, new FrameSelector(1, null)), Target) { Sequence = 1 };
        var late = new PendingCommand(Prompt("late", 2, renderer.CentreOf(1, StandardScenes.Two.DiscId), new FrameSelector(0, null)), Target) { Sequence = 2 };

        List<PendingCommand> due = [remove], lates = [late];
        var commands = due.Select(c => CommandMapping.ToTrackerCommand(c, Spec.Width, Spec.Height)).ToList();
        Assert.True(CameraPipeline.TakeLateAfterClear(due, lates, commands, Spec.Width, Spec.Height));

        Assert.Empty(lates);
        Assert.Equal([remove, late], commands.Select(c => c.Tag));
        using var frame = tracker.Process(renderer.RenderFrame(1), Spec.Width, Spec.Height, 1, Time(1), commands);
        Assert.All(frame.Outcomes, o => Assert.True(o.Succeeded, o.Error));
        Assert.Equal([2], tracker.ObjectIds); // the square removed, object 2 made again by the later prompt
        Assert.Equal(
            [(TrackEventKind.Removed, 2), (TrackEventKind.Created, 2)],
            frame.Events.Where(e => e.ObjectId == 2).Select(e => (e.Kind, e.ObjectId)));
    }

    /// <summary>
    /// A late prompt on object 2, then a remove of it, collected on one frame: the remove is the operator's later word and
    /// wins. The prompt is carried forward (its corrections end before the live frame) and the object is removed on the
    /// live frame after it; a remove queued between two late prompts splits them in arrival order.
    /// </summary>
    [Fact]
    public void TakeLateAfterClear_RemoveQueuedAfterTheLatePrompt_PromptCarriedForwardThenTheObjectRemovedOnTheLiveFrame()
    {
        var (renderer, tracker, model) = Seeded();
        using var _ = model;
        var before = new PendingCommand(Prompt("before", 2, renderer.CentreOf(0, StandardScenes.Two.DiscId), new FrameSelector(0, null)), Target) { Sequence = 1 };
        var remove = new PendingCommand(new RemoveRequest("remove", 2, default), Target) { Sequence = 2 };
        var after = new PendingCommand(Prompt("after", 2, renderer.CentreOf(1, StandardScenes.Two.DiscId), new FrameSelector(0, null)), Target) { Sequence = 3 };
        var closing = new PendingCommand(new RemoveRequest("closing", 2, default), Target) { Sequence = 4 };

        // The remove after "after" is the last word: "after" goes between the two removes, "before" to the catch-up.
        List<PendingCommand> due = [remove, closing], lates = [before, after];
        var commands = due.Select(c => CommandMapping.ToTrackerCommand(c, Spec.Width, Spec.Height)).ToList();
        Assert.True(CameraPipeline.TakeLateAfterClear(due, lates, commands, Spec.Width, Spec.Height));
        Assert.Equal([before], lates);
        Assert.Equal([remove, after, closing], commands.Select(c => c.Tag));

        var ring = new FrameRing(4, TimeSpan.FromSeconds(60));
        for (var i = 0; i <= 1; i++)
        {
            ring.Add(renderer.RenderFrame(i), Spec.Width, Spec.Height, Spec.Width, Spec.Height, i, Time(i));
        }

        List<CameraPipeline.LateJob> jobs = [new(before, (PromptCommand)CommandMapping.ToTrackerCommand(before, Spec.Width, Spec.Height), 0)];
        var corrections = new List<TrackedFrame>();
        try
        {
            CameraPipeline.CatchUp(tracker, ring, jobs, 1, corrections, [], []);
            Assert.True(jobs[0].Outcome!.Succeeded, jobs[0].Outcome!.Error);
            var frames = new List<TrackedFrame>();
            CameraPipeline.CorrectionFrames(jobs, 0, corrections, 1, frames);
            Assert.Equal([0L], frames.Select(f => f.FrameIndex)); // published before the live frame it is removed on

            using var live = tracker.Process(renderer.RenderFrame(1), Spec.Width, Spec.Height, 1, Time(1), commands);
            Assert.All(live.Outcomes, o => Assert.True(o.Succeeded, o.Error));
            Assert.Empty(tracker.ObjectIds);
            Assert.DoesNotContain(live.Objects, o => o.ObjectId == 2);
            Assert.Equal(TrackEventKind.Removed, live.Events.Last(e => e.ObjectId == 2).Kind);
        }
        finally
        {
            corrections.ForEach(f => f.Dispose());
        }
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

    /// <summary>A tracker on the test models with the square prompted as object 2 on frame 0.</summary>
    private static (SceneRenderer Renderer, Sam2Tracker Tracker, IDisposable Models) Seeded()
    {
        var renderer = new SceneRenderer(Spec);
        var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var square = new PendingCommand(Prompt("square", 2, renderer.CentreOf(0, StandardScenes.Two.SquareId), default), Target);
        using (var first = tracker.Process(renderer.RenderFrame(0), Spec.Width, Spec.Height, 0, Time(0), [CommandMapping.ToTrackerCommand(square, Spec.Width, Spec.Height)]))
        {
            Assert.True(first.Outcomes[0].Succeeded, first.Outcomes[0].Error);
        }

        return (renderer, tracker, new Disposables(model, set));
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }

    private static PromptRequest Prompt(string id, int objectId, ScenePoint p, FrameSelector at) =>
        new(id, objectId, null, [new PromptPoint((float)p.X, (float)p.Y, true)], null, false, false, at);

    private static DateTimeOffset Time(int frame) => DateTimeOffset.UnixEpoch.AddSeconds(frame / Spec.FramesPerSecond);
}
