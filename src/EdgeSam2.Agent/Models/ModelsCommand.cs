using System.Diagnostics;
using System.Globalization;
using EdgeSam2.Agent.Options;
using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// <c>edgesam2 models warm</c> builds and caches what the configured providers need (TensorRT engines) so that a
/// service start is not spent building them; <c>edgesam2 models bench</c> runs a model set on this machine and prints
/// per-graph p50/p99 and frames per second at several object counts, with the provider of each graph.
/// </summary>
internal static class ModelsCommand
{
    public const string Usage = """
        usage: edgesam2 models warm  [--config PATH] [--trt-cache DIR]
               edgesam2 models bench [--config PATH] [--model MANIFEST] [--providers TensorRt,Cuda,Cpu] [--trt-cache DIR]
                                     [--frame-preparation Auto|Kernel|Graph] [--objects 1,2,4,8] [--frames N] [--agent-tracker] [--json]
                                     [--scene VIDEO --scene-size WxH --clicks X,Y;X,Y…] [--cameras 1,2,4 [--concurrent-runs N]]

          warm    load the configured model set on its providers, building and caching TensorRT engines
                  (Model:TensorRtCachePath), and run every graph at one and at Tracking:MaxObjects objects
          bench   time the four graphs through the tracker on a synthetic model-sized scene (or --scene): frames/s and
                  per-graph p50/p99 at each object count (default 1,2,4,8; 50 timed frames after 5 warm-up frames)
                  with --cameras: that many cameras at once on the one shared model set, each on its own thread
                  through the agent's scheduler (Model:ConcurrentRuns); camera i tracks the i-th --objects count
                  (cycling; default 1 each, so --objects 8,1 sets one busy camera beside light ones):
                  per camera frames/s, latency p50/p95/max of a frame through the tracker, and scheduler wait;
                  --concurrent-runs instead of the config's Model:ConcurrentRuns
          --config    the agent's config file (default: config/edgesam2.json when it exists)
          --model     a model set's manifest, instead of the config's Model:Manifest
          --providers execution providers in order of preference, instead of the config's Model:Providers
          --trt-cache TensorRT engine and timing cache folder, instead of the config's Model:TensorRtCachePath
          --frame-preparation  kernel or preparation graph, instead of the config's Model:FramePreparation
                      (the graph's time counts as the image encoder's)
          --agent-tracker  bench: track with the config's Tracking options (memory policy and limits), the memory
                      shapes the agent runs, instead of SAM 2's reference policy (every frame written)
          --json      bench: one JSON object per object count on stdout instead of the table (for `make bench`)
          --scene     bench: track this video's frames instead of the synthetic frame, decoded as the agent's ffmpeg
                      source decodes them (scaled to the model's input size), with one click per object on frame 0;
                      --scene-size is the video's frame size and --clicks the clicks in its pixels (one per object,
                      so the object count is the number of clicks); past the video's end it starts again
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? ExitCodes.ConfigInvalid : ExitCodes.Ok;
        }

        var verb = args[0];
        if (verb is not ("warm" or "bench"))
        {
            return Fail($"unknown models command '{verb}'");
        }

        string? config = null, manifest = null, providers = null, cache = null;
        int[]? objects = null;
        var frames = 50;
        int[]? cameras = null;
        var concurrentRuns = 0;
        var json = false;
        var agentTracker = false;
        FramePreparation? preparation = null;
        string? sceneVideo = null;
        (int Width, int Height)? sceneSize = null;
        (float X, float Y)[]? clicks = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" when value is not null: config = value; i++; break;
                case "--model" when value is not null: manifest = value; i++; break;
                case "--providers" when value is not null: providers = value; i++; break;
                case "--trt-cache" when value is not null: cache = value; i++; break;
                case "--objects" when value is not null && TryParseCounts(value, out var counts): objects = counts; i++; break;
                case "--cameras" when value is not null && TryParseCounts(value, out var cams): cameras = cams; i++; break;
                case "--concurrent-runs" when value is not null && int.TryParse(value, CultureInfo.InvariantCulture, out var runs) && runs > 0: concurrentRuns = runs; i++; break;
                case "--frames" when value is not null && int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0: frames = n; i++; break;
                case "--frame-preparation" when value is not null:
                    if (!Enum.TryParse<FramePreparation>(value, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(value, CultureInfo.InvariantCulture, out _))
                    {
                        return Fail($"--frame-preparation: '{value}' is not one of {string.Join(", ", Enum.GetNames<FramePreparation>())}");
                    }

                    preparation = mode;
                    i++;
                    break;
                case "--scene" when value is not null: sceneVideo = value; i++; break;
                case "--scene-size" when value is not null && BenchFrames.TryParseSize(value, out var sw, out var sh): sceneSize = (sw, sh); i++; break;
                case "--clicks" when value is not null && BenchFrames.TryParseClicks(value, out var parsed): clicks = parsed; i++; break;
                case "--json": json = true; break;
                case "--agent-tracker": agentTracker = true; break;
                default: return Fail($"'{args[i]}' is not a valid option here, or its value is missing or invalid");
            }
        }

        if ((sceneVideo is null) != (sceneSize is null) || (sceneVideo is null) != (clicks is null))
        {
            return Fail("--scene, --scene-size and --clicks go together");
        }

        if (clicks is not null && (objects ?? [clicks.Length]) is var wanted && (wanted.Length != 1 || wanted[0] != clicks.Length || cameras is not null))
        {
            return Fail($"--scene tracks one object per click ({clicks.Length}): --objects may only repeat that count, and --cameras does not take a scene");
        }

        AgentOptions options;
        try
        {
            options = LoadOptions(config, manifest, providers);
            if (concurrentRuns > 0)
            {
                options.Model.ConcurrentRuns = concurrentRuns;
            }

            if (cache is not null)
            {
                options.Model.TensorRtCachePath = Path.GetFullPath(cache);
            }

            if (preparation is { } p)
            {
                options.Model.FramePreparation = p;
            }
        }
        catch (AgentConfigurationException e)
        {
            return Fail(e.Message);
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        try
        {
            OrtRuntime.Initialize(new OrtRuntimeOptions { LibraryPath = options.Model.OrtLibrary }, loggers);
            using var set = Sam2ModelSet.Load(options.Model.Manifest, ModelCatalog.SessionSettingsFor(options.Model), ModelCatalog.LimitsFor(options.Tracking), options.Model.VerifyChecksums, loggers.CreateLogger("EdgeSam2.Models"), options.Model.FramePreparation);
            var tracker = agentTracker ? Cameras.CameraPipeline.TrackerOptionsFrom(options.Tracking) : ReferenceTracker;
            var scene = verb == "bench" && sceneVideo is not null
                ? BenchFrames.Decode(sceneVideo, set.Info.InputSize, sceneSize!.Value.Width, sceneSize.Value.Height, clicks!, 1 + Warmup + frames)
                : null;
            if (scene is not null)
            {
                objects = [clicks!.Length];
            }

            if (verb == "bench" && json)
            {
                return BenchJson(set, tracker, objects ?? [1, 2, 4, 8], frames, scene);
            }

            Console.WriteLine($"model set {set.Manifest.Name} ({set.Info.InputSize} px, {set.Info.AttentionForm} memory attention, mask prompts {(set.Info.AcceptsMaskPrompts ? "accepted" : "not accepted: the decoder has no mask input")}), ONNX Runtime {OrtRuntime.Version}");
            Console.WriteLine($"providers: {set.Provider}");
            if (verb == "bench" && cameras is not null)
            {
                CameraBench.Run(set, ModelCatalog.ConcurrentRunsFor(options.Model, set.Providers), cameras, objects ?? [1], frames);
                return ExitCodes.Ok;
            }

            return verb == "warm" ? Warm(set, options.Tracking, options.Model.TensorRtCachePath) : Bench(set, tracker, objects ?? [1, 2, 4, 8], frames, scene);
        }
        catch (BenchSceneException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is Sam2ModelException or OrtRuntimeException)
        {
            Console.Error.WriteLine("edgesam2: the model set cannot be used: " + e.Message);
            return ExitCodes.ModelUnusable;
        }
    }

    private static int Warm(Sam2ModelSet set, TrackingOptions tracking, string cacheDirectory)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var count in new[] { 1, tracking.MaxObjects })
        {
            using var model = set.CreateModel();
            BenchLoop.Run(model, ReferenceTracker, BenchFrames.Synthetic(set.Info.InputSize, count), 3);
        }

        var cached = set.Providers.Contains(Onnx.Providers.ExecutionProvider.TensorRt)
            ? $"TensorRT engines and timing caches are in {cacheDirectory} for the next start"
            : "no graph runs on TensorRT, so there is no engine to cache";
        Console.WriteLine($"warm: every graph ran at 1 and {tracking.MaxObjects} objects in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; {cached}");
        return ExitCodes.Ok;
    }

    private static int Bench(Sam2ModelSet set, TrackerOptions tracker, int[] objectCounts, int frames, BenchFrames? scene)
    {
        Console.WriteLine("objects  frames/s  B/frame   image_encoder    mask_decoder     memory_attention  memory_encoder   (ms per call, p50 / p99)");
        foreach (var count in objectCounts)
        {
            using var timer = new GraphTimer(set.CreateModel(), capacity: frames * 4);
            var (wall, _, allocated) = BenchLoop.Run(timer, tracker, scene ?? BenchFrames.Synthetic(set.Info.InputSize, count), frames, Warmup);
            var cells = new string[GraphTimer.Graphs];
            for (var g = 0; g < GraphTimer.Graphs; g++)
            {
                var times = timer.Times(g).ToArray();
                Array.Sort(times);
                cells[g] = times.Length == 0 ? "-" : $"{Percentile(times, 0.50),6:0.00} / {Percentile(times, 0.99),6:0.00}";
            }

            Console.WriteLine($"{count,7}  {frames / wall.TotalSeconds,8:0.0}  {allocated / frames,7}   {cells[0],-15}  {cells[1],-15}  {cells[2],-16}  {cells[3],-15}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The same measurement as <see cref="Bench"/>, one JSON line per object count: the floor that <c>make bench</c>
    /// compares the agent with is <c>graphs_ms_per_frame</c>, the time spent inside the four graphs per frame.
    /// </summary>
    private static int BenchJson(Sam2ModelSet set, TrackerOptions tracker, int[] objectCounts, int frames, BenchFrames? scene)
    {
        using var stdout = Console.OpenStandardOutput();
        foreach (var count in objectCounts)
        {
            using var timer = new GraphTimer(set.CreateModel(), capacity: frames * 4);
            var (wall, cpu, allocated) = BenchLoop.Run(timer, tracker, scene ?? BenchFrames.Synthetic(set.Info.InputSize, count), frames, Warmup);
            using (var w = new System.Text.Json.Utf8JsonWriter(stdout))
            {
                w.WriteStartObject();
                w.WriteNumber("objects", count);
                w.WriteNumber("frames", frames);
                w.WriteString("model", set.Manifest.Name);
                w.WriteString("provider", set.Provider);
                w.WriteNumber("frames_per_s", Math.Round(frames / wall.TotalSeconds, 2));
                w.WriteNumber("bytes_per_frame", allocated / frames);
                w.WriteNumber("cpu_ms_per_frame", Math.Round(cpu.TotalMilliseconds / frames, 4));
                var total = 0.0;
                w.WriteStartArray("graphs");
                for (var g = 0; g < GraphTimer.Graphs; g++)
                {
                    var times = timer.Times(g).ToArray();
                    Array.Sort(times);
                    var sum = 0.0;
                    foreach (var t in times)
                    {
                        sum += t;
                    }

                    total += sum;
                    w.WriteStartObject();
                    w.WriteString("graph", Onnx.Sam2.OnnxSam2Model.GraphNames[g]);
                    w.WriteNumber("calls", times.Length);
                    w.WriteNumber("ms_per_frame", Math.Round(sum / frames, 4));
                    w.WriteNumber("p50_ms", times.Length == 0 ? 0 : Math.Round(Percentile(times, 0.50), 4));
                    w.WriteNumber("p99_ms", times.Length == 0 ? 0 : Math.Round(Percentile(times, 0.99), 4));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("graphs_ms_per_frame", Math.Round(total / frames, 4));
                w.WriteEndObject();
            }

            stdout.WriteByte((byte)'\n');
            stdout.Flush();
        }

        return ExitCodes.Ok;
    }

    /// <summary>Untimed frames after the prompt frame: first runs of each graph and shape settle ORT's allocations.</summary>
    private const int Warmup = 5;

    /// <summary>SAM 2's own policy (every frame written): the largest memory shapes, what `models bench` times by default.</summary>
    private static TrackerOptions ReferenceTracker => new() { Memory = new MemoryOptions { Policy = MemoryWritePolicy.Reference } };

    private static AgentOptions LoadOptions(string? config, string? manifest, string? providers)
    {
        AgentOptions options;
        if (config is not null || File.Exists(AgentHost.DefaultConfigPath))
        {
            using var host = AgentHost.Build(["--config", config ?? AgentHost.DefaultConfigPath]);
            options = host.Services.GetRequiredService<AgentOptions>();
        }
        else if (manifest is null)
        {
            throw new AgentConfigurationException($"no config file ({AgentHost.DefaultConfigPath} does not exist): pass --config PATH or --model MANIFEST");
        }
        else
        {
            options = new AgentOptions();
        }

        if (manifest is not null)
        {
            options.Model.Manifest = Path.GetFullPath(manifest);
        }

        if (providers is not null)
        {
            options.Model.Providers.Clear();
            foreach (var name in providers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                options.Model.Providers.Add(Enum.TryParse<ExecutionProviderKind>(name, ignoreCase: true, out var kind)
                    ? kind
                    : throw new AgentConfigurationException($"--providers: '{name}' is not one of TensorRt, Cuda, Cpu"));
            }
        }

        return options;
    }

    private static bool TryParseCounts(string text, out int[] counts)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        counts = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], CultureInfo.InvariantCulture, out counts[i]) || counts[i] < 1 || counts[i] > 64)
            {
                return false;
            }
        }

        return parts.Length > 0;
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static int Fail(string message)
    {
        Console.Error.WriteLine("edgesam2 models: " + message);
        Console.Error.WriteLine(Usage);
        return ExitCodes.ConfigInvalid;
    }
}
