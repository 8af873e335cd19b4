namespace EdgeSam2.Agent.Options;

/// <summary>
/// Limits of the command plane (prompt, remove, reset, set): what an operator's message may cost the agent before it
/// is refused, where replies may go, and how refusals are reported. Messages/README.md describes the behaviour.
/// </summary>
public sealed class CommandOptions
{
    /// <summary>Largest command payload, in bytes; a larger one is refused before any JSON is read. Default 65536.</summary>
    public int MaxPayloadBytes { get; set; } = 65536;

    /// <summary>Deepest JSON nesting accepted (the object itself is level 1, a point list level 2, a point level 3). Default 8.</summary>
    public int MaxJsonDepth { get; set; } = 8;

    /// <summary>Longest <c>request_id</c> and <c>label</c>, in characters. Default 200.</summary>
    public int MaxStringLength { get; set; } = 200;

    /// <summary>
    /// Topic prefixes an MQTT 5 response topic must start with to be honoured (<c>{base}</c> is the agent's base
    /// topic); any other response topic gets its reply on <c>{base}/{cam}/reply</c> with an error. Default <c>{base}/replies/</c>.
    /// </summary>
    public List<string> ResponseTopicPrefixes { get; set; } = [];

    /// <summary>Commands per second one sender (one response topic, or one camera's plain reply topic) may send on average. Default 20.</summary>
    public double RatePerSecond { get; set; } = 20;

    /// <summary>Commands one sender may send at once before <see cref="RatePerSecond"/> applies. Default 40.</summary>
    public int RateBurst { get; set; } = 40;

    /// <summary>Commands per second accepted from all senders together. Default 400.</summary>
    public double GlobalRatePerSecond { get; set; } = 400;

    /// <summary>Replies waiting to be published; beyond this a reply is dropped and counted. Default 1024.</summary>
    public int ReplyQueueCapacity { get; set; } = 1024;

    /// <summary>Replies being published at once (each QoS 1 reply waits for its PUBACK). Default 32.</summary>
    public int MaxRepliesInFlight { get; set; } = 32;

    /// <summary>How many frames ahead of the camera's current frame a command's <c>frame</c> may point. Default 300.</summary>
    public int MaxFramesAhead { get; set; } = 300;

    /// <summary>How many seconds ahead of the camera's latest capture time a command's <c>capture_time</c> may point. Default 30.</summary>
    public double MaxSecondsAhead { get; set; } = 30;

    /// <summary>Seconds a command may wait for its frame before it is answered <c>expired</c>. Default 30.</summary>
    public double PendingTimeoutSeconds { get; set; } = 30;

    /// <summary>Refusals are logged one warning per interval of this many seconds, then summarised with a count. Default 10.</summary>
    public double LogIntervalSeconds { get; set; } = 10;

    /// <summary>Seconds between <c>{base}/commands</c> counter messages; 0 publishes none. Default 10.</summary>
    public double StatsIntervalSeconds { get; set; } = 10;

    /// <summary>The prefixes in effect: <see cref="ResponseTopicPrefixes"/>, or <c>{base}/replies/</c> when none is configured, with <c>{base}</c> substituted.</summary>
    public IReadOnlyList<string> ResolvedResponseTopicPrefixes(string baseTopic)
    {
        var configured = ResponseTopicPrefixes.Count == 0 ? ["{base}/replies/"] : ResponseTopicPrefixes;
        var resolved = new List<string>(configured.Count);
        foreach (var prefix in configured)
        {
            resolved.Add(prefix.Replace("{base}", baseTopic, StringComparison.Ordinal));
        }

        return resolved;
    }
}
