using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Tests.Cameras;

public sealed class CommandMappingTests
{
    private static readonly ReplyTarget Target = new("t", null);

    private static PendingCommand Prompt(bool normalized, PromptBox? box = null, bool refine = false) =>
        new(new PromptRequest("r", 3, "red", [new PromptPoint(0.25f, 0.5f, true), new PromptPoint(0.75f, 1f, false)], box, normalized, refine, default), Target);

    [Fact]
    public void ToTrackerCommand_Normalized_ScaledToTheFrame()
    {
        var command = (PromptCommand)CommandMapping.ToTrackerCommand(Prompt(true, new PromptBox(0, 0.25f, 0.5f, 1)), 512, 384);
        Assert.Equal([new PromptPoint(128, 192, true), new PromptPoint(384, 384, false)], command.Prompt.Points);
        Assert.Equal(new PromptBox(0, 96, 256, 384), command.Prompt.Box);
        Assert.Equal(3, command.Prompt.ObjectId);
        Assert.Equal("red", command.Prompt.Label);
        Assert.NotNull(command.Tag);
    }

    [Fact]
    public void ToTrackerCommand_Pixels_Unchanged()
    {
        var command = (PromptCommand)CommandMapping.ToTrackerCommand(Prompt(false), 512, 384);
        Assert.Equal([new PromptPoint(0.25f, 0.5f, true), new PromptPoint(0.75f, 1f, false)], command.Prompt.Points);
        Assert.Null(command.Prompt.Box);
    }

    [Fact]
    public void ToTrackerCommand_Refine_MarksRefineOnly() =>
        Assert.True(((PromptCommand)CommandMapping.ToTrackerCommand(Prompt(false, refine: true), 10, 10)).Prompt.RefineOnly);

    [Fact]
    public void ToTrackerCommand_RemoveAll_HasNoId()
    {
        var command = (RemoveCommand)CommandMapping.ToTrackerCommand(new PendingCommand(new RemoveRequest("r", null, default), Target), 10, 10);
        Assert.Null(command.ObjectId);
    }

    [Fact]
    public void ToReply_RemoveAll_ListsTheIds()
    {
        var command = new PendingCommand(new RemoveRequest("r", null, default), Target);
        var reply = CommandMapping.ToReply(command, CommandOutcome.Ok(command, 1, 4), 9);
        Assert.True(reply.Ok);
        Assert.Equal([1, 4], reply.ObjectIds);
        Assert.Null(reply.ObjectId);
        Assert.Equal(9, reply.Frame);
    }

    [Fact]
    public void ToReply_Failure_CarriesFieldErrorAndFrame()
    {
        var command = Prompt(false);
        var reply = CommandMapping.ToReply(command, CommandOutcome.Fail(command, "points[0]", "outside"), 20);
        Assert.False(reply.Ok);
        Assert.Equal(("points[0]", "outside", 20L), (reply.Field, reply.Error, reply.Frame));
        Assert.Equal("r", reply.RequestId);
    }

    [Theory]
    [InlineData(true, "frame")]
    [InlineData(false, "capture_time")]
    public void ToReply_TrackerRefusesTheFrame_NamesTheFieldTheSenderUsed(bool byNumber, string field)
    {
        var at = byNumber ? new FrameSelector(12, null) : new FrameSelector(null, DateTimeOffset.UnixEpoch);
        var command = new PendingCommand(new PromptRequest("r", 3, null, [new PromptPoint(1, 1, true)], null, false, false, at), Target);
        var reply = CommandMapping.ToReply(command, CommandOutcome.Fail(command, "frame", "object 3 was prompted on frame 14, after frame 12"), 20);
        Assert.Equal(field, reply.Field);
    }
}
