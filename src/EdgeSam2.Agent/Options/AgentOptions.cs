namespace EdgeSam2.Agent.Options;

/// <summary>The agent's whole configuration: the <c>EdgeSam2</c> section of the config file (config/README.md).</summary>
public sealed class AgentOptions
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "EdgeSam2";

    /// <summary>This agent's name, substituted for <c>{agent_id}</c> in <see cref="BaseTopic"/>. Default <c>edge-1</c>.</summary>
    public string AgentId { get; set; } = "edge-1";

    /// <summary>Prefix of every MQTT topic; <c>{agent_id}</c> is replaced by <see cref="AgentId"/>. Default <c>edgesam2/{agent_id}</c>.</summary>
    public string BaseTopic { get; set; } = "edgesam2/{agent_id}";

    /// <summary>The SAM 2 model set and ONNX Runtime.</summary>
    public ModelOptions Model { get; set; } = new();

    /// <summary>The MQTT broker connection.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>Tracker limits and memory policy, shared by every camera.</summary>
    public TrackingOptions Tracking { get; set; } = new();

    /// <summary>Limits of the command plane: payload size, rates, reply topics, waiting commands.</summary>
    public CommandOptions Commands { get; set; } = new();

    /// <summary>What the tracks messages carry.</summary>
    public OutputOptions Output { get; set; } = new();

    /// <summary>JPEG snapshots of recent frames, on request and at a period.</summary>
    public SnapshotOptions Snapshot { get; set; } = new();

    /// <summary>Pipeline stall detection and the loopback HTTP endpoint.</summary>
    public HealthOptions Health { get; set; } = new();

    /// <summary>Where per-camera state is kept across restarts.</summary>
    public StateOptions State { get; set; } = new();

    /// <summary>The cameras (or files), one pipeline each. Default none.</summary>
    public List<CameraOptions> Cameras { get; set; } = [];

    /// <summary><see cref="BaseTopic"/> with <c>{agent_id}</c> substituted.</summary>
    public string ResolvedBaseTopic => BaseTopic.Replace("{agent_id}", AgentId, StringComparison.Ordinal);
}
