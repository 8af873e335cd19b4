using System.Text.Json;
using EdgeSam2.Bench.Report;

namespace EdgeSam2.Bench.Tests;

public sealed class RunComparisonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Compare_TwoRuns_SetsEveryRatioBothMeasuredAgainstEachOther()
    {
        // Earlier: agent/floor 0.84 at 1, 0.78 at 8; cost vs 1 object 3.0 at 8; floor 4 → 11 ms (2.75×).
        var earlier = Report(
            [Row(1, 0.84, null), Row(4, 0.70, 2.1), Row(8, 0.78, 3.0)],
            [Floor(1, 4), Floor(4, 7), Floor(8, 11)]);
        // Now: 0.80 at 1 (4.9 % off), 0.79 at 8 (1.3 %); cost 2.5 at 8 (18.2 %); floor 4 → 10 ms (2.5×, 9.5 %); no 4-object case.
        var now = Report([Row(1, 0.80, null), Row(8, 0.79, 2.5)], [Floor(1, 4), Floor(8, 10)]);

        var agreement = RunComparison.Compare(earlier, now, "artifacts/bench/report.previous.json");

        Assert.Equal(
            ["agent/floor 1 0.84 0.8 4.9 True", "agent/floor 8 0.78 0.79 1.3 True", "agent cost vs 1 object 8 3 2.5 18.2 False", "floor cost vs 1 object 8 2.75 2.5 9.5 True"],
            agreement.Ratios.Select(r => FormattableString.Invariant($"{r.Ratio} {r.Objects} {r.Earlier} {r.Now} {r.DifferencePct} {r.WithinTenPercent}")));
        Assert.False(agreement.Agrees);
        Assert.Equal(("artifacts/bench/report.previous.json", "abc1234", "full"), (agreement.EarlierReport, agreement.EarlierCommit, agreement.EarlierKind));
    }

    [Fact]
    public void Attach_TwoRuns_AddsTheComparisonAndItsTargetNamingTheLargestDifference()
    {
        var earlier = Report([Row(1, 0.84, null), Row(8, 0.78, 3.0)], [Floor(1, 4), Floor(8, 11)]);
        var now = Report([Row(1, 0.80, null), Row(8, 0.79, 2.5)], [Floor(1, 4), Floor(8, 10)]);

        var report = RunComparison.Attach(now, earlier, "previous.json");

        Assert.Equal(4, report.Comparison!.Ratios.Count);
        var target = Assert.Single(report.Targets);
        Assert.Equal(("two runs agree on every ratio within 10 %", "3 of 4", "missed"), (target.Target, target.Value, target.Verdict));
        Assert.Contains("the largest difference 18.2 % (agent cost vs 1 object at 8 objects: 3 then 2.5)", target.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_NoEarlierReport_TargetNotMeasured()
    {
        var report = RunComparison.Attach(Report([Row(1, 0.84, null)], []), null, null);

        Assert.Null(report.Comparison);
        Assert.Equal("not measured", Assert.Single(report.Targets).Verdict);
    }

    [Fact]
    public void Compare_NoObjectCountInCommon_NeverClaimsAgreement()
    {
        var agreement = RunComparison.Compare(Report([Row(2, 0.8, null)], []), Report([Row(1, 0.8, null)], []), "x.json");

        Assert.Empty(agreement.Ratios);
        Assert.False(agreement.Agrees);
        Assert.Equal("not measured", TargetCheck.Agreement(agreement).Verdict);
    }

    [Fact]
    public async Task Read_AReportJsonAsTheBenchWritesIt_ReadsBackEveryRatio()
    {
        var report = Report([Row(1, 0.84, null), Row(8, 0.78, 2.9)], [Floor(1, 4), Floor(8, 11)]);
        var path = Path.Combine(_dir, "report.json");
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(report, ReportJson.Default.BenchReport));

        var read = RunComparison.Read(path, out var error);

        Assert.Equal("", error);
        var agreement = RunComparison.Compare(read!, report, path);
        Assert.Equal(4, agreement.Ratios.Count);
        Assert.All(agreement.Ratios, r => Assert.Equal((r.Earlier, 0.0), (r.Now, r.DifferencePct)));
        Assert.True(agreement.Agrees);
    }

    [Theory]
    [InlineData("{\"kind\": \"full\", \"throughput\": 7}")]
    [InlineData("not json")]
    public async Task Read_NotABenchReport_SaysWhichFileAndWhy(string text)
    {
        var path = Path.Combine(_dir, "other.json");
        await File.WriteAllTextAsync(path, text);

        Assert.Null(RunComparison.Read(path, out var error));
        Assert.StartsWith($"{path} cannot be read as a bench report.json: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoSuchFile_SaysSo()
    {
        var path = Path.Combine(_dir, "missing.json");

        Assert.Null(RunComparison.Read(path, out var error));
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    internal static BenchReport Report(IReadOnlyList<ThroughputRow> throughput, IReadOnlyList<FloorRow> floor) => new(
        "full", new DateTimeOffset(2026, 12, 2, 15, 15, 0, TimeSpan.Zero), 800,
        new MachineInfo("AMD EPYC", 2, 23.5, "Debian", "6.18", "1 1 1", "1 1 1"),
        new BuildInfo("abc1234", false, "1.0.0", "1.31.1", "agent.dll"),
        new ModelInfo("edgesam2-test-scalar", 512, "models/test/manifest.json", "CPU", ["Cpu"], 0, 0, 2, 0),
        [], throughput, [], [], floor, null, [], [], [], []);

    private static ThroughputRow Row(int objects, double agentOverFloor, double? costVsOne) =>
        new($"objects{objects}", "H.264", objects, 1, 600, 200, 5, 4, agentOverFloor, costVsOne);

    private static FloorRow Floor(int objects, double ms) => new(objects, [ms, ms], ms, new Dictionary<string, double>());
}
