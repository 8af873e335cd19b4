using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Bench.Agent;
using EdgeSam2.Bench.Floor;
using EdgeSam2.Bench.Report;
using EdgeSam2.Bench.Scenes;
using EdgeSam2.Demo.Broker;
using EdgeSam2.Scenes;

namespace EdgeSam2.Bench;

/// <summary>
/// The whole bench: renders the scenes, starts mosquitto, then for each object count runs the floor, the agent, and
/// the floor again (interleaved, so load on a shared machine hits both alike); then the lossless variant, more cameras,
/// the Live runs and the memory run; then writes report.json and report.md. Every child is stopped on the way out.
/// </summary>
internal sealed class BenchRun(BenchSettings settings, TextWriter console)
{
    private static readonly TimeSpan BrokerStartTimeout = TimeSpan.FromSeconds(15);
    private readonly BenchPlan _plan = settings.Plan;
    private readonly List<string> _notes = [];

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.AgentAssembly))
        {
            throw new BenchFailure($"the agent is not built: {settings.AgentAssembly} does not exist (run `make build`)");
        }

        if (!File.Exists(settings.ModelManifest))
        {
            throw new BenchFailure($"the model manifest {settings.ModelManifest} does not exist");
        }

        Directory.CreateDirectory(settings.OutputDirectory);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = MachineProbe.LoadAverage();
        await using var broker = await MosquittoProcess.StartAsync(settings.OutputDirectory, BrokerStartTimeout, cancellationToken).ConfigureAwait(false);
        Say($"mosquitto on {broker.Host}:{broker.Port}; agent {Relative(settings.AgentAssembly)}; model {Relative(settings.ModelManifest)}; providers {string.Join(',', settings.Providers)}");
        var runner = new CaseRunner(settings, broker.Host, broker.Port);
        var floorRunner = new FloorRunner(settings);

        var floors = new Dictionary<int, List<FloorResult>>();
        var throughput = new List<ThroughputRow>();
        var stages = new List<StageRow>();
        var quality = new List<QualityRow>();
        var latency = new List<LatencyRow>();
        var drops = new List<DropRow>();
        AgentInfo? info = null;
        double? oneObjectMs = null;

        var repeats = new Dictionary<int, List<RepeatResult>>();
        var cases = new List<(int Objects, GridScene Scene, string File, string FloorConfig)>();
        foreach (var objects in _plan.ObjectCounts)
        {
            var scene = new GridScene(objects, _plan.DeterministicFrames, _plan.FramesPerSecond);
            var file = await RenderAsync(scene, $"objects{objects}.mp4", SceneVideoCodec.H264, cancellationToken).ConfigureAwait(false);
            cases.Add((objects, scene, file, await WriteFloorConfigAsync(broker, file, cancellationToken).ConfigureAwait(false)));
            (floors[objects], repeats[objects]) = ([], []);
        }

        // Repeat by repeat, every object count in turn: run r of each count lies within a minute or two of run r of one
        // object, so the cost ratios set runs against each other that the box ran at about the same speed (one count's
        // repeats back to back put its runs several minutes from the 1-object runs, and this box's speed drifts 10–50 %
        // over minutes). Each agent run sits between two floor runs of its own count, so load that changes during the run
        // hits both alike and each run's agent/floor is set against the floor measured around it.
        for (var repeat = 0; repeat < _plan.Repeats; repeat++)
        {
            foreach (var (objects, scene, file, floorConfig) in cases)
            {
                var before = await RunFloorAsync(floorRunner, scene, file, floorConfig, cancellationToken).ConfigureAwait(false);
                var agentRun = await RunAgentAsync(runner, new AgentCase($"objects{objects}", scene, Cameras(1, file, live: false), null, KeepMessages: true), cancellationToken).ConfigureAwait(false);
                var after = await RunFloorAsync(floorRunner, scene, file, floorConfig, cancellationToken).ConfigureAwait(false);
                floors[objects].AddRange([before, after]);
                var (_, fps) = CaseAnalysis.Throughput(agentRun);
                repeats[objects].Add(new RepeatResult(agentRun, 1000 / fps, (before.GraphsMsPerFrame + after.GraphsMsPerFrame) / 2));
            }
        }

        foreach (var (objects, _, _, _) in cases)
        {
            // The run with the median frame time stands for the case in the tables (stages, quality, latency).
            var runs = repeats[objects];
            var median = runs.OrderBy(r => r.AgentMs).ElementAt(runs.Count / 2);
            info ??= median.Run.Info;
            AddDeterministic(median.Run, "H.264", objects, 1, floors[objects], ref oneObjectMs, throughput, stages, quality, latency, runs, repeats.GetValueOrDefault(1), floors.GetValueOrDefault(1));
        }

        var reproducibility = Reproducibility.Of(repeats.ToDictionary(r => r.Key, r => r.Value.Select(x => (x.AgentMs, x.FloorMs)).ToList()));
        MemoryResult? memory = null;
        if (_plan.ThroughputOnly)
        {
            _notes.Add("--throughput-only: the object-count cases against the floor alone; no FFV1, cameras, Live or memory runs.");
        }
        else
        {
            memory = await RunOtherCasesAsync(runner, floors[1], oneObjectMs, throughput, stages, quality, latency, drops, cancellationToken).ConfigureAwait(false);
        }

        var floorRows = floors.OrderBy(f => f.Key).Select(f => FloorRow(f.Key, f.Value)).ToList();
        var machine = MachineProbe.Machine(loadAtStart);
        var (commit, dirty) = MachineProbe.GitState(settings.RepoRoot);
        _notes.Add("Figures measured on a machine shared with other work are noisy: compare ratios (agent/floor, cost vs 1 object) between runs, and read the load average in the header.");
        _notes.Add($"The decoder's CPU is read in clock ticks of 10 ms from /proc, sampled every {ProcessProbe.Period.TotalMilliseconds:0} ms: short runs round it coarsely.");
        // Every plan runs at least one object count at least once.
        if (info is null)
        {
            throw new BenchFailure("the plan ran no agent case");
        }

        return new BenchReport(
            _plan.Kind,
            started,
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            machine,
            new BuildInfo(commit, dirty, info.Version, info.OnnxRuntime, Relative(settings.AgentAssembly)),
            new ModelInfo(info.Model, info.InputSize, Relative(settings.ModelManifest), info.Provider, settings.Providers, settings.Threads.IntraOpThreads, settings.Threads.ObjectThreads, info.ObjectThreads, settings.Threads.DecoderThreads),
            latency,
            throughput,
            drops,
            stages,
            floorRows,
            memory,
            quality,
            reproducibility,
            TargetCheck.Evaluate(throughput, stages, latency, floorRows, memory, machine),
            _notes);
    }

    /// <summary>The FFV1 variant, more cameras, the Live runs and the memory run; returns the memory figures.</summary>
    private async Task<MemoryResult> RunOtherCasesAsync(
        CaseRunner runner, List<FloorResult> floorOne, double? oneObjectMs, List<ThroughputRow> throughput, List<StageRow> stages, List<QualityRow> quality,
        List<LatencyRow> latency, List<DropRow> drops, CancellationToken cancellationToken)
    {
        MemoryResult memory;
        CaseRun live;
        if (_plan.LiveOnly)
        {
            _notes.Add(_plan.MemorySeconds > 0
                ? "--live-only: the Live runs, after one 1-object run against the floor for their limit, then the memory run; no other object counts, FFV1 or cameras."
                : "--live-only: the Live runs, after one 1-object run against the floor for their limit; no other object counts, FFV1, cameras or memory run.");
        }
        else
        {
            await RunFfv1AndCamerasAsync(runner, floorOne, oneObjectMs, throughput, stages, quality, latency, cancellationToken).ConfigureAwait(false);
        }

        var liveFrames = (int)Math.Round(_plan.LiveSeconds * _plan.FramesPerSecond);
        live = await RunFedLiveAsync(runner, 1, liveFrames, LivePath.RawFfmpeg, latency, drops, cancellationToken).ConfigureAwait(false);
        foreach (var path in LivePath.All.Where(p => p != LivePath.RawFfmpeg))
        {
            await RunFedLiveAsync(runner, 1, liveFrames, path, latency, drops, cancellationToken).ConfigureAwait(false);
        }

        if (_plan.LiveDropObjects > 0)
        {
            await RunFedLiveAsync(runner, _plan.LiveDropObjects, liveFrames, LivePath.RawFfmpeg, latency, drops, cancellationToken).ConfigureAwait(false);
        }

        if (_plan.MemorySeconds > 0)
        {
            // Ten seconds of scene at a rate the agent cannot keep up with, looped: it works flat out for the whole window.
            var memoryScene = new GridScene(1, (int)Math.Round(10 * _plan.MemoryFramesPerSecond), _plan.MemoryFramesPerSecond);
            var memoryFile = await RenderAsync(memoryScene, "memory-objects1.mp4", SceneVideoCodec.H264, cancellationToken).ConfigureAwait(false);
            var memoryRun = await RunAgentAsync(runner, new AgentCase("memory-objects1", memoryScene, [new BenchCamera("cam1", memoryFile, Live: true, Loop: true)], TimeSpan.FromSeconds(_plan.MemorySeconds), KeepMessages: false), cancellationToken)
                .ConfigureAwait(false);
            memory = CaseAnalysis.Memory(memoryRun);
            drops.Add(new DropRow(memoryRun.Case.Name, "Live, looped", 1, _plan.MemoryFramesPerSecond, CaseAnalysis.DecodedFrames(memoryRun), memory.Frames, CaseAnalysis.DroppedFrames(memoryRun)));
        }
        else
        {
            memory = CaseAnalysis.Memory(live);
            _notes.Add($"{(_plan.LiveOnly ? "--live-only" : "--short")}: memory is sampled over the 1-object Live run ({memory.Frames} frames), far too short for a slope that means anything.");
        }

        return memory;
    }

    /// <summary>Writes report.json and report.md into the output folder; returns their paths.</summary>
    public async Task<(string Json, string Markdown)> WriteAsync(BenchReport report, CancellationToken cancellationToken)
    {
        var json = Path.Combine(settings.OutputDirectory, "report.json");
        var markdown = Path.Combine(settings.OutputDirectory, "report.md");
        await File.WriteAllBytesAsync(json, JsonSerializer.SerializeToUtf8Bytes(report, ReportJson.Default.BenchReport), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(markdown, MarkdownReport.Write(report), cancellationToken).ConfigureAwait(false);
        return (json, markdown);
    }

    private void AddDeterministic(
        CaseRun run, string codec, int objects, int cameras, List<FloorResult> floor, ref double? oneObjectMs,
        List<ThroughputRow> throughput, List<StageRow> stages, List<QualityRow> quality, List<LatencyRow> latency, List<RepeatResult>? repeats = null,
        List<RepeatResult>? oneObjectRepeats = null, List<FloorResult>? oneObjectFloor = null)
    {
        var (frames, fps) = CaseAnalysis.Throughput(run);
        var ms = 1000 / fps;
        var floorMs = floor.Average(f => f.GraphsMsPerFrame);
        if (repeats is { Count: > 0 })
        {
            // Repeated: the medians over the runs (each run against the floor measured around it).
            ms = Reproducibility.Median(repeats.Select(r => r.AgentMs));
            fps = 1000 / ms;
            floorMs = Reproducibility.Median(repeats.Select(r => r.FloorMs));
        }

        if (objects == 1 && codec == "H.264")
        {
            oneObjectMs = ms;
        }

        double? costVsOne = codec != "H.264" ? null
            : repeats is { Count: > 0 } && oneObjectRepeats is { Count: > 0 } && oneObjectFloor is { Count: > 0 }
                ? Reproducibility.CostVsOne(
                    floor.Average(f => f.GraphsMsPerFrame), oneObjectFloor.Average(f => f.GraphsMsPerFrame),
                    Reproducibility.Median(repeats.Select(r => r.AgentOverFloor)), Reproducibility.Median(oneObjectRepeats.Select(r => r.AgentOverFloor)))
            : oneObjectMs is { } one ? ms / one : null;
        throughput.Add(new ThroughputRow(
            run.Case.Name, codec, objects, cameras, frames, Numbers.Round(fps, 1), Numbers.Round(ms, 3), Numbers.Round(floorMs, 3),
            Numbers.Round(repeats is { Count: > 0 } ? Reproducibility.Median(repeats.Select(r => r.AgentOverFloor)) : floorMs / ms, 3), costVsOne is { } cost ? Numbers.Round(cost, 2) : null));
        // The graph totals in the agent's stats cover every frame, warm-up included: so does the wall time set against them.
        stages.Add(CaseAnalysis.Stages(run, codec, 1000 / CaseAnalysis.Throughput(run, warmupFrames: 0).FramesPerSecond));
        quality.Add(QualityScorer.Score(run, codec));
        var inAgent = CaseAnalysis.InAgentLatency(run);
        latency.Add(new LatencyRow(run.Case.Name, $"Deterministic, flat out ({codec})", objects, null, "in_agent", inAgent, inAgent, 0));
        if (run.SubscriberDropped > 0 || run.Unreadable > 0)
        {
            _notes.Add($"{run.Case.Name}: the subscriber dropped {run.SubscriberDropped} and could not read {run.Unreadable} messages.");
        }
    }

    /// <summary>The lossless FFV1 variant of the 1-object scene, and that scene on more cameras at once.</summary>
    private async Task RunFfv1AndCamerasAsync(
        CaseRunner runner, List<FloorResult> floorOne, double? oneObjectMs, List<ThroughputRow> throughput, List<StageRow> stages, List<QualityRow> quality,
        List<LatencyRow> latency, CancellationToken cancellationToken)
    {
        var oneScene = new GridScene(1, _plan.DeterministicFrames, _plan.FramesPerSecond);
        var lossless = await RenderAsync(oneScene, "objects1.mkv", SceneVideoCodec.Ffv1, cancellationToken).ConfigureAwait(false);
        var ffv1 = await RunAgentAsync(runner, new AgentCase("objects1-ffv1", oneScene, Cameras(1, lossless, live: false), null, KeepMessages: true), cancellationToken).ConfigureAwait(false);
        AddDeterministic(ffv1, "FFV1", 1, 1, floorOne, ref oneObjectMs, throughput, stages, quality, latency);

        var oneFile = Path.Combine(settings.OutputDirectory, "objects1.mp4");
        foreach (var cameras in _plan.CameraCounts)
        {
            if (cameras == 1)
            {
                continue; // the 1-object run above is the 1-camera case
            }

            var run = await RunAgentAsync(runner, new AgentCase($"cameras{cameras}", oneScene, Cameras(cameras, oneFile, live: false), null, KeepMessages: false), cancellationToken).ConfigureAwait(false);
            // The floor of a frame is the same whichever camera it comes from: set the cameras' frames/s against it.
            var (frames, fps) = CaseAnalysis.Throughput(run);
            var floorMs = floorOne.Average(f => f.GraphsMsPerFrame);
            throughput.Add(new ThroughputRow(
                run.Case.Name, "H.264", 1, cameras, frames, Numbers.Round(fps, 1), Numbers.Round(1000 / fps, 3), Numbers.Round(floorMs, 3), Numbers.Round(floorMs * fps / 1000, 3), null));
        }
    }

    /// <summary>
    /// A Live run at the scene's rate whose one camera is the bench's own (<see cref="CameraFeed"/>): the scene's H.264
    /// sent a frame each frame period over TCP, by <paramref name="path"/>, so each frame's latency runs from the moment
    /// it was sent.
    /// </summary>
    private async Task<CaseRun> RunFedLiveAsync(
        CaseRunner runner, int objects, int frames, LivePath path, List<LatencyRow> latency, List<DropRow> drops, CancellationToken cancellationToken)
    {
        var name = $"live{path.Suffix}-objects{objects}";
        var scene = new GridScene(objects, frames, _plan.FramesPerSecond);
        var stream = await RenderAsync(scene, $"live-objects{objects}.h264", SceneVideoCodec.H264Stream, cancellationToken).ConfigureAwait(false);
        await using var feed = await CameraFeed.StartAsync(stream, frames, _plan.FramesPerSecond, path.Protocol, cancellationToken).ConfigureAwait(false);
        BenchCamera[] cameras =
        [
            new(BenchAgentConfig.CameraId(0), feed.Url, Live: true, InputFormat: path.Protocol == CameraProtocol.RawH264 ? "h264" : "", Decoder: path.Configured, ReadsWith: path.Decoder),
        ];
        var run = await RunAgentAsync(runner, new AgentCase(name, scene, cameras, null, KeepMessages: false, feed), cancellationToken).ConfigureAwait(false);
        _notes.Add(feed.Failure is { } failure
            ? $"{name}: the bench's camera stopped sending the decoder early ({failure}); connections: {feed.Describe()}."
            : $"{name}: the bench's camera served {feed.Describe()}.");
        if (feed.Ambiguity(path.Probes) is { } ambiguity)
        {
            _notes.Add($"{name}: its latency figures may be wrong: {ambiguity}.");
        }

        var warmup = CaseAnalysis.FeedWarmupFrames(_plan.FramesPerSecond);
        var (sentToReceipt, inAgent, outside) = CaseAnalysis.FeedLatency(run, feed, warmup);
        latency.Add(new LatencyRow(name, string.Create(CultureInfo.InvariantCulture, $"Live at {_plan.FramesPerSecond:0.#} frames/s, {path.Label}"), objects, _plan.FramesPerSecond, "sent_to_receipt",
            sentToReceipt, inAgent, warmup, outside, path.Label));
        var published = run.Tracks.Values.Sum(t => t.Count);
        drops.Add(new DropRow(name, "Live", objects, _plan.FramesPerSecond, CaseAnalysis.DecodedFrames(run), published, CaseAnalysis.DroppedFrames(run)));
        WriteArrivals(run);
        WriteStages(run);
        return run;
    }

    /// <summary>
    /// <c>{case}.arrivals.csv</c>: every tracks message of a Live run as the subscriber got it, so a latency percentile can
    /// be traced to the frames behind it (a stall, a burst of drops, the occlusion).
    /// </summary>
    private void WriteArrivals(CaseRun run)
    {
        var csv = new StringBuilder("camera,frame,capture_time,received_at,sent_to_receipt_ms,capture_to_receipt_ms,in_agent_ms\n");
        foreach (var (camera, arrivals) in run.Tracks)
        {
            foreach (var a in arrivals)
            {
                var sentToReceipt = run.Case.Feed?.MillisecondsSinceSent(a.Frame, a.ReceivedTimestamp) is { } ms
                    ? ms.ToString("0.###", CultureInfo.InvariantCulture)
                    : "";
                var captureToReceipt = a.CaptureTime is { } capture ? (a.ReceivedAt - capture).TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) : "";
                csv.Append(CultureInfo.InvariantCulture, $"{camera},{a.Frame},{a.CaptureTime:O},{a.ReceivedAt:O},{sentToReceipt},{captureToReceipt},{a.AgentLatencyMs:0.###}\n");
            }
        }

        File.WriteAllText(Path.Combine(settings.OutputDirectory, $"{run.Case.Name}.arrivals.csv"), csv.ToString());
    }

    /// <summary><c>{case}.stages.csv</c>: each stats message's stage means over its interval, to see which stage a spike is.</summary>
    private void WriteStages(CaseRun run)
    {
        var names = run.Stats.SelectMany(x => x.Cameras).SelectMany(c => c.StagesMs.Keys).Distinct().ToList();
        var stages = new StringBuilder("seconds,camera,frames," + string.Join(',', names) + "\n");
        var first = run.Stats.Count > 0 ? run.Stats[0].ReceivedTimestamp : 0;
        foreach (var sample in run.Stats)
        {
            foreach (var c in sample.Cameras)
            {
                stages.Append(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(first, sample.ReceivedTimestamp).TotalSeconds:0.##},{c.Camera},{c.Frames}");
                foreach (var name in names)
                {
                    stages.Append(CultureInfo.InvariantCulture, $",{(c.StagesMs.TryGetValue(name, out var ms) ? ms : 0):0.###}");
                }

                stages.Append('\n');
            }
        }

        File.WriteAllText(Path.Combine(settings.OutputDirectory, $"{run.Case.Name}.stages.csv"), stages.ToString());
    }

    private async Task<FloorResult> RunFloorAsync(FloorRunner floorRunner, GridScene scene, string sceneFile, string config, CancellationToken cancellationToken)
    {
        var floor = await floorRunner.RunAsync(scene, sceneFile, config, cancellationToken).ConfigureAwait(false);
        Say(string.Create(CultureInfo.InvariantCulture, $"floor    {scene.ObjectCount} object(s): {floor.GraphsMsPerFrame:0.00} ms a frame in the graphs"));
        return floor;
    }

    private async Task<CaseRun> RunAgentAsync(CaseRunner runner, AgentCase run, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(run, cancellationToken).ConfigureAwait(false);
        var (frames, fps) = CaseAnalysis.Throughput(result);
        Say(string.Create(CultureInfo.InvariantCulture, $"agent    {run.Name}: {frames} frames, {fps:0.0} frames/s ({run.Cameras.Count} camera(s), {(run.Cameras[0].Live ? "Live" : "Deterministic")})"));
        return result;
    }

    /// <summary>The agent's configuration, as the runs write it, for the floor to read its Model and Tracking options from.</summary>
    private async Task<string> WriteFloorConfigAsync(MosquittoProcess broker, string sceneFile, CancellationToken cancellationToken)
    {
        var path = Path.Combine(settings.OutputDirectory, "floor.json");
        await new BenchAgentConfig(CaseRunner.AgentId, settings.ModelManifest, settings.OrtLibrary, settings.Providers, broker.Host, broker.Port, Cameras(1, sceneFile, live: false), BenchAgentConfig.MaxObjectsFor(1), settings.Threads)
            .WriteAsync(path, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private async Task<string> RenderAsync(GridScene scene, string name, SceneVideoCodec codec, CancellationToken cancellationToken)
    {
        var path = Path.Combine(settings.OutputDirectory, name);
        await scene.WriteAsync(path, codec, cancellationToken).ConfigureAwait(false);
        return path;
    }

    private static List<BenchCamera> Cameras(int count, string file, bool live)
    {
        var cameras = new List<BenchCamera>(count);
        for (var i = 0; i < count; i++)
        {
            cameras.Add(new BenchCamera(BenchAgentConfig.CameraId(i), file, live));
        }

        return cameras;
    }

    private static FloorRow FloorRow(int objects, List<FloorResult> runs)
    {
        var graphs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in runs[0].GraphMsPerFrame.Keys)
        {
            graphs[name] = Math.Round(runs.Average(r => r.GraphMsPerFrame.GetValueOrDefault(name)), 3);
        }

        double? cpu = runs.All(r => r.CpuMsPerFrame is not null) ? Math.Round(runs.Average(r => r.CpuMsPerFrame!.Value), 3) : null;
        return new FloorRow(objects, runs.Select(r => Math.Round(r.GraphsMsPerFrame, 3)).ToList(), Math.Round(runs.Average(r => r.GraphsMsPerFrame), 3), graphs, cpu);
    }

    private void Say(string line) => console.WriteLine(line);

    private string Relative(string path)
    {
        var relative = Path.GetRelativePath(settings.RepoRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
