namespace EdgeSam2.Agent.Mqtt;

/// <summary>The agent's topic names (Messages/README.md), built once so the per-frame path allocates none.</summary>
internal sealed class AgentTopics(string baseTopic)
{
    public string Base { get; } = baseTopic;

    /// <summary><c>{base}/available</c>: online / offline (will) / stopped.</summary>
    public string Available { get; } = baseTopic + "/available";

    /// <summary><c>{base}/commands</c>: the command plane's counters.</summary>
    public string CommandStats { get; } = baseTopic + "/commands";

    /// <summary><c>{base}/stats</c>: periodic statistics (QoS 0).</summary>
    public string Stats { get; } = baseTopic + "/stats";

    /// <summary><c>{base}/info</c>: retained, what this agent is (version, ONNX Runtime, model, providers, cameras).</summary>
    public string Info { get; } = baseTopic + "/info";

    /// <summary>The filters the agent subscribes to.</summary>
    public IReadOnlyList<string> CommandFilters { get; } = [baseTopic + "/+/prompt", baseTopic + "/+/remove", baseTopic + "/+/reset", baseTopic + "/+/set", baseTopic + "/+/capture"];

    /// <summary>True for the last level of a command topic: prompt, remove, reset, set, capture (a snapshot request).</summary>
    public static bool IsCommandVerb(string verb) => verb is "prompt" or "remove" or "reset" or "set" or "capture";

    public CameraTopics For(string camera) => new(Base + "/" + camera);

    /// <summary>Splits <c>{base}/{cam}/{verb}</c>; false for any other topic.</summary>
    public bool TryParseCommand(string topic, out string camera, out string verb)
    {
        camera = verb = "";
        if (topic.Length <= Base.Length + 1 || !topic.StartsWith(Base, StringComparison.Ordinal) || topic[Base.Length] != '/')
        {
            return false;
        }

        var rest = topic.AsSpan(Base.Length + 1);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || rest[(slash + 1)..].Contains('/'))
        {
            return false;
        }

        camera = rest[..slash].ToString();
        verb = rest[(slash + 1)..].ToString();
        return true;
    }
}

/// <summary>One camera's topics.</summary>
internal sealed class CameraTopics(string prefix)
{
    public string Tracks { get; } = prefix + "/tracks";

    /// <summary>A late prompt's object on the frames between the one it named and the one it joined live tracking on.</summary>
    public string TracksCorrection { get; } = prefix + "/tracks/correction";

    public string Events { get; } = prefix + "/events";

    public string Status { get; } = prefix + "/status";

    public string State { get; } = prefix + "/state";

    public string Reply { get; } = prefix + "/reply";

    /// <summary>The JPEG of a recent frame (frame number and capture time in user properties).</summary>
    public string Snapshot { get; } = prefix + "/snapshot";

    /// <summary>The snapshot's JSON companion, published just before it (for MQTT 3.1.1 clients, which see no user properties).</summary>
    public string SnapshotInfo { get; } = prefix + "/snapshot/info";
}
