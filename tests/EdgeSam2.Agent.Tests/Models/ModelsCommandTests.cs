using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.Models;

/// <summary><c>edgesam2 models warm|bench</c> through the real agent binary, on the committed test models.</summary>
public sealed class ModelsCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-models-cmd-").FullName;

    [Fact]
    public async Task Bench_GpuProvidersOnCpuBuild_PrintsProviderPerGraphAndARowPerObjectCount()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--providers", "TensorRt,Cuda,Cpu", "--objects", "1,3", "--frames", "3"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        var output = agent.Output;
        Assert.Contains("providers: image_encoder=CPU, mask_decoder=CPU, memory_attention=CPU, memory_encoder=CPU", output, StringComparison.Ordinal);
        Assert.Contains("Execution provider TensorRt is not available", output, StringComparison.Ordinal);
        Assert.Contains("Execution provider Cuda is not available", output, StringComparison.Ordinal);
        var rows = output.Split('\n').Where(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal) || l.TrimStart().StartsWith("3 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(4, r.Split(" / ").Length - 1)); // p50 / p99 for each of the four graphs
    }

    [Fact]
    public async Task Bench_Cameras_PrintsARowPerCameraAtEachCameraCount()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--cameras", "1,2", "--objects", "3,1", "--frames", "4"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        var output = agent.Output;
        Assert.Contains("1 graph run(s) at a time", output, StringComparison.Ordinal); // the CPU default of Model:ConcurrentRuns
        var rows = output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length > 4 && int.TryParse(cells[0], out _) && int.TryParse(cells[1], out _) && int.TryParse(cells[2], out _))
            .Select(cells => (Cameras: int.Parse(cells[0]), Camera: int.Parse(cells[1]), Objects: int.Parse(cells[2]), Fps: double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal([(1, 0, 3), (2, 0, 3), (2, 1, 1)], rows.Select(r => (r.Cameras, r.Camera, r.Objects)));
        Assert.All(rows, r => Assert.True(r.Fps > 0, $"camera {r.Camera} of {r.Cameras}: {r.Fps} frames/s"));
    }

    [Fact]
    public async Task Bench_JsonWithAgentTracker_PrintsOneFloorLinePerObjectCount()
    {
        var config = Path.Combine(_dir, "bench.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"EdgeSam2":{"Model":{"Manifest":"{{{Manifest}}}"},"Tracking":{"MemoryPolicy":"QualityGated"},"Cameras":[{"Id":"cam1","Url":"rtsp://127.0.0.1:1/x"}]}}
            """);
        await using var agent = ChildAgent.StartWith(["models", "bench", "--config", config, "--agent-tracker", "--objects", "1,2", "--frames", "3", "--json"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        var lines = agent.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2], lines.Select(l => l.GetProperty("objects").GetInt32()));
        foreach (var line in lines)
        {
            var graphs = line.GetProperty("graphs").EnumerateArray().ToList();
            Assert.Equal(["image_encoder", "mask_decoder", "memory_attention", "memory_encoder"], graphs.Select(g => g.GetProperty("graph").GetString()));
            var sum = graphs.Sum(g => g.GetProperty("ms_per_frame").GetDouble());
            Assert.True(sum > 0);
            Assert.Equal(sum, line.GetProperty("graphs_ms_per_frame").GetDouble(), 2);
        }
    }

    [Fact]
    public async Task Warm_ConfigOnCpu_RunsEveryGraphAndSaysThereIsNoEngineToCache()
    {
        var config = Path.Combine(_dir, "warm.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"EdgeSam2":{"Model":{"Manifest":"{{{Manifest}}}"},"Tracking":{"MaxObjects":3},"Cameras":[{"Id":"cam1","Url":"rtsp://127.0.0.1:1/x"}]}}
            """);
        await using var agent = ChildAgent.StartWith(["models", "warm", "--config", config]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("warm: every graph ran at 1 and 3 objects", agent.Output, StringComparison.Ordinal);
        Assert.Contains("no graph runs on TensorRT, so there is no engine to cache", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_ManifestThatDoesNotExist_ExitsThreeNamingIt()
    {
        var missing = Path.Combine(_dir, "nope.json");
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", missing]);

        Assert.Equal(ExitCodes.ModelUnusable, await agent.WaitForExitAsync(Timeout));
        Assert.Contains($"model manifest '{missing}' does not exist", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_FramePreparationGraph_NamesItInTheProvidersLine()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--frame-preparation", "graph", "--objects", "1", "--frames", "3"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("memory_encoder=CPU, frame_preparation=graph on CPU", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_UnknownFramePreparation_ExitsTwoNamingIt()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--frame-preparation", "gpu"]);

        Assert.Equal(ExitCodes.ConfigInvalid, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("--frame-preparation: 'gpu' is not one of Auto, Kernel, Graph", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_SceneWithoutClicks_ExitsTwoNamingTheOptionsThatGoTogether()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--scene", Path.Combine(_dir, "scene.mp4"), "--scene-size", "512x384"]);

        Assert.Equal(ExitCodes.ConfigInvalid, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("--scene, --scene-size and --clicks go together", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_SceneThatDoesNotExist_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(_dir, "nope.mp4");
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--scene", missing, "--scene-size", "512x384", "--clicks", "10,20;30,40", "--json"]);

        Assert.Equal(ExitCodes.ConfigInvalid, await agent.WaitForExitAsync(Timeout));
        Assert.Contains($"--scene: '{missing}' does not exist", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_UnknownProvider_ExitsTwoNamingIt()
    {
        await using var agent = ChildAgent.StartWith(["models", "bench", "--model", Manifest, "--providers", "Cuda,Vulkan"]);

        Assert.Equal(ExitCodes.ConfigInvalid, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("--providers: 'Vulkan' is not one of TensorRt, Cuda, Cpu", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_AnyRun_LeavesNoOrtTelemetryFilesBehind()
    {
        // ORT's telemetry (1.29+) writes a device id and an event database under ~/.cache and a session file in TMPDIR.
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(_dir, "tmp")).FullName;
        await using var agent = ChildAgent.StartWith(
            ["models", "bench", "--model", Manifest, "--objects", "1", "--frames", "2"],
            new Dictionary<string, string> { ["HOME"] = home, ["TMPDIR"] = tmp, ["DOTNET_CLI_HOME"] = home, ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache") });

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        Assert.Empty(Directory.GetFileSystemEntries(home, "*onnxruntime*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(tmp, ".ses", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Manifest => Path.Combine(RepoPaths.TestModels, "manifest.json");
}
