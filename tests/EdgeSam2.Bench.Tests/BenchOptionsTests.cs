namespace EdgeSam2.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Parse_FocusedRerun_NarrowsThePlanAndKeepsTheOneObjectCase()
    {
        var options = BenchOptions.Parse(
            ["--objects", "8,4", "--repeats", "5", "--frames", "60", "--throughput-only", "--intra-op-threads", "1", "--object-threads", "3", "--decoder-threads", "2"], out var error);

        Assert.NotNull(options);
        Assert.Equal("", error);
        var settings = BenchSettings.From(options, "/repo");
        // Every cost is set against one object, so the 1-object case is always run, first.
        Assert.Equal([1, 4, 8], settings.Plan.ObjectCounts);
        Assert.Equal((5, 60, true), (settings.Plan.Repeats, settings.Plan.DeterministicFrames, settings.Plan.ThroughputOnly));
        Assert.Equal(new Agent.BenchThreads(1, 3, 2), settings.Threads);
        Assert.Equal("full", settings.Plan.Kind);
    }

    [Fact]
    public void Parse_NoOptions_RunsTheFullPlanWithTheAgentsThreadDefaults()
    {
        var settings = BenchSettings.From(BenchOptions.Parse([], out _)!, "/repo");

        Assert.Same(BenchPlan.Full, settings.Plan);
        Assert.Equal(3, settings.Plan.Repeats);
        Assert.Equal(new Agent.BenchThreads(0, 0, 0), settings.Threads);
    }

    [Fact]
    public void Parse_LiveOnly_KeepsTheLiveRunsAndOneObjectAgainstTheFloor()
    {
        var settings = BenchSettings.From(BenchOptions.Parse(["--live-only"], out _)!, "/repo");

        Assert.True(settings.Plan.LiveOnly);
        Assert.Equal([1], settings.Plan.ObjectCounts);
        Assert.Equal((1, 0.0), (settings.Plan.Repeats, settings.Plan.MemorySeconds));
        Assert.Equal(BenchPlan.Full.LiveDropObjects, settings.Plan.LiveDropObjects);
    }

    [Theory]
    [InlineData("--throughput-only")]
    [InlineData("--objects", "1,8")]
    [InlineData("--repeats", "3")]
    public void Parse_LiveOnlyWithAnOptionItIgnores_Refused(params string[] other)
    {
        Assert.Null(BenchOptions.Parse(["--live-only", .. other], out var error));
        Assert.StartsWith("bench: --live-only runs one object once against the floor", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MemorySeconds_SetsTheMemoryRunsLength_AlsoAfterTheLiveOnlyRuns()
    {
        var full = BenchSettings.From(BenchOptions.Parse(["--memory-seconds", "600"], out _)!, "/repo");
        var live = BenchSettings.From(BenchOptions.Parse(["--live-only", "--memory-seconds", "300"], out _)!, "/repo");

        Assert.Equal(600, full.Plan.MemorySeconds);
        Assert.Equal(BenchPlan.Full.ObjectCounts, full.Plan.ObjectCounts);
        Assert.Equal((true, 300.0), (live.Plan.LiveOnly, live.Plan.MemorySeconds));
    }

    [Fact]
    public void Parse_MemorySecondsWithThroughputOnly_Refused()
    {
        Assert.Null(BenchOptions.Parse(["--throughput-only", "--memory-seconds", "60"], out var error));
        Assert.StartsWith("bench: --throughput-only runs no memory run: not with --memory-seconds", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--memory-seconds", "5")]
    [InlineData("--memory-seconds", "36001")]
    [InlineData("--repeats", "0")]
    [InlineData("--repeats", "2,3")]
    [InlineData("--objects", "17")]
    [InlineData("--frames", "5")]
    [InlineData("--intra-op-threads", "many")]
    public void Parse_BadValue_NamesTheOption(string option, string value)
    {
        Assert.Null(BenchOptions.Parse([option, value], out var error));
        Assert.StartsWith($"bench: '{option}' is not a valid option here, or its value is missing", error, StringComparison.Ordinal);
    }
}
