using System.Text.RegularExpressions;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Agent.Options;

/// <summary>Checks bound options and resolves their relative paths; returns every problem at once.</summary>
internal static partial class AgentOptionsValidator
{
    /// <summary>Model:ObjectThreads' ceiling: a thread per core on the largest boxes the agent targets; more only adds hand-offs.</summary>
    private const int MaxObjectThreads = 64;

    public static void Validate(AgentOptions options, PathResolver paths, List<string> errors)
    {
        const string S = AgentOptions.SectionName;
        if (!TopicLevel().IsMatch(options.AgentId))
        {
            errors.Add($"{S}:AgentId: '{options.AgentId}' must be letters, digits, '-' or '_'.");
        }

        var topic = options.ResolvedBaseTopic;
        if (!TopicNames.IsValidTopicName(topic) || topic.EndsWith('/') || topic.StartsWith('/'))
        {
            errors.Add($"{S}:BaseTopic: '{options.BaseTopic}' is not a usable topic prefix (no wildcards, no leading or trailing '/').");
        }

        ValidateModel(options.Model, paths, errors);
        ValidateMqtt(options.Mqtt, paths, errors);
        ValidateTracking(options.Tracking, errors);
        ValidateCommands(options, errors);
        ValidateCameras(options.Cameras, paths, errors);
        ValidateHealth(options.Health, errors);
        ValidateSnapshot(options.Snapshot, errors);
        if (options.Output.StatsIntervalSeconds is < 0 or > 86400 || double.IsNaN(options.Output.StatsIntervalSeconds))
        {
            errors.Add($"{S}:Output:StatsIntervalSeconds: {options.Output.StatsIntervalSeconds} must be 0 (off) or up to 86400.");
        }
    }

    private static void ValidateModel(ModelOptions model, PathResolver paths, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Model";
        model.Manifest = Resolve(model.Manifest, $"{S}:Manifest", "model manifest", paths, errors);
        if (!string.IsNullOrEmpty(model.OrtLibrary))
        {
            model.OrtLibrary = Resolve(model.OrtLibrary, $"{S}:OrtLibrary", "ONNX Runtime library", paths, errors);
        }

        if (model.TensorRtWorkspaceMiB < 64)
        {
            errors.Add($"{S}:TensorRtWorkspaceMiB: {model.TensorRtWorkspaceMiB} must be at least 64.");
        }

        if (model.CudaArenaLimitMiB < 0)
        {
            errors.Add($"{S}:CudaArenaLimitMiB: {model.CudaArenaLimitMiB} must be 0 (no cap) or more.");
        }

        if (model.ConcurrentRuns < 0)
        {
            errors.Add($"{S}:ConcurrentRuns: {model.ConcurrentRuns} must be 0 (chosen from the providers) or more.");
        }

        if (model.IntraOpThreads < 0)
        {
            errors.Add($"{S}:IntraOpThreads: {model.IntraOpThreads} must be 0 (automatic: 1 on a box of two cores or fewer, else ORT chooses) or more.");
        }

        if (model.ObjectThreads is < 0 or > MaxObjectThreads)
        {
            errors.Add($"{S}:ObjectThreads: {model.ObjectThreads} must be 0 (automatic: 2 when the per-object graphs run on the CPU with one ORT thread, else 1) to {MaxObjectThreads}.");
        }

        if (model.DeviceId < 0)
        {
            errors.Add($"{S}:DeviceId: {model.DeviceId} must not be negative.");
        }

        if (model.Providers.Count == 0)
        {
            model.Providers.Add(ExecutionProviderKind.Cpu);
        }

        if (model.Providers.Distinct().Count() != model.Providers.Count)
        {
            errors.Add($"{S}:Providers: each provider may be listed once.");
        }
    }

    private static void ValidateMqtt(MqttOptions mqtt, PathResolver paths, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Mqtt";
        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            errors.Add($"{S}:Host: the broker's host is required.");
        }

        if (mqtt.Port is < 1 or > 65535)
        {
            errors.Add($"{S}:Port: {mqtt.Port} is outside 1..65535.");
        }

