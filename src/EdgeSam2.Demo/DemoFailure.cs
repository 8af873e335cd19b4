namespace EdgeSam2.Demo;

/// <summary>
/// Ends the demo with a message for the user. The run has one place that catches it, prints it (with the agent's
/// last log lines when they explain it) and cleans up.
/// </summary>
internal sealed class DemoFailure(string message, bool showAgentLog = false) : Exception(message)
{
    /// <summary>Whether the agent's output helps explain the failure.</summary>
    public bool ShowAgentLog { get; } = showAgentLog;
}
