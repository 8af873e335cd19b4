namespace EdgeSam2.Bench.Agent;

/// <summary>The agent's retained <c>{base}/info</c>: what the report's header names.</summary>
internal sealed record AgentInfo(string Version, string OnnxRuntime, string Model, int InputSize, string Provider, int ObjectThreads);
