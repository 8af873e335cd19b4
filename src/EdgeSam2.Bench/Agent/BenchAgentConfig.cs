using System.Globalization;
using System.Text.Json;
using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// The agent's configuration for one bench run (agent contract, section <c>EdgeSam2</c>): every camera disabled at
/// start, so the prompts are in before the first frame is decoded; stats every second, so the run's stages and memory
/// can be read from <c>{base}/stats</c>.
/// </summary>
internal sealed record BenchAgentConfig(
    string AgentId, string ModelManifest, string OrtLibrary, IReadOnlyList<string> Providers, string BrokerHost, int BrokerPort,
    IReadOnlyList<BenchCamera> Cameras, int MaxObjects, BenchThreads Threads)
{
    public const string BaseTopicTemplate = "edgesam2/{agent_id}";

    public const double StatsIntervalSeconds = 1;

    /// <summary>Tracking:MaxObjects: the agent's default (16), or more for a scene that needs it; the same for the floor and every run.</summary>
    public static int MaxObjectsFor(int objects) => Math.Max(16, objects);

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("EdgeSam2");
            json.WriteString(nameof(AgentId), AgentId);
            json.WriteString("BaseTopic", BaseTopicTemplate);
            json.WriteStartObject("Model");
            json.WriteString("Manifest", ModelManifest);
            json.WriteString(nameof(OrtLibrary), OrtLibrary);
            json.WriteStartArray(nameof(Providers));
            foreach (var provider in Providers)
            {
                json.WriteStringValue(provider);
            }

            json.WriteEndArray();
            if (Threads.IntraOpThreads > 0)
            {
                json.WriteNumber(nameof(Threads.IntraOpThreads), Threads.IntraOpThreads);
            }

            if (Threads.ObjectThreads > 0)
            {
                json.WriteNumber(nameof(Threads.ObjectThreads), Threads.ObjectThreads);
            }

            json.WriteEndObject();
            json.WriteStartObject("Mqtt");
            json.WriteString("Host", BrokerHost);
            json.WriteNumber("Port", BrokerPort);
            json.WriteEndObject();
            json.WriteStartObject("Tracking");
            json.WriteNumber(nameof(MaxObjects), MaxObjects);
            json.WriteEndObject();
            json.WriteStartObject("Output");
            json.WriteString("Mask", "Rle");
            json.WriteNumber(nameof(StatsIntervalSeconds), StatsIntervalSeconds);
            json.WriteEndObject();
            json.WriteStartArray(nameof(Cameras));
            foreach (var camera in Cameras)
            {
                json.WriteStartObject();
                json.WriteString("Id", camera.Id);
                json.WriteString("Url", camera.Url);
                json.WriteString("Mode", camera.Live ? "Live" : "Deterministic");
                json.WriteBoolean("Enabled", false);
                json.WriteBoolean("Loop", camera.Loop);
                if (camera.InputFormat.Length > 0)
                {
                    json.WriteString(nameof(camera.InputFormat), camera.InputFormat);
                }

                if (camera.Decoder is { } decoder)
                {
                    json.WriteString(nameof(camera.Decoder), decoder.ToString());
                }

                if (Threads.DecoderThreads > 0 && camera.ReadsWith == VideoDecoder.Ffmpeg) // ffmpeg's setting (it would make Auto choose ffmpeg); GStreamer's decoders take their own
                {
                    json.WriteNumber(nameof(Threads.DecoderThreads), Threads.DecoderThreads);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public Task WriteAsync(string path, CancellationToken cancellationToken) => File.WriteAllBytesAsync(path, ToJson(), cancellationToken);

    /// <summary>The id of camera <paramref name="index"/> (from 0): <c>cam1</c>, <c>cam2</c>, ….</summary>
    public static string CameraId(int index) => string.Create(CultureInfo.InvariantCulture, $"cam{index + 1}");
}

/// <summary>
/// Thread settings the bench passes to the agent and the floor alike (<c>--intra-op-threads</c>, <c>--object-threads</c>,
/// <c>--decoder-threads</c>); 0 leaves the agent's default (Model:IntraOpThreads, Model:ObjectThreads, the camera's
/// DecoderThreads), so the bench measures the defaults.
/// </summary>
internal sealed record BenchThreads(int IntraOpThreads, int ObjectThreads, int DecoderThreads);
