using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Benchmarks.Soak;

/// <summary>
/// <c>--soak</c>: the agent's memory over a long run. Runs the real agent (a child process, as systemd would) on a
/// looping camera with three tracked objects against a real mosquitto, samples its resident memory and managed heap from
/// <c>{base}/stats</c> every second, and reports the growth per 10,000 processed frames after a warm-up, fitted by least
/// squares. Extra environment variables for the agent (GC and allocator settings) come from <c>--env NAME=VALUE</c>.
/// </summary>
internal static class SoakCommand
{
    public const string Usage = """
        usage: EdgeSam2.Benchmarks --soak [--frames 20000] [--warmup 4000] [--fps 100] [--env NAME=VALUE ...] [--csv PATH]
                                          [--agent PATH/EdgeSam2.Agent.dll]
          Runs a Release build of src/EdgeSam2.Agent (or --agent); needs ffmpeg and mosquitto.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var frames = 20_000L;
        var warmup = 4_000L;
        var fps = 100;
        string? csv = null;
        var agentDll = Path.Combine(RepoRoot.Path, "src", "EdgeSam2.Agent", "bin", "Release", "net10.0", "EdgeSam2.Agent.dll");
        var environment = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--frames": frames = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--fps": fps = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--csv": csv = value; break;
                case "--agent": agentDll = Path.GetFullPath(value); break;
                case "--env" when value.IndexOf('=', StringComparison.Ordinal) > 0:
                    environment[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    break;
                default: throw new ArgumentException($"unknown argument {args[i]}\n{Usage}");
            }

            i++;
        }

        if (!File.Exists(agentDll))
        {
            throw new FileNotFoundException($"build the agent first (dotnet build src/EdgeSam2.Agent -c Release): {agentDll}");
        }

        var directory = Directory.CreateTempSubdirectory("edgesam2-soak-").FullName;
        try
        {
            var scene = Path.Combine(directory, "ping-pong.mkv");
            await PingPongScene.WriteAsync(StandardScenes.TwoTargets() with { FramesPerSecond = fps }, scene).ConfigureAwait(false);
            await using var broker = await MosquittoBroker.StartAsync().ConfigureAwait(false);
            var config = WriteConfig(directory, broker, scene);
            await using var client = new MqttClient(new MqttClientOptions { Host = broker.Host, Port = broker.Port, ProtocolVersion = MqttProtocolVersion.V500 });
            await client.ConnectAsync().ConfigureAwait(false);
            await client.SubscribeAsync([new MqttSubscription("edgesam2/soak/#", MqttQos.AtLeastOnce)]).ConfigureAwait(false);

            using var agent = StartAgent(agentDll, config, environment);
            try
            {
                output.WriteLine($"agent pid {agent.Id}, env {(environment.Count == 0 ? "(none)" : string.Join(' ', environment.Select(e => e.Key + "=" + e.Value)))}, scene {fps} fps ping-pong, target {frames} frames");
                var samples = await RunAsync(client, frames, output).ConfigureAwait(false);
                Report(samples, warmup, output);
                if (csv is not null)
                {
                    await File.WriteAllLinesAsync(csv, ["frames,seconds,rss_bytes,managed_bytes,objects", .. samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Frames},{s.Seconds:F1},{s.Rss},{s.Managed},{s.Objects}"))]).ConfigureAwait(false);
                }
            }
            finally
            {
                if (!agent.HasExited)
                {
                    agent.Kill(entireProcessTree: true);
                    await agent.WaitForExitAsync().ConfigureAwait(false);
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<Sample>> RunAsync(MqttClient client, long frames, TextWriter output)
    {
        var samples = new List<Sample>();
        var seeded = false;
        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromHours(2);
        using var cancel = new CancellationTokenSource(timeout);
        await foreach (var message in client.Messages.ReadAllAsync(cancel.Token).ConfigureAwait(false))
        {
            if (!seeded && message.Topic == "edgesam2/soak/available" && Encoding.UTF8.GetString(message.Payload.Span) == "online")
            {
                // The camera starts paused: the prompts wait for its first frame (scene frame 0), where these points lie
                // on the two moving targets and on the static look-alike disc.
                await PublishAsync(client, "prompt", """{"request_id":"a","label":"disc","points":[[60,100,1]]}""").ConfigureAwait(false);
                await PublishAsync(client, "prompt", """{"request_id":"b","label":"square","points":[[450,290,1]]}""").ConfigureAwait(false);
                await PublishAsync(client, "prompt", """{"request_id":"c","label":"static","points":[[430,50,1]]}""").ConfigureAwait(false);
                await PublishAsync(client, "set", """{"request_id":"go","enabled":true}""").ConfigureAwait(false);
                seeded = true;
                continue;
            }

            if (message.Topic == "edgesam2/soak/cam1/reply")
            {
                output.WriteLine("reply " + Encoding.UTF8.GetString(message.Payload.Span));
                continue;
            }

            if (message.Topic != "edgesam2/soak/stats")
            {
                continue;
            }

            using var json = JsonDocument.Parse(message.Payload);
            var root = json.RootElement;
            var camera = root.GetProperty("cameras")[0];
            var sample = new Sample(camera.GetProperty("frames").GetInt64(), clock.Elapsed.TotalSeconds, root.GetProperty("rss_bytes").GetInt64(), root.GetProperty("managed_bytes").GetInt64(), camera.GetProperty("objects").GetInt32());
            samples.Add(sample);
            if (samples.Count % 30 == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sample.Seconds,7:F0} s  frames {sample.Frames,7}  rss {sample.Rss / 1048576.0,7:F1} MB  managed {sample.Managed / 1048576.0,6:F1} MB  objects {sample.Objects}"));
            }

            if (sample.Frames >= frames)
            {
                return samples;
            }
        }

        throw new TimeoutException($"the agent did not reach {frames} frames within {timeout}");
    }

    private static void Report(List<Sample> samples, long warmup, TextWriter output)
    {
        var steady = samples.Where(s => s.Frames >= warmup).ToList();
        var last = samples[^1];
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{last.Frames} frames in {last.Seconds:F0} s ({last.Frames / last.Seconds:F1} frames/s), {last.Objects} objects at the end"));
        output.WriteLine("frames    rss MB  managed MB");
        var step = Math.Max(1, samples.Count / 12);
        for (var i = 0; i < samples.Count; i += step)
        {
            var s = samples[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Frames,6}  {s.Rss / 1048576.0,8:F1}  {s.Managed / 1048576.0,10:F1}"));
        }

        if (steady.Count < 10)
        {
            output.WriteLine($"too few samples after the {warmup}-frame warm-up for a slope");
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slope after {warmup} frames ({steady.Count} samples, frames {steady[0].Frames}..{last.Frames}): rss {Slope(steady, s => s.Rss):+0.0;-0.0} MB / 10,000 frames, managed heap {Slope(steady, s => s.Managed):+0.0;-0.0} MB / 10,000 frames; rss {steady[0].Rss / 1048576.0:F1} -> {last.Rss / 1048576.0:F1} MB"));
    }

    /// <summary>Least-squares growth of <paramref name="value"/> in MB per 10,000 frames.</summary>
    private static double Slope(List<Sample> samples, Func<Sample, long> value)
    {
        double n = samples.Count, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var s in samples)
        {
            double x = s.Frames, y = value(s) / 1048576.0;
            (sx, sy, sxx, sxy) = (sx + x, sy + y, sxx + (x * x), sxy + (x * y));
        }

        return (n * sxy - sx * sy) / (n * sxx - sx * sx) * 10_000;
    }

    private static Task PublishAsync(MqttClient client, string verb, string json) =>
        client.PublishAsync(new MqttMessage("edgesam2/soak/cam1/" + verb, Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce)).AsTask();

    private static string WriteConfig(string directory, MosquittoBroker broker, string scene)
    {
        var config = new
        {
            Logging = new { LogLevel = new { Default = "Warning" } },
            EdgeSam2 = new
            {
                AgentId = "soak",
                Model = new { Manifest = RepoRoot.TestManifest, IntraOpThreads = 1 },
                Mqtt = new { Host = broker.Host, Port = broker.Port },
                Output = new { StatsIntervalSeconds = 1 },
                Health = new { HttpEnabled = false },
                Tracking = new { RemoveAfterSeconds = 100_000 },
                Cameras = new[] { new { Id = "cam1", Url = scene, Mode = "Live", Enabled = false, Loop = true } },
            },
        };
        var path = Path.Combine(directory, "soak.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private static Process StartAgent(string dll, string config, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll, "--config", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        static void Forward(string? line)
        {
            if (line is not null)
            {
                Console.Error.WriteLine("agent: " + line);
            }
        }
    }

    private readonly record struct Sample(long Frames, double Seconds, long Rss, long Managed, int Objects);
}
