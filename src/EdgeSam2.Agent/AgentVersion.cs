using System.Reflection;

namespace EdgeSam2.Agent;

/// <summary>The agent's version, as <c>--version</c>, the log and <c>{base}/info</c> report it.</summary>
public static class AgentVersion
{
    /// <summary>The informational version of the agent assembly (its build's version; "+commit" when the SDK adds one).</summary>
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