        if (mqtt.KeepAliveSeconds is < 0 or > ushort.MaxValue)
        {
            errors.Add($"{S}:KeepAliveSeconds: {mqtt.KeepAliveSeconds} is outside 0..65535.");
        }

        if (mqtt.TracksQos is not (0 or 1))
        {
            errors.Add($"{S}:TracksQos: {mqtt.TracksQos} must be 0 or 1.");
        }

        if (mqtt.ReconnectMinDelayMs < 1 || mqtt.ReconnectMaxDelayMs < mqtt.ReconnectMinDelayMs)
        {
            errors.Add($"{S}:ReconnectMinDelayMs: {mqtt.ReconnectMinDelayMs} must be positive and not above ReconnectMaxDelayMs ({mqtt.ReconnectMaxDelayMs}).");
        }

        if (mqtt.MaxQueuedMessages is < 1 or > 1_000_000)
        {
            errors.Add($"{S}:MaxQueuedMessages: {mqtt.MaxQueuedMessages} is outside 1..1000000.");
        }

        if (mqtt.ReceiveBufferCapacity is < 16 or > 1_000_000)
        {
            errors.Add($"{S}:ReceiveBufferCapacity: {mqtt.ReceiveBufferCapacity} is outside 16..1000000.");
        }

        if (mqtt.MaxIncomingMessageBytes is < 1024 or > 256 * 1024 * 1024)
        {
            errors.Add($"{S}:MaxIncomingMessageBytes: {mqtt.MaxIncomingMessageBytes} is outside 1024..268435456.");
        }

        if (mqtt.Password.Length > 0 && mqtt.Username.Length == 0 && mqtt.ProtocolVersion != MqttProtocolVersion.V500)
        {
            errors.Add($"{S}:Password: MQTT 3.1.1 needs a Username when a Password is set.");
        }

        if (mqtt.CaCertificate.Length > 0)
        {
            mqtt.CaCertificate = Resolve(mqtt.CaCertificate, $"{S}:CaCertificate", "CA certificate", paths, errors);
        }

