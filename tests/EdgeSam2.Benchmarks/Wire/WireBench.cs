using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Benchmarks.Wire;

/// <summary>
/// <c>--wire</c>: what the agent puts on the wire and how fast its command plane answers, measured on the real agent
/// (a child process) and a real mosquitto. (1) Bytes of the tracks message per frame and per object for each
/// <c>Output:Mask</c> format, over <c>StandardScenes.TwoTargets</c> with both targets tracked. (2) Commands answered
/// per second under a flood of <c>set</c> commands from one sender, with the default rate limits and with them lifted.
/// </summary>
internal static class WireBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var flood = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        var agentDll = Path.Combine(RepoRoot.Path, "src", "EdgeSam2.Agent", "bin", "Release", "net10.0", "EdgeSam2.Agent.dll");
        var directory = Directory.CreateTempSubdirectory("edgesam2-wire-").FullName;
        try
        {
            var spec = StandardScenes.TwoTargets();
            var scene = Path.Combine(directory, "two-targets.mkv");
            await SceneVideo.WriteAsync(spec, scene, CancellationToken.None).ConfigureAwait(false);
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = ["max_queued_messages 100000"] }).ConfigureAwait(false);

            output.WriteLine($"tracks message size, {spec.Width}x{spec.Height}, {spec.FrameCount} frames, 2 objects (disc r=34, square 60x60), Deterministic");
            output.WriteLine("mask   frames  bytes/frame  envelope  bytes/object  of which mask");
            foreach (var mask in new[] { "Rle", "None" })
            {
                var sizes = await TracksSizesAsync(agentDll, directory, broker, scene, mask, spec.FrameCount).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mask,-5}  {sizes.Frames,6}  {sizes.PerFrame,11:F0}  {sizes.Envelope,8:F0}  {sizes.PerObject,12:F0}  {sizes.Mask,13:F0}"));
            }

            output.WriteLine();
            output.WriteLine($"command flood: {flood} set commands from one sender (QoS 1, published without waiting), camera disabled");
            output.WriteLine("limits                 answered  answered/s  dropped (rate limited)  seconds");
            foreach (var lifted in new[] { false, true })
            {
                var (answered, dropped, seconds) = await FloodAsync(agentDll, directory, broker, scene, flood, lifted).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(lifted ? "lifted (1e6/s)" : "default (20/s, 400/s)"),-22} {answered,8}  {answered / seconds,10:F0}  {dropped,22}  {seconds,7:F2}"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int Frames, double PerFrame, double Envelope, double PerObject, double Mask)> TracksSizesAsync(
        string agentDll, string directory, MosquittoBroker broker, string scene, string mask, int frameCount)
    {
        var agentId = "wire-" + mask.ToLowerInvariant();
        var config = WriteConfig(directory, broker, agentId, scene, "Deterministic", new { Mask = mask, StatsIntervalSeconds = 0 }, new { });
        await using var client = await ConnectAsync(broker, $"edgesam2/{agentId}/#").ConfigureAwait(false);
        using var agent = Start(agentDll, config);
        try
        {
            long total = 0, objects = 0, objectBytes = 0, maskBytes = 0;
            var frames = 0;
            var cam = $"edgesam2/{agentId}/cam1/";
            await foreach (var message in client.Messages.ReadAllAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token).ConfigureAwait(false))
            {
                if (message.Topic == $"edgesam2/{agentId}/available" && Encoding.UTF8.GetString(message.Payload.Span) == "online")
                {
                    await Publish(client, cam + "prompt", """{"points":[[60,100,1]],"frame":0}""").ConfigureAwait(false);
                    await Publish(client, cam + "prompt", """{"points":[[450,290,1]],"frame":0}""").ConfigureAwait(false);
                    await Publish(client, cam + "set", """{"enabled":true}""").ConfigureAwait(false);
                }
                else if (message.Topic == cam + "tracks")
                {
                    frames++;
                    total += message.Payload.Length;
                    using var json = JsonDocument.Parse(message.Payload);
                    foreach (var o in json.RootElement.GetProperty("objects").EnumerateArray())
                    {
                        objects++;
                        objectBytes += Encoding.UTF8.GetByteCount(o.GetRawText());
                        if (o.TryGetProperty("mask", out var m))
                        {
                            maskBytes += Encoding.UTF8.GetByteCount(m.GetRawText()) + 8; // "mask": and its comma
                        }
                    }

                    if (frames == frameCount)
                    {
                        break;
                    }
                }
            }

            return (frames, (double)total / frames, (double)(total - objectBytes) / frames, (double)objectBytes / objects, (double)maskBytes / objects);
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(int Answered, long Dropped, double Seconds)> FloodAsync(string agentDll, string directory, MosquittoBroker broker, string scene, int count, bool lifted)
    {
        var agentId = lifted ? "flood-lifted" : "flood-default";
        object commands = lifted ? new { StatsIntervalSeconds = 0.5, RatePerSecond = 1_000_000, RateBurst = 1_000_000, GlobalRatePerSecond = 1_000_000 } : new { StatsIntervalSeconds = 0.5 };
        var config = WriteConfig(directory, broker, agentId, scene, "Deterministic", new { StatsIntervalSeconds = 0 }, commands);
        await using var client = await ConnectAsync(broker, $"edgesam2/{agentId}/#").ConfigureAwait(false);
        using var agent = Start(agentDll, config);
        try
        {
            var clock = new Stopwatch();
            var answered = 0;
            var lastAnswer = TimeSpan.Zero;
            await foreach (var message in client.Messages.ReadAllAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token).ConfigureAwait(false))
            {
                if (message.Topic == $"edgesam2/{agentId}/available" && Encoding.UTF8.GetString(message.Payload.Span) == "online" && !clock.IsRunning)
                {
                    clock.Start();
                    var payload = """{"enabled":false}"""u8.ToArray();
                    for (var i = 0; i < count; i++)
                    {
                        client.Post(new MqttMessage($"edgesam2/{agentId}/cam1/set", payload, MqttQos.AtLeastOnce));
                    }
                }
                else if (message.Topic == $"edgesam2/{agentId}/cam1/reply")
                {
                    answered++;
                    lastAnswer = clock.Elapsed;
                }
                else if (message.Topic == $"edgesam2/{agentId}/commands")
                {
                    using var json = JsonDocument.Parse(message.Payload);
                    var received = json.RootElement.GetProperty("received").GetInt64();
                    var dropped = json.RootElement.GetProperty("dropped");
                    var gone = dropped.GetProperty("rate_limited").GetInt64() + dropped.GetProperty("reply_queue_full").GetInt64();
                    var wire = dropped.GetProperty("receive_buffer_full").GetInt64();
                    if (received + wire == count && answered + gone + wire == count)
                    {
                        return (answered, gone + wire, lastAnswer.TotalSeconds);
                    }
                }
            }

            throw new TimeoutException("the flood was not settled within 5 minutes");
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            await agent.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static async Task<MqttClient> ConnectAsync(MosquittoBroker broker, string filter)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ProtocolVersion = MqttProtocolVersion.V500,
            ReceiveBufferCapacity = 100_000,
            MaxQueuedMessages = 100_000,
        });
        await client.ConnectAsync().ConfigureAwait(false);
        await client.SubscribeAsync([new MqttSubscription(filter, MqttQos.AtLeastOnce)]).ConfigureAwait(false);
        return client;
    }

    private static Task Publish(MqttClient client, string topic, string json) =>
        client.PublishAsync(new MqttMessage(topic, Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce)).AsTask();

    private static string WriteConfig(string directory, MosquittoBroker broker, string agentId, string scene, string mode, object output, object commands)
    {
        var config = new
        {
            Logging = new { LogLevel = new { Default = "Warning" } },
            EdgeSam2 = new
            {
                AgentId = agentId,
                Model = new { Manifest = RepoRoot.TestManifest, IntraOpThreads = 1 },
                Mqtt = new { Host = broker.Host, Port = broker.Port },
                Output = output,
                Commands = commands,
                Health = new { HttpEnabled = false },
                Cameras = new[] { new { Id = "cam1", Url = scene, Mode = mode, Enabled = false } },
            },
        };
        var path = Path.Combine(directory, agentId + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    private static Process Start(string dll, string config) =>
        Process.Start(new ProcessStartInfo("dotnet", [dll, "--config", config]) { UseShellExecute = false })!;
}
