using System.Text.Json;
using EdgeSam2.Testing;
using EdgeSam2.Testing.Mosquitto;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>Writes a config file for a test agent: the committed test models, the test's broker, one camera.</summary>
internal static class AgentConfig
{
    /// <summary>
    /// Writes the config; HTTP (<c>/healthz</c>, <c>/metrics</c>) only when <paramref name="httpPort"/> is given, so
    /// parallel agents never contend for a port. <paramref name="framePreparation"/> sets <c>Model:FramePreparation</c>.
    /// </summary>
    public static string Write(
        string directory, MosquittoBroker broker, string agentId, IEnumerable<object> cameras, int? httpPort = null, object? commands = null, object? tracking = null,
        string framePreparation = "Auto")
    {
        var config = new Dictionary<string, object>
        {
            ["Logging"] = new { LogLevel = new { Default = "Warning" } },
            ["EdgeSam2"] = new
            {
                AgentId = agentId,
                Model = new
                {
                    Manifest = Path.Combine(RepoPaths.TestModels, "manifest.json"),
                    IntraOpThreads = 2,
                    FramePreparation = framePreparation,
                },
                Mqtt = new { Host = broker.Host, Port = broker.Port, KeepAliveSeconds = 5 },
                Health = httpPort is { } port ? (object)new { HttpPort = port } : new { HttpEnabled = false },
                Commands = commands ?? new { },
                Tracking = tracking ?? new { },
                Cameras = cameras,
            },
        };
        var path = Path.Combine(directory, agentId + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    public static object Camera(string id, string url, string mode, bool enabled, bool loop = false) =>
        new { Id = id, Url = url, Mode = mode, Enabled = enabled, Loop = loop };

    /// <summary>A Live camera read by <c>gst-launch-1.0</c> (<c>Decoder: GStreamer</c>).</summary>
    public static object GStreamerCamera(string id, string url) =>
        new { Id = id, Url = url, Mode = "Live", Enabled = true, Decoder = "GStreamer" };
}
