using System.Text;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Tests.Cameras;

public sealed class CommandInboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private readonly ManualTime _time = new(T0);

    private static PendingCommand Command(string id, long? frame = null, DateTimeOffset? time = null) =>
        new(new RemoveRequest(id, 1, new FrameSelector(frame, time)), new ReplyTarget("t", null));

    private static PendingCommand Reset(string id) => new(new ResetRequest(id), new ReplyTarget("t", null));

    private CommandInbox NewInbox(int capacity, long maxFramesAhead = 1000) =>
        new(new InboxLimits(capacity, maxFramesAhead, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), _time);

    private static (List<PendingCommand> Due, List<PendingCommand> Late) Collect(CommandInbox inbox, long index, bool refuseLate = true)
    {
        var due = new List<PendingCommand>();
        var late = new List<PendingCommand>();
        inbox.Collect(index, T0 + (index * Step), index == 0 ? null : T0 + ((index - 1) * Step), refuseLate, due, late);
        return (due, late);
    }

    private static string Ids(List<PendingCommand> commands) => string.Join(",", commands.Select(c => c.Request.RequestId));

    /// <summary>
    /// Arrival numbers tell which of the commands collected on one frame came last (the frame loop applies a late prompt
    /// after a remove of its object only when it came after it); the due list is in arrival order, resets first.
    /// </summary>
    [Fact]
    public void TryAdd_CommandsAroundAReset_NumberedInArrivalOrderAndCollectedInIt()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 0);
        List<PendingCommand> dropped = [];
        var (dropped1, reset, now, late, again) = (Command("dropped", 1), Reset("reset"), Command("now", 1), Command("late", 0), Command("again", 1));
        foreach (var command in new[] { dropped1, reset, now, late, again })
        {
            Assert.Null(inbox.TryAdd(command, dropped));
        }

        Assert.Equal([dropped1], dropped);
        Assert.Equal([1L, 2, 3, 4, 5], new[] { dropped1, reset, now, late, again }.Select(c => c.Sequence));
        var (due, _) = Collect(inbox, 1, refuseLate: false);
        Assert.Equal("reset,now,late,again", Ids(due)); // a late remove is due now on a Live camera
        Assert.True(due.Zip(due.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));
    }

    /// <summary>
    /// A Live camera that lagged skips frames: commands naming a skipped frame (after the last one tracked) are due on the
    /// next tracked frame, together and in arrival order, not late; only a frame tracked already is late.
    /// </summary>
    [Fact]
    public void Collect_CommandsNamingFramesSkippedSinceTheLastTracked_DueNowInArrivalOrder()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 5);
        var (prompt, remove, past) = (Command("on-7", 7), Command("on-8", 8), Command("on-5", 5));
        foreach (var command in new[] { prompt, remove, past })
        {
            Assert.Null(inbox.TryAdd(command, []));
        }

        var (due, late) = Collect(inbox, 9); // frames 6-8 were skipped
        Assert.Equal("on-7,on-8", Ids(due));
        Assert.Equal("on-5", Ids(late));
    }

    [Fact]
    public void TryAdd_FloodOf8KMaskPromptsWaitingForAFrame_HoldsOnlyTheirRle()
    {
        // Each prompt claims a full 7680×4320 mask (33 MB of pixels); a full inbox of them must cost what the
        // messages cost, as their pixels are decoded only when one is applied, into the tracker's own buffer.
        var inbox = NewInbox(64);
        var json = Encoding.UTF8.GetBytes("""{"request_id":"m","frame":500,"mask":{"size":[4320,7680],"counts":"0PP`do0"}}""");
        var limits = new CommandLimits(65536, 8, 16, 200);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 64; i++)
        {
            var parsed = CommandParser.ParsePrompt(json, limits);
            Assert.Null(inbox.TryAdd(new PendingCommand(parsed.Request!, new ReplyTarget("t", null)), []));
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.Equal(64, inbox.Count);
        Assert.True(grown < 1024 * 1024, $"64 waiting mask prompts hold {grown} bytes");
    }

    [Fact]
    public void TryAdd_CaptureTimeAtTheEndsOfTime_FutureRefusedPastLate()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 0);
        var future = inbox.TryAdd(Command("future", time: DateTimeOffset.MaxValue), []);
        Assert.Equal("capture_time", future?.Field);
        Assert.Contains("ahead of this camera's latest frame", future?.Message, StringComparison.Ordinal);

        Assert.Null(inbox.TryAdd(Command("past", time: DateTimeOffset.MinValue), []));
        Assert.Equal("past", Ids(Collect(inbox, 1).Late));
    }

    [Fact]
    public void Collect_FramesNamed_EachDueOnItsFrameInArrivalOrder()
    {
        var inbox = NewInbox(8);
        inbox.TryAdd(Command("a", 2), []);
        inbox.TryAdd(Command("b"), []);
        inbox.TryAdd(Command("c", 0), []);
        inbox.TryAdd(Command("d", 2), []);
        Assert.Equal("b,c", Ids(Collect(inbox, 0).Due));
        Assert.Equal("", Ids(Collect(inbox, 1).Due));
        Assert.Equal("a,d", Ids(Collect(inbox, 2).Due));
        Assert.Equal(0, inbox.Count);
    }

    [Fact]
    public void Collect_FrameAlreadyPassed_DeterministicRefusesIt()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 0);
        inbox.TryAdd(Command("old", 0), []);
        var (due, late) = Collect(inbox, 5);
        Assert.Empty(due);
        Assert.Equal("old", Ids(late));
    }

    [Fact]
    public void Collect_RemovalFrameAlreadyPassed_LiveAppliesItNow()
    {
        var inbox = NewInbox(8);
        inbox.TryAdd(Command("old", 0), []);
        var (due, late) = Collect(inbox, 5, refuseLate: false);
        Assert.Equal("old", Ids(due));
        Assert.Empty(late);
    }

    [Fact]
    public void Collect_PromptFrameAlreadyPassed_LiveHandsItToTheRing()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 4, refuseLate: false); // frame 2 was tracked (or passed) before frame 4
        inbox.TryAdd(new PendingCommand(new PromptRequest("p", null, null, [new PromptPoint(1, 1, true)], null, false, false, new FrameSelector(2, null)), new ReplyTarget("t", null)), []);
        var (due, late) = Collect(inbox, 5, refuseLate: false);
        Assert.Empty(due);
        Assert.Equal("p", Ids(late));
    }

    [Fact]
    public void Collect_CaptureTime_DueOnTheFirstFrameAtOrAfterIt()
    {
        var inbox = NewInbox(8);
        inbox.TryAdd(Command("exact", time: T0 + (3 * Step)), []);
        inbox.TryAdd(Command("between", time: T0 + (4 * Step) + TimeSpan.FromMilliseconds(40)), []);
        Assert.Empty(Collect(inbox, 2).Due);
        Assert.Equal("exact", Ids(Collect(inbox, 3).Due));
        Assert.Empty(Collect(inbox, 4).Due);
        Assert.Equal("between", Ids(Collect(inbox, 5).Due));
    }

    [Fact]
    public void Collect_CaptureTimeOfAPassedFrame_IsLate()
    {
        var inbox = NewInbox(8);
        inbox.TryAdd(Command("old", time: T0 + Step), []);
        Assert.Equal("old", Ids(Collect(inbox, 4).Late));
    }

    [Fact]
    public void TryAdd_Full_RefusedNamingTheBound()
    {
        var inbox = NewInbox(2);
        Assert.Null(inbox.TryAdd(Command("a", 100), []));
        Assert.Null(inbox.TryAdd(Command("b", 100), []));
        var refused = inbox.TryAdd(Command("c", 100), []);
        Assert.NotNull(refused);
        Assert.Contains("2 commands are already waiting", refused.Value.Message, StringComparison.Ordinal);
        Assert.Equal(2, inbox.Count);
    }

    [Fact]
    public void Close_ReturnsWaitingAndRefusesLaterCommands()
    {
        var inbox = NewInbox(4);
        inbox.TryAdd(Command("a", 100), []);
        var waiting = inbox.Close("the file ended");
        Assert.Equal("a", Ids(waiting));
        Assert.Equal("the file ended", inbox.TryAdd(Command("b"), [])!.Value.Message);
    }

    [Fact]
    public void TryAdd_FrameTooFarAhead_RefusedAtOnce()
    {
        var inbox = NewInbox(8, maxFramesAhead: 100);
        Assert.Null(inbox.TryAdd(Command("near", 100), []));
        var refused = inbox.TryAdd(Command("far", 101), []);
        Assert.Equal("frame", refused!.Value.Field);
        Assert.Contains("more than 100 frames ahead", refused.Value.Message, StringComparison.Ordinal);
        Collect(inbox, 50);
        Assert.Null(inbox.TryAdd(Command("near-again", 150), []));
        Assert.Equal(2, inbox.Count);
    }

    [Fact]
    public void TryAdd_CaptureTimeTooFarAhead_RefusedAtOnce()
    {
        var inbox = NewInbox(8);
        Collect(inbox, 0);
        Assert.Null(inbox.TryAdd(Command("soon", time: T0 + TimeSpan.FromSeconds(29)), []));
        Assert.Equal("capture_time", inbox.TryAdd(Command("late", time: T0 + TimeSpan.FromSeconds(31)), [])!.Value.Field);
    }

    [Fact]
    public void TryAdd_ResetWhileFull_DropsEverythingWaitingAndGoesFirst()
    {
        var inbox = NewInbox(2);
        inbox.TryAdd(Command("a", 100), []);
        inbox.TryAdd(Command("b", 100), []);
        Assert.NotNull(inbox.TryAdd(Command("c", 100), []));
        var dropped = new List<PendingCommand>();
        Assert.Null(inbox.TryAdd(Reset("reset"), dropped));
        Assert.Equal("a,b", Ids(dropped));
        Assert.Null(inbox.TryAdd(Command("after", 0), []));
        Assert.Equal("reset,after", Ids(Collect(inbox, 0).Due));
    }

    [Fact]
    public void TryAdd_RemoveAllWithoutFrame_ClearsLikeAReset()
    {
        var inbox = NewInbox(1);
        inbox.TryAdd(Command("a", 100), []);
        var dropped = new List<PendingCommand>();
        var removeAll = new PendingCommand(new RemoveRequest("all", null, default), new ReplyTarget("t", null));
        Assert.Null(inbox.TryAdd(removeAll, dropped));
        Assert.Equal("a", Ids(dropped));
    }

    [Fact]
    public void Expire_CommandOlderThanTheTimeout_MovedOut()
    {
        var inbox = NewInbox(8);
        inbox.TryAdd(Command("old", 500), []);
        _time.Advance(TimeSpan.FromSeconds(6));
        inbox.TryAdd(Command("young", 500), []);
        var expired = new List<PendingCommand>();
        inbox.Expire(expired);
        Assert.Empty(expired);
        _time.Advance(TimeSpan.FromSeconds(5));
        inbox.Expire(expired);
        Assert.Equal("old", Ids(expired));
        Assert.Equal(1, inbox.Count);
    }

    [Fact]
    public void DrainTo_Disabled_TakesEverythingAndStaysOpen()
    {
        var inbox = NewInbox(4);
        inbox.TryAdd(Command("a", 100), []);
        inbox.TryAdd(Reset("r"), []);
        inbox.TryAdd(Command("b", 100), []);
        var dropped = new List<PendingCommand>();
        inbox.DrainTo(dropped);
        Assert.Equal("r,b", Ids(dropped));
        Assert.Equal(0, inbox.Count);
        Assert.Null(inbox.TryAdd(Command("c", 1), []));
    }
}