        if (mqtt.ClientCertificate.Length > 0)
        {
            mqtt.ClientCertificate = Resolve(mqtt.ClientCertificate, $"{S}:ClientCertificate", "client certificate", paths, errors);
        }
    }

    private static void ValidateTracking(TrackingOptions tracking, List<string> errors)
    {
        if (tracking.MaxAbsentWrites < 0)
        {
            errors.Add($"{AgentOptions.SectionName}:Tracking:MaxAbsentWrites: {tracking.MaxAbsentWrites} must be 0 or more.");
        }

        if (tracking.MaxAreaGrowth != 0 && tracking.MaxAreaGrowth < 1)
        {
            errors.Add($"{AgentOptions.SectionName}:Tracking:MaxAreaGrowth: {tracking.MaxAreaGrowth} must be 0 (off) or at least 1.");
        }

        const string S = AgentOptions.SectionName + ":Tracking";
        Range(tracking.MaxObjects, 1, 256, $"{S}:MaxObjects", errors);
        Range(tracking.MaxPromptPoints, 1, 256, $"{S}:MaxPromptPoints", errors);
        Range(tracking.MaxConditioningEntries, 1, 64, $"{S}:MaxConditioningEntries", errors);
        Range(tracking.MaxPendingPrompts, 1, 4096, $"{S}:MaxPendingPrompts", errors);
        Range(tracking.MaxAnchors, 0, 5, $"{S}:MaxAnchors", errors);
        Range(tracking.CandidateStableFrames, 0, 1000, $"{S}:CandidateStableFrames", errors);
        if (!(tracking.CandidateMotionWeight is >= 0 and <= 1))
        {
            errors.Add($"{S}:CandidateMotionWeight: {tracking.CandidateMotionWeight} is outside 0..1.");
        }
        if (!(tracking.LostAfterSeconds > 0))
        {
            errors.Add($"{S}:LostAfterSeconds: {tracking.LostAfterSeconds} must be positive.");
        }

        if (!(tracking.RemoveAfterSeconds > 0))
        {
            errors.Add($"{S}:RemoveAfterSeconds: {tracking.RemoveAfterSeconds} must be positive.");
        }

        if (!(tracking.MinIouForMemory is >= 0 and <= 1))
        {
            errors.Add($"{S}:MinIouForMemory: {tracking.MinIouForMemory} is outside 0..1.");
        }

        LatePrompts(tracking.LatePromptSeconds, tracking.LatePromptMaxFrames, S, errors);
        if (!(tracking.LatePromptCatchUpRatio is > 0 and <= 10))
        {
            errors.Add($"{S}:LatePromptCatchUpRatio: {tracking.LatePromptCatchUpRatio} is outside (0, 10].");
        }
    }

    /// <summary>The late-prompt ring's bounds: a window of up to a minute, up to 1800 frames (a minute at 30 fps).</summary>
    private static void LatePrompts(double? seconds, int? maxFrames, string at, List<string> errors)
    {
        if (seconds is { } s && !(s is >= 0 and <= 60))
        {
            errors.Add($"{at}:LatePromptSeconds: {s} is outside [0, 60].");
        }

        if (maxFrames is { } frames)
        {
            Range(frames, 1, 1800, $"{at}:LatePromptMaxFrames", errors);
        }
    }

    private static void ValidateCommands(AgentOptions options, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Commands";
        var commands = options.Commands;
        Range(commands.MaxPayloadBytes, 64, 16 * 1024 * 1024, $"{S}:MaxPayloadBytes", errors);
        Range(commands.MaxJsonDepth, 3, 64, $"{S}:MaxJsonDepth", errors);
        Range(commands.MaxStringLength, 1, 4096, $"{S}:MaxStringLength", errors);
        Range(commands.RateBurst, 1, 1_000_000, $"{S}:RateBurst", errors);
        Range(commands.ReplyQueueCapacity, 1, 1_000_000, $"{S}:ReplyQueueCapacity", errors);
        Range(commands.MaxRepliesInFlight, 1, 1024, $"{S}:MaxRepliesInFlight", errors);
        Range(commands.MaxFramesAhead, 0, int.MaxValue, $"{S}:MaxFramesAhead", errors);
        Positive(commands.RatePerSecond, $"{S}:RatePerSecond", errors);
        Positive(commands.GlobalRatePerSecond, $"{S}:GlobalRatePerSecond", errors);
        Positive(commands.PendingTimeoutSeconds, $"{S}:PendingTimeoutSeconds", errors);
        if (!(commands.LogIntervalSeconds >= 0.1 && double.IsFinite(commands.LogIntervalSeconds)))
        {
            errors.Add($"{S}:LogIntervalSeconds: {commands.LogIntervalSeconds} must be at least 0.1.");
        }

        if (!(commands.MaxSecondsAhead >= 0 && double.IsFinite(commands.MaxSecondsAhead)))
        {
            errors.Add($"{S}:MaxSecondsAhead: {commands.MaxSecondsAhead} must be 0 or more.");
        }

        if (!(commands.StatsIntervalSeconds == 0 || (commands.StatsIntervalSeconds >= 0.1 && double.IsFinite(commands.StatsIntervalSeconds))))
        {
            errors.Add($"{S}:StatsIntervalSeconds: {commands.StatsIntervalSeconds} must be 0 (off) or at least 0.1.");
        }

        foreach (var prefix in commands.ResolvedResponseTopicPrefixes(options.ResolvedBaseTopic))
        {
            // A prefix must name at least one level of its own, so replies can never land on the agent's own topics
            // or on another agent's (a prefix of "" or "edgesam2/" would allow both).
            if (!prefix.EndsWith('/') || prefix.Length < 2 || !TopicNames.IsValidTopicName(prefix.TrimEnd('/')) || prefix.StartsWith('/'))
            {
                errors.Add($"{S}:ResponseTopicPrefixes: '{prefix}' must be a topic prefix without wildcards that ends with '/'.");
                continue;
            }

            var agentLevel = options.ResolvedBaseTopic + "/";
            if (agentLevel.StartsWith(prefix, StringComparison.Ordinal))
            {
                errors.Add($"{S}:ResponseTopicPrefixes: '{prefix}' would let replies go to the agent's own topics ({options.ResolvedBaseTopic}/…); use a level of its own such as '{{base}}/replies/'.");
                continue;
            }

            if (prefix.StartsWith(agentLevel, StringComparison.Ordinal))
            {
                var level = prefix[agentLevel.Length..].Split('/')[0];
                foreach (var camera in options.Cameras)
                {
                    if (camera.Id == level)
                    {
                        errors.Add($"{S}:ResponseTopicPrefixes: '{prefix}' lies under camera '{camera.Id}''s topics; rename the camera or the prefix.");
                    }
                }
            }
        }
    }

    private static void Positive(double value, string key, List<string> errors)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            errors.Add($"{key}: {value} must be positive.");
        }
    }

    private static void ValidateCameras(List<CameraOptions> cameras, PathResolver paths, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Cameras";
        if (cameras.Count == 0)
        {
            errors.Add($"{S}: at least one camera is required.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < cameras.Count; i++)
        {
            var camera = cameras[i];
            var at = $"{S}:{i}";
            if (!TopicLevel().IsMatch(camera.Id))
            {
                errors.Add($"{at}:Id: '{camera.Id}' must be letters, digits, '-' or '_' (it is a topic level).");
            }
            else if (!ids.Add(camera.Id))
            {
                errors.Add($"{at}:Id: '{camera.Id}' is used by another camera.");
            }

            if (string.IsNullOrWhiteSpace(camera.Url))
            {
                errors.Add($"{at}:Url: required.");
                continue;
            }

            if (IsFile(camera.Url))
            {
                // A missing file is that camera's problem, not the agent's: like an unplugged /dev/video99 it stays
                // connecting, retried with back-off and reported, while the other cameras run.
                var path = camera.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? camera.Url[5..] : camera.Url;
                camera.Url = paths.Find(path) ?? Path.GetFullPath(path);
            }

            if (!(camera.StallTimeoutSeconds is > 0 and <= 3600))
            {
                errors.Add($"{at}:StallTimeoutSeconds: {camera.StallTimeoutSeconds} is outside (0, 3600].");
            }

            if (!(camera.NetworkTimeoutSeconds is > 0 and <= 3600))
            {
                errors.Add($"{at}:NetworkTimeoutSeconds: {camera.NetworkTimeoutSeconds} is outside (0, 3600].");
            }

            LatePrompts(camera.LatePromptSeconds, camera.LatePromptMaxFrames, at, errors);
            Range(camera.RestartMinDelayMs, 0, 3_600_000, $"{at}:RestartMinDelayMs", errors);
            Range(camera.RestartMaxDelayMs, camera.RestartMinDelayMs, 3_600_000, $"{at}:RestartMaxDelayMs", errors);
            // The model's input size is not known here; 16 stands for it (SAM 2 input sizes are multiples of 16).
            foreach (var problem in camera.ToSourceOptions(16, 16).Validate())
            {
                // Ranges are named above with the camera's own keys; the source adds what they imply together.
                if (!problem.Contains("must be positive", StringComparison.Ordinal) && !problem.StartsWith("RestartMinDelay", StringComparison.Ordinal))
                {
                    errors.Add($"{at}: {problem}");
                }
            }
        }
    }

    /// <summary>True when <paramref name="url"/> names a local file (not a network URL or a V4L2 device).</summary>
    public static bool IsFile(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || (!url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("/dev/video", StringComparison.Ordinal));

    private static string Resolve(string path, string key, string what, PathResolver paths, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}: required.");
            return path;
        }

        if (paths.Find(path) is { } found)
        {
            return found;
        }

        errors.Add(Path.IsPathRooted(path)
            ? $"{key}: the {what} '{path}' does not exist."
            : $"{key}: the {what} '{path}' was not found (looked in {string.Join(", ", paths.Roots)}).");
        return path;
    }

    private static void Range(int value, int min, int max, string key, List<string> errors)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key}: {value} is outside {min}..{max}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex TopicLevel();
}
