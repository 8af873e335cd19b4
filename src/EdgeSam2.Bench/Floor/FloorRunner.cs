using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSam2.Bench.Scenes;

namespace EdgeSam2.Bench.Floor;

/// <summary>
/// The floor ONNX Runtime sets: <c>edgesam2 models bench --json</c> in its own process (the agent's own minimal loop
/// over the same model set, providers, object count, input size and memory policy, read from the agent's own config
/// file), run between the agent's runs so that load on the machine hits both alike. It tracks the agent's own scene
/// file, decoded as the agent decodes it, with the same click per object on frame 0: whether a frame is written to
/// memory depends on the masks, so only the same pixels give the same graph calls (the memory encoder included) and
/// the same memory shapes frame by frame.
/// </summary>
internal sealed class FloorRunner(BenchSettings settings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Times the graphs on <paramref name="scene"/> (rendered to <paramref name="sceneFile"/>) with the agent's own
    /// configuration file (<paramref name="agentConfig"/>): the same Model options, tracker options, frames and prompts.
    /// </summary>
    public async Task<FloorResult> RunAsync(GridScene scene, string sceneFile, string agentConfig, CancellationToken cancellationToken)
    {
        var objects = scene.ObjectCount;
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = settings.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (ReadOnlySpan<string>)[
            settings.AgentAssembly, "models", "bench", "--config", agentConfig, "--agent-tracker",
            "--scene", sceneFile, "--scene-size", string.Create(CultureInfo.InvariantCulture, $"{GridScene.Width}x{GridScene.Height}"), "--clicks", scene.Clicks(),
            "--frames", settings.Plan.FloorFrames.ToString(CultureInfo.InvariantCulture), "--json"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new BenchFailure("could not start `edgesam2 models bench` for the floor");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new BenchFailure($"the floor at {objects} objects did not finish within {Timeout.TotalMinutes:0} min");
        }

        var output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new BenchFailure($"the floor (`edgesam2 models bench`) exited with {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('{'))
            {
                return Parse(line);
            }
        }

        throw new BenchFailure($"the floor printed no JSON line: {output.Trim()}");
    }

    internal static FloorResult Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var graphs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var g in root.GetProperty("graphs").EnumerateArray())
        {
            graphs[g.GetProperty("graph").GetString() ?? ""] = g.GetProperty("ms_per_frame").GetDouble();
        }

        double? cpu = root.TryGetProperty("cpu_ms_per_frame", out var c) ? c.GetDouble() : null;
        return new FloorResult(root.GetProperty("objects").GetInt32(), root.GetProperty("graphs_ms_per_frame").GetDouble(), graphs, root.GetProperty("provider").GetString() ?? "", cpu);
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
