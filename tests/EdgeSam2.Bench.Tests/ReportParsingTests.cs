using System.Text;
using EdgeSam2.Bench.Agent;
using EdgeSam2.Bench.Floor;
using EdgeSam2.Bench.Report;

namespace EdgeSam2.Bench.Tests;

/// <summary>The pure parts of the report: what is read from the agent's stats and the floor, and the statistics.</summary>
public sealed class ReportParsingTests
{
    private const string StatsWithoutStages = """
        {"agent_id":"bench","version":"1.0.0","uptime_s":3.1,"rss_bytes":125000000,"managed_bytes":9000000,
         "cameras":[{"camera":"cam1","state":"streaming","fps":25,"frames":70,"dropped":5,"reconnects":0,"objects":1}],
         "graphs":[{"graph":"image_encoder","runs":70,"mean_ms":1.5},{"graph":"mask_decoder","runs":70,"mean_ms":1.25}]}
        """;

    private const string StatsWithStages = """
        {"agent_id":"bench","version":"1.0.0","uptime_s":3.1,"rss_bytes":1,"managed_bytes":2,
         "cameras":[{"camera":"cam1","state":"streaming","fps":25,"frames":70,"dropped":0,"reconnects":0,"objects":1,
                     "processed_fps":24.9,"latency_ms":{"p50":9,"p95":12,"max":20},
                     "stages_ms":{"queue":0.5,"prepare":0.75,"image_encoder":1.5,"publish":0.25,"capture_to_publish":9.5}}],
         "graphs":[]}
        """;

    [Fact]
    public void ParseStats_AgentWithoutStages_ReadsCountersAndGraphsWithNoStages()
    {
        var sample = ArrivalRecorder.ParseStats(Encoding.UTF8.GetBytes(StatsWithoutStages), timestamp: 42);

        Assert.Equal((125000000L, 9000000L, 42L), (sample.ResidentBytes, sample.ManagedBytes, sample.ReceivedTimestamp));
        var camera = Assert.Single(sample.Cameras);
        Assert.Equal(("cam1", 70L, 5L), (camera.Camera, camera.Frames, camera.Dropped));
        Assert.Empty(camera.StagesMs);
        Assert.Equal([("image_encoder", 70L, 1.5), ("mask_decoder", 70L, 1.25)], sample.Graphs.Select(g => (g.Graph, g.Runs, g.MeanMs)));
    }

    [Fact]
    public void ParseStats_AgentWithDeviceMemory_ReadsIt()
    {
        var json = StatsWithStages.Replace("\"managed_bytes\":2,", "\"managed_bytes\":2,\"gpu_used_bytes\":3221225472,", StringComparison.Ordinal);

        Assert.Equal(3221225472L, ArrivalRecorder.ParseStats(Encoding.UTF8.GetBytes(json), timestamp: 0).GpuUsedBytes);
        Assert.Null(ArrivalRecorder.ParseStats(Encoding.UTF8.GetBytes(StatsWithStages), timestamp: 0).GpuUsedBytes);
    }

    [Fact]
    public void ParseStats_AgentWithStages_ReadsEveryStage()
    {
        var sample = ArrivalRecorder.ParseStats(Encoding.UTF8.GetBytes(StatsWithStages), timestamp: 0);

        var stages = Assert.Single(sample.Cameras).StagesMs;
        Assert.Equal(5, stages.Count);
        Assert.Equal(0.75, stages["prepare"]);
        Assert.Equal(9.5, stages["capture_to_publish"]);
    }

    [Fact]
    public void FloorParse_ModelsBenchJsonLine_ReadsTheFloorAndEachGraph()
    {
        const string line = """{"objects":4,"frames":10,"model":"m","provider":"image_encoder=CPU","frames_per_s":80,"bytes_per_frame":700,"graphs":[{"graph":"image_encoder","calls":10,"ms_per_frame":2.5,"p50_ms":2.4,"p99_ms":3},{"graph":"mask_decoder","calls":10,"ms_per_frame":4,"p50_ms":4,"p99_ms":5}],"graphs_ms_per_frame":6.5}""";

        var floor = FloorRunner.Parse(line);

        Assert.Equal((4, 6.5, "image_encoder=CPU"), (floor.Objects, floor.GraphsMsPerFrame, floor.Provider));
        Assert.Equal(2.5, floor.GraphMsPerFrame["image_encoder"]);
    }

    [Fact]
    public void FloorParse_CpuPerFrame_ReadWhenPrintedAndNullFromAnOlderBuild()
    {
        const string withCpu = """{"objects":4,"frames":10,"model":"m","provider":"p","frames_per_s":80,"bytes_per_frame":700,"cpu_ms_per_frame":8.25,"graphs":[],"graphs_ms_per_frame":4.5}""";
        const string without = """{"objects":4,"frames":10,"model":"m","provider":"p","frames_per_s":80,"bytes_per_frame":700,"graphs":[],"graphs_ms_per_frame":4.5}""";

        Assert.Equal(8.25, FloorRunner.Parse(withCpu).CpuMsPerFrame);
        Assert.Null(FloorRunner.Parse(without).CpuMsPerFrame);
    }

    [Fact]
    public void CpuBound_AgentAndDecoderCpuOverTheCores_SetAgainstTheFloor()
    {
        // 11 ms of agent CPU and 1.6 of decoder CPU a frame on 2 cores: no frame in less than 6.3 ms, 4.5 / 6.3 = 0.71.
        var stage = new StageRow("objects4", "H.264", 4, 600, 7.9, 1.6, 11, new Dictionary<string, double>(), 6.8, 1.1, 0.14, null);
        var floor = new FloorRow(4, [4.4, 4.6], 4.5, new Dictionary<string, double>(), 8.6);

        var text = TargetCheck.CpuBound(stage, floor, 2);

        Assert.Contains("used 8.6 ms of CPU a frame with the cores to itself", text, StringComparison.Ordinal);
        Assert.Contains("no frame takes less than 6.3 ms with that CPU, at best 0.71 of the floor", text, StringComparison.Ordinal);
        Assert.Contains("below the floor's time", TargetCheck.CpuBound(stage, floor, 4), StringComparison.Ordinal); // 12.6 / 4 = 3.15 < 4.5
        Assert.Equal("", TargetCheck.CpuBound(stage, floor with { CpuMs = null }, 2));
    }

    [Fact]
    public void Percentile_NearestRank_MatchesHandCountedRanks()
    {
        double[] values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];

        Assert.Equal(5, Numbers.Percentile(values, 0.50));
        Assert.Equal(10, Numbers.Percentile(values, 0.95));
        Assert.Equal(1, Numbers.Percentile(values, 0.01));
        Assert.True(double.IsNaN(Numbers.Percentile([], 0.5)));
    }

    [Fact]
    public void Slope_StraightLine_IsItsGradient()
    {
        var points = Enumerable.Range(0, 20).Select(i => ((double)i * 100, 50 + (0.002 * i * 100))).ToList();

        Assert.Equal(0.002, Numbers.Slope(points), 9);
        Assert.True(double.IsNaN(Numbers.Slope([(1, 1)])));
    }
}
