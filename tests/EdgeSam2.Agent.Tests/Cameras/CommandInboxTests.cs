using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;

namespace EdgeSam2.Agent.Tests.Cameras;

public sealed class CommandInboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private static PendingCommand Command(string id, long? frame = null, DateTimeOffset? time = null) =>
        new(new RemoveRequest(id, 1, new FrameSelector(frame, time)), new ReplyTarget("t", null));

    private static (List<PendingCommand> Due, List<PendingCommand> Late) Collect(CommandInbox inbox, long index, bool refuseLate = true)
    {
        var due = new List<PendingCommand>();
        var late = new List<PendingCommand>();
        inbox.Collect(index, T0 + (index * Step), index == 0 ? null : T0 + ((index - 1) * Step), refuseLate, due, late);
        return (due, late);
    }

    private static string Ids(List<PendingCommand> commands) => string.Join(",", commands.Select(c => c.Request.RequestId));

    [Fact]
    public void Collect_FramesNamed_EachDueOnItsFrameInArrivalOrder()
    {
        var inbox = new CommandInbox(8);
        inbox.TryAdd(Command("a", 2));
        inbox.TryAdd(Command("b"));
        inbox.TryAdd(Command("c", 0));
        inbox.TryAdd(Command("d", 2));
        Assert.Equal("b,c", Ids(Collect(inbox, 0).Due));
        Assert.Equal("", Ids(Collect(inbox, 1).Due));
        Assert.Equal("a,d", Ids(Collect(inbox, 2).Due));
        Assert.Equal(0, inbox.Count);
    }

    [Fact]
    public void Collect_FrameAlreadyPassed_DeterministicRefusesIt()
    {
        var inbox = new CommandInbox(8);
        Collect(inbox, 0);
        inbox.TryAdd(Command("old", 0));
        var (due, late) = Collect(inbox, 5);
        Assert.Empty(due);
        Assert.Equal("old", Ids(late));
    }

    [Fact]
    public void Collect_FrameAlreadyPassed_LiveAppliesItNow()
    {
        var inbox = new CommandInbox(8);
        inbox.TryAdd(Command("old", 0));
        var (due, late) = Collect(inbox, 5, refuseLate: false);
        Assert.Equal("old", Ids(due));
        Assert.Empty(late);
    }

    [Fact]
    public void Collect_CaptureTime_DueOnTheFirstFrameAtOrAfterIt()
    {
        var inbox = new CommandInbox(8);
        inbox.TryAdd(Command("exact", time: T0 + (3 * Step)));
        inbox.TryAdd(Command("between", time: T0 + (4 * Step) + TimeSpan.FromMilliseconds(40)));
        Assert.Empty(Collect(inbox, 2).Due);
        Assert.Equal("exact", Ids(Collect(inbox, 3).Due));
        Assert.Empty(Collect(inbox, 4).Due);
        Assert.Equal("between", Ids(Collect(inbox, 5).Due));
    }

    [Fact]
    public void Collect_CaptureTimeOfAPassedFrame_IsLate()
    {
        var inbox = new CommandInbox(8);
        inbox.TryAdd(Command("old", time: T0 + Step));
        Assert.Equal("old", Ids(Collect(inbox, 4).Late));
    }

    [Fact]
    public void TryAdd_Full_RefusedNamingTheBound()
    {
        var inbox = new CommandInbox(2);
        Assert.Null(inbox.TryAdd(Command("a", 100)));
        Assert.Null(inbox.TryAdd(Command("b", 100)));
        var refused = inbox.TryAdd(Command("c", 100));
        Assert.NotNull(refused);
        Assert.Contains("2 commands are already waiting", refused.Value.Message, StringComparison.Ordinal);
        Assert.Equal(2, inbox.Count);
    }

    [Fact]
    public void Close_ReturnsWaitingAndRefusesLaterCommands()
    {
        var inbox = new CommandInbox(4);
        inbox.TryAdd(Command("a", 100));
        var waiting = inbox.Close("the file ended");
        Assert.Equal("a", Ids(waiting));
        Assert.Equal("the file ended", inbox.TryAdd(Command("b"))!.Value.Message);
    }
}
