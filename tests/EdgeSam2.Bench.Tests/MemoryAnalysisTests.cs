using EdgeSam2.Bench.Agent;
using EdgeSam2.Bench.Report;
using EdgeSam2.Bench.Scenes;

namespace EdgeSam2.Bench.Tests;

/// <summary>The memory run's slopes, from the agent's stats against frames published (pure: made-up samples).</summary>
public sealed class MemoryAnalysisTests
{
    private const double MiB = 1024 * 1024;

    [Fact]
    public void Memory_StatsWithDeviceMemory_GivesTheDeviceSlopeAfterWarmUp()
    {
        // 400 frames, one a tick; a stats message every 20 frames. Device memory grows 0.5 MiB per 20 frames after the
        // warm-up quarter (a leak of 250 MiB per 10,000 frames) and jumps during it (arena growth, not a leak).
        var stats = new List<StatsSample>();
        for (var frame = 20; frame <= 400; frame += 20)
        {
            var gpu = frame < 100 ? 1000 * MiB * frame / 100 : (1000 * MiB) + ((frame - 100) / 20 * 0.5 * MiB);
            stats.Add(new StatsSample(frame, 200 * (long)MiB, 10 * (long)MiB, [], [], (long)gpu));
        }

        var memory = CaseAnalysis.Memory(Run(frames: 400, stats));

        Assert.Equal(250, memory.GpuSlopeMiBPer10kFrames!.Value, precision: 3);
        Assert.Equal((1000.0, 1007.5), (memory.GpuAfterWarmupMiB!.Value, memory.GpuEndMiB!.Value));
        Assert.Equal(0, memory.ManagedSlopeMiBPer10kFrames!.Value, precision: 6);
        Assert.Contains(memory.Points, p => p.GpuMiB == 1000);
    }

    [Fact]
    public void Memory_StatsWithoutDeviceMemory_ReportsNoDeviceFigures()
    {
        var stats = Enumerable.Range(1, 20).Select(i => new StatsSample(i * 20, 200 * (long)MiB, 10 * (long)MiB, [], [])).ToList();

        var memory = CaseAnalysis.Memory(Run(frames: 400, stats));

        Assert.Null(memory.GpuSlopeMiBPer10kFrames);
        Assert.Null(memory.GpuEndMiB);
        Assert.All(memory.Points, p => Assert.Null(p.GpuMiB));
    }

    private static CaseRun Run(int frames, IReadOnlyList<StatsSample> stats)
    {
        var arrivals = Enumerable.Range(1, frames).Select(i => new Arrival(i, null, 1, DateTimeOffset.UnixEpoch, i, null)).ToList();
        var scene = new GridScene(1, frames, 25);
        return new CaseRun(
            new AgentCase("memory", scene, [new BenchCamera("cam1", "file.mp4", Live: true)], null, KeepMessages: false),
            new AgentInfo("1", "1", "m", 512, "CPU", 1), new Dictionary<string, List<Arrival>> { ["cam1"] = arrivals }, stats, [],
            new Dictionary<string, int>(), 0, 0);
    }
}
