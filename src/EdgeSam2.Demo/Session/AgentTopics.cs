namespace EdgeSam2.Demo.Session;

/// <summary>The agent's topics for one camera (agent contract): <c>{base}</c> is the base topic with the agent id in it.</summary>
internal sealed class AgentTopics(string baseTopic, string camera)
{
    public string Base { get; } = baseTopic;

    public string Camera { get; } = camera;

    /// <summary>Every topic under the base: what the demo subscribes to.</summary>
    public string All => $"{Base}/#";

    public string Available => $"{Base}/available";

    public string Tracks => $"{Base}/{Camera}/tracks";

    public string Events => $"{Base}/{Camera}/events";

    public string Status => $"{Base}/{Camera}/status";

    public string State => $"{Base}/{Camera}/state";

    public string Reply => $"{Base}/{Camera}/reply";

    public string Prompt => $"{Base}/{Camera}/prompt";

    public string Set => $"{Base}/{Camera}/set";

    /// <summary>The base topic the agent derives from a BaseTopic template such as <c>edgesam2/{agent_id}</c>.</summary>
    public static string ExpandBase(string template, string agentId) => template.Replace("{agent_id}", agentId, StringComparison.Ordinal);
}
