using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Demo.AgentProcess;
using EdgeSam2.Demo.Broker;
using EdgeSam2.Demo.Render;
using EdgeSam2.Demo.Report;
using EdgeSam2.Demo.Scene;
using EdgeSam2.Demo.Session;

namespace EdgeSam2.Demo;

/// <summary>
/// The demo from start to end: scene → mosquitto → agent → prompts over MQTT → tracks printed and scored →
/// clean stop → annotated pictures → one-line verdict. Every child process is stopped on the way out, also on
/// failure and on Ctrl+C.
/// </summary>
internal sealed class DemoRun(DemoOptions options, string repoRoot, DemoConsole console)
{
    private const int Steps = 8;
    private const string AgentId = "demo-agent";
    private const string BaseTopicTemplate = "edgesam2/{agent_id}";
    private const string CameraId = "demo";
    private static readonly TimeSpan BrokerStartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StoppedTimeout = TimeSpan.FromSeconds(5);
    private readonly string _outDir = RepoRoot.Resolve(repoRoot, options.OutputDirectory);
    private AgentChild? _agent;

    /// <summary>How many numbered steps the demo prints.</summary>
    public static int StepCount => Steps;

    /// <summary>Runs the demo; returns the process exit code (0 only when the verdict passed, 130 when interrupted).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunStepsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DemoFailure failure)
        {
            console.Error(failure.Message);
            if (failure.ShowAgentLog && _agent is { } agent)
            {
                console.Error($"the agent's last output (full log: {Relative(agent.LogPath)}):");
                foreach (var line in agent.Tail().Split('\n'))
                {
                    Console.Error.WriteLine($"  | {line}");
                }
            }

            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error("interrupted; the agent and mosquitto have been stopped.");
            return 130;
        }
    }

    private async Task<int> RunStepsAsync(CancellationToken cancellationToken)
    {
        var manifest = RequireFile(options.ModelManifest, "model manifest", "it is committed under models/test");
        var ortLibrary = options.OrtLibrary.Length == 0 ? "" : RequireFile(options.OrtLibrary, "ONNX Runtime library", "a system ONNX Runtime build, at least as new as the agent's");
        var agentDll = RequireFile(options.AgentAssembly, "agent", "`make build` builds it");
        Directory.CreateDirectory(_outDir);
        var scene = new DemoScene();
        var spec = scene.Spec;

        console.Step(1, "Rendering the sample scene (StandardScenes.TwoTargets) with ffmpeg");
        var scenePath = Path.Combine(_outDir, "scene.mkv");
        await scene.WriteVideoAsync(scenePath, cancellationToken).ConfigureAwait(false);
        console.Detail($"{Relative(scenePath)}: {spec.Width}x{spec.Height}, {spec.FrameCount} frames at {spec.FramesPerSecond:0.##} fps, lossless FFV1");
        console.Detail("a red disc and a blue square move across it; a second red disc, identical to the first, stands still");

        console.Step(2, "Starting mosquitto on a free loopback port");
        await using var broker = await StartBrokerAsync(cancellationToken).ConfigureAwait(false);
        console.Detail($"mosquitto listening on {broker.Host}:{broker.Port}");

        console.Step(3, "Starting the agent");
        var configPath = Path.Combine(_outDir, "edgesam2.json");
        var topics = new AgentTopics(AgentTopics.ExpandBase(BaseTopicTemplate, AgentId), CameraId);
        await new AgentConfigFile(AgentId, BaseTopicTemplate, manifest, ortLibrary, broker.Host, broker.Port, CameraId, scenePath)
            .WriteAsync(configPath, cancellationToken).ConfigureAwait(false);
        console.Detail($"config {Relative(configPath)}: camera '{CameraId}' = scene.mkv, Deterministic, starts disabled; model {Relative(manifest)}");
        await using var agent = AgentChild.Start(agentDll, configPath, repoRoot, Path.Combine(_outDir, "agent.log"));
        _agent = agent;
        console.Detail($"dotnet {Relative(agentDll)} --config {Relative(configPath)}   (pid {agent.Id}, log {Relative(agent.LogPath)})");

        console.Step(4, $"Talking to the agent over MQTT: subscribed to {topics.All}");
        var callbacks = new AgentSessionCallbacks(text => console.Detail(text), text => console.Detail($"CONTRACT? {text}"));
        await using var session = await AgentSession.ConnectAsync(broker.Host, broker.Port, topics, callbacks, cancellationToken).ConfigureAwait(false);
        await ExpectAsync(session.WhenAvailability("online"), options.StartTimeout, $"the agent to publish '{topics.Available}' = online", cancellationToken)
            .ConfigureAwait(false);
        var promptReplies = new List<(DemoTarget Target, Task<CommandReply> Reply)>();
        foreach (var target in scene.Targets)
        {
            var requestId = $"prompt-{target.Id}";
            var click = scene.ClickFor(target);
            promptReplies.Add((target, await session.SendAsync(topics.Prompt, requestId, scene.PromptJson(target, requestId), cancellationToken).ConfigureAwait(false)));
            console.Detail(string.Create(CultureInfo.InvariantCulture,
                $"prompt  → {topics.Prompt}: object {target.Id} '{target.Label}', positive click at ({click.X:0.#}, {click.Y:0.#}) on frame {DemoScene.PromptFrame}"));
        }

        var enableReply = await session.SendAsync(topics.Set, "enable", DemoScene.EnableJson("enable"), cancellationToken).ConfigureAwait(false);
        console.Detail($"set     → {topics.Set}: enabled = true");
        var clock = Stopwatch.StartNew();
        RequireOk(await ExpectAsync(enableReply, ReplyTimeout, "the reply to 'set enabled'", cancellationToken).ConfigureAwait(false), "set");
        foreach (var (target, reply) in promptReplies)
        {
            RequireOk(await ExpectAsync(reply, ReplyTimeout, $"the reply to the prompt for object {target.Id}", cancellationToken).ConfigureAwait(false), $"prompt {target.Id}");
        }

        console.Step(5, $"The agent's output on {topics.Tracks} (one line a second of scene time)");
        var report = NewReport(scene);
        var received = await FollowTracksAsync(scene, session, report, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        console.Detail(string.Create(CultureInfo.InvariantCulture,
            $"{report.FramesProcessed} frames in {elapsed.TotalSeconds:0.0} s ({report.FramesProcessed / Math.Max(elapsed.TotalSeconds, 1e-3):0.0} frames/s, ground truth scored on every frame)"));
        foreach (var problem in report.Problems)
        {
            console.Detail($"CONTRACT? {problem}");
        }

        console.Step(6, "Stopping the agent (SIGTERM)");
        var stopFailure = await StopAgentAsync(agent, session, topics).ConfigureAwait(false);

        console.Step(7, "Drawing the masks over the frames");
        await WriteOutputsAsync(scene, received, cancellationToken).ConfigureAwait(false);

        console.Step(8, "Verdict");
        var summary = report.Summarise(options.MinMeanIoU);
        foreach (var o in summary.Objects)
        {
            console.Detail(string.Create(CultureInfo.InvariantCulture,
                $"object {o.ObjectId}: mean IoU {o.MeanIoU:0.000} over {o.VisibleFrames} visible frames, tracked (IoU ≥ {ObjectFrameScore.TrackedIoU}) on {o.TrackedFrames}"));
        }

        if (report.ProblemCount > 0)
        {
            console.Detail($"{report.ProblemCount} published masks disagreed with their bbox/area or did not decode (first: {report.Problems[0]})");
        }

        console.Line(summary.Line());
        if (!summary.Passed)
        {
            console.Error($"FAILED: {summary.Failure}");
            return 1;
        }

        if (stopFailure is not null)
        {
            console.Error($"FAILED: {stopFailure}");
            return 1;
        }

        return 0;
    }

    private async Task<MosquittoProcess> StartBrokerAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await MosquittoProcess.StartAsync(_outDir, BrokerStartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new DemoFailure($"mosquitto did not start ({e.Message}); `make deps` installs it.");
        }
    }

    private static TrackingReport NewReport(DemoScene scene)
    {
        var ids = new int[scene.Targets.Count];
        var visible = new bool[scene.Spec.FrameCount, ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = scene.Targets[i].Id;
            for (var f = 0; f < scene.Spec.FrameCount; f++)
            {
                visible[f, i] = scene.Renderer.VisibleArea(f, ids[i]) > 0;
            }
        }

        return new TrackingReport(ids, visible, DemoScene.PromptFrame);
    }

    /// <summary>Reads tracks until the last frame's arrive: scores every frame, prints one a second.</summary>
    private async Task<Dictionary<long, TracksMessage>> FollowTracksAsync(DemoScene scene, AgentSession session, TrackingReport report, CancellationToken cancellationToken)
    {
        var spec = scene.Spec;
        var lastFrame = spec.FrameCount - 1;
        var scorer = new FrameScorer(scene.Renderer);
        var received = new Dictionary<long, TracksMessage>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var remaining = options.RunTimeout - deadline.Elapsed;
            var tracks = await ExpectAsync(
                session.Tracks.ReadAsync(cancellationToken).AsTask(),
                remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                $"the tracks of frame {lastFrame} (the last; {report.FramesProcessed} frames received so far)",
                cancellationToken).ConfigureAwait(false);
            if (!report.MarkReceived(tracks.Frame))
            {
                console.Detail($"CONTRACT? tracks for frame {tracks.Frame}, which is outside the scene or was already received");
                continue;
            }

            received[tracks.Frame] = tracks;
            var print = tracks.Frame % scene.FramesPerSecondRounded == 0 || tracks.Frame == lastFrame;
            for (var i = 0; i < scene.Targets.Count; i++)
            {
                var id = scene.Targets[i].Id;
                var score = scorer.Score(tracks, id);
                report.Record((int)tracks.Frame, i, score);
                if (print)
                {
                    var published = Find(tracks, id);
                    console.Detail(published is null
                        ? ProgressLine.Missing(tracks.Frame, spec.FramesPerSecond, id, score.Visible)
                        : ProgressLine.Format(tracks.Frame, spec.FramesPerSecond, published, score));
                }
            }

            if (print)
            {
                foreach (var o in tracks.Objects)
                {
                    if (!IsTarget(scene, o.Id))
                    {
                        console.Detail(ProgressLine.Format(tracks.Frame, spec.FramesPerSecond, o, default) + "  (not prompted by the demo)");
                    }
                }
            }

            if (tracks.Frame == lastFrame)
            {
                return received;
            }
        }
    }

    /// <summary>SIGTERM, await the exit, then check the retained availability says <c>stopped</c>; returns a failure reason or null.</summary>
    private async Task<string?> StopAgentAsync(AgentChild agent, AgentSession session, AgentTopics topics)
    {
        var (exitCode, clean) = await agent.StopAsync(StopGrace).ConfigureAwait(false);
        if (!clean)
        {
            return $"the agent did not exit within {StopGrace.TotalSeconds:0} s of SIGTERM and was killed (log: {Relative(agent.LogPath)})";
        }

        console.Detail($"agent exited with code {exitCode}");
        try
        {
            await session.WhenAvailability("stopped").WaitAsync(StoppedTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return $"after a clean stop '{topics.Available}' is '{session.Availability ?? "(nothing)"}', expected 'stopped'";
        }

        return exitCode == 0 ? null : $"the agent exited with code {exitCode} after SIGTERM (log: {Relative(agent.LogPath)})";
    }

    private async Task WriteOutputsAsync(DemoScene scene, Dictionary<long, TracksMessage> received, CancellationToken cancellationToken)
    {
        var spec = scene.Spec;
        var outputs = new AnnotatedOutputs(new FrameAnnotator(scene.Renderer), spec.FramesPerSecond);
        var stripFrames = FrameGrid.EvenlySpaced(DemoScene.PromptFrame, spec.FrameCount - 1, options.StripFrames);
        var stripPath = Path.Combine(_outDir, "strip.png");
        await outputs.WriteStripAsync(stripFrames, received, columns: 4, stripPath, cancellationToken).ConfigureAwait(false);
        console.Detail($"image strip (frames {string.Join(", ", stripFrames)}): {Relative(stripPath)}");
        var format = await VideoFormat.DetectAsync(cancellationToken).ConfigureAwait(false);
        var videoPath = Path.Combine(_outDir, "annotated" + format.Extension);
        await outputs.WriteVideoAsync(spec.FrameCount, received, format, videoPath, cancellationToken).ConfigureAwait(false);
        console.Detail($"annotated video, {format.Description}: {Relative(videoPath)}");
    }

    /// <summary>Awaits <paramref name="task"/>, failing clearly when the agent exits first or <paramref name="timeout"/> passes.</summary>
    private async Task<T> ExpectAsync<T>(Task<T> task, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        await ExpectAsync((Task)task, timeout, what, cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private async Task ExpectAsync(Task task, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var exited = _agent?.Exited ?? Task.FromResult(0);
        Task first;
        try
        {
            first = await Task.WhenAny(task, exited).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new DemoFailure($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; see {Relative(_agent?.LogPath ?? "")}", showAgentLog: true);
        }

        if (first != task)
        {
            throw new DemoFailure($"the agent exited with code {await exited.ConfigureAwait(false)} while the demo waited for {what}", showAgentLog: true);
        }

        await task.ConfigureAwait(false);
    }

    private void RequireOk(CommandReply reply, string command)
    {
        console.Detail(reply.IsOk
            ? $"reply   ← {reply.RequestId}: ok{(reply.ObjectId is { } id ? $", object {id}" : "")}{(reply.Frame is { } f ? $", frame {f}" : "")}"
            : $"reply   ← {reply.RequestId}: {reply.Status}: {reply.Error} (field {reply.Field ?? "-"})");
        if (!reply.IsOk)
        {
            throw new DemoFailure($"the agent refused the {command} command: {reply.Error}", showAgentLog: true);
        }
    }

    private string RequireFile(string path, string what, string hint)
    {
        var full = RepoRoot.Resolve(repoRoot, path);
        return File.Exists(full) ? full : throw new DemoFailure($"the {what} {full} does not exist; {hint}.");
    }

    /// <summary>Paths inside the repository relative to it (as the user typed them), others in full.</summary>
    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(repoRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }

    private static TrackedObjectMessage? Find(TracksMessage tracks, int id)
    {
        foreach (var o in tracks.Objects)
        {
            if (o.Id == id)
            {
                return o;
            }
        }

        return null;
    }

    private static bool IsTarget(DemoScene scene, int id)
    {
        foreach (var t in scene.Targets)
        {
            if (t.Id == id)
            {
                return true;
            }
        }

        return false;
    }
}
