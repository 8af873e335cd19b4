using System.Text;
using EdgeSam2.Demo.AgentProcess;
using EdgeSam2.Demo.Session;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// Runs the real agent once: writes its config, starts it as a child, seeds every object of the scene on every camera
/// over MQTT (prompts naming frame 0), enables the cameras, records until the scene's last frame arrived (or the
/// window passed), waits for one more stats message so the graph totals cover every frame, and stops it (SIGTERM).
/// </summary>
internal sealed class CaseRunner(BenchSettings settings, string brokerHost, int brokerPort)
{
    public const string AgentId = "bench";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public static string BaseTopic => BenchAgentConfig.BaseTopicTemplate.Replace("{agent_id}", AgentId, StringComparison.Ordinal);

    public async Task<CaseRun> RunAsync(AgentCase run, CancellationToken cancellationToken)
    {
        var configPath = Path.Combine(settings.OutputDirectory, $"{run.Name}.json");
        await new BenchAgentConfig(AgentId, settings.ModelManifest, settings.OrtLibrary, settings.Providers, brokerHost, brokerPort, run.Cameras, BenchAgentConfig.MaxObjectsFor(run.Scene.ObjectCount), settings.Threads)
            .WriteAsync(configPath, cancellationToken).ConfigureAwait(false);
        await using var recorder = await ArrivalRecorder.ConnectAsync(brokerHost, brokerPort, BaseTopic, run.KeepMessages, cancellationToken).ConfigureAwait(false);
        await using var agent = AgentChild.Start(settings.AgentAssembly, configPath, settings.RepoRoot, Path.Combine(settings.OutputDirectory, $"{run.Name}.agent.log"));
        var guard = new AgentGuard(agent);
        await guard.ExpectAsync(recorder.Online, StartTimeout, "the agent to come online", cancellationToken).ConfigureAwait(false);
        var info = await guard.ExpectAsync(recorder.Info, StartTimeout, "the agent's info message", cancellationToken).ConfigureAwait(false);

        await using var probe = new ProcessProbe(agent.Id);
        probe.Sample();
        var replies = new List<Task<CommandReply>>();
        foreach (var camera in run.Cameras)
        {
            for (var id = 1; id <= run.Scene.ObjectCount; id++)
            {
                var requestId = $"{camera.Id}-prompt-{id}";
                replies.Add(await recorder.SendAsync($"{BaseTopic}/{camera.Id}/prompt", requestId, run.Scene.PromptJson(id, requestId), cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var camera in run.Cameras)
        {
            var requestId = $"{camera.Id}-enable";
            replies.Add(await recorder.SendAsync($"{BaseTopic}/{camera.Id}/set", requestId, Encoding.UTF8.GetBytes($$"""{"request_id":"{{requestId}}","enabled":true}"""), cancellationToken)
                .ConfigureAwait(false));
        }

        foreach (var reply in replies)
        {
            var answer = await guard.ExpectAsync(reply, ReplyTimeout, "the replies to the prompts and enable commands", cancellationToken).ConfigureAwait(false);
            if (!answer.IsOk)
            {
                throw new BenchFailure($"{run.Name}: the agent refused '{answer.RequestId}': {answer.Error}", agent.LogPath);
            }
        }

        await WaitForEndAsync(run, recorder, guard, cancellationToken).ConfigureAwait(false);
        var statsSeen = recorder.StatsCount;
        await guard.ExpectAsync(recorder.WhenStatsCount(statsSeen + 1), StatsTimeout, "a stats message after the last frame", cancellationToken).ConfigureAwait(false);
        probe.Sample();
        var samples = probe.Samples();
        var (exitCode, clean) = await agent.StopAsync(StopGrace).ConfigureAwait(false);
        if (!clean || exitCode != 0)
        {
            throw new BenchFailure($"{run.Name}: the agent {(clean ? $"exited with code {exitCode}" : "did not stop on SIGTERM and was killed")}", agent.LogPath);
        }

        var tracks = new Dictionary<string, List<Arrival>>(StringComparer.Ordinal);
        foreach (var camera in run.Cameras)
        {
            tracks[camera.Id] = recorder.Tracks(camera.Id);
        }

        return new CaseRun(run, info, tracks, recorder.Stats(), samples, recorder.EventCounts(), recorder.DroppedBySubscriber, recorder.Unreadable);
    }

    private static async Task WaitForEndAsync(AgentCase run, ArrivalRecorder recorder, AgentGuard guard, CancellationToken cancellationToken)
    {
        if (run.Duration is { } window)
        {
            // A looping Live run has no last frame: it is measured over a fixed window of wall time.
            await Task.Delay(window, cancellationToken).ConfigureAwait(false);
            return;
        }

        var spec = run.Scene.Spec;
        // Generous: a loaded 2-core box may run 16 objects at a few frames a second.
        var timeout = TimeSpan.FromSeconds(60 + (spec.FrameCount * run.Scene.ObjectCount * run.Cameras.Count * 0.1) + (spec.FrameCount / spec.FramesPerSecond));
        var last = spec.FrameCount - 1;
        foreach (var camera in run.Cameras)
        {
            await guard.ExpectAsync(recorder.WhenFrame(camera.Id, last), timeout, $"the tracks of frame {last} on {camera.Id}", cancellationToken).ConfigureAwait(false);
        }
    }
}
