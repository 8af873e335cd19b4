using EdgeSam2.Demo.Session;

namespace EdgeSam2.Bench.Agent;

/// <summary>One tracks message as the subscriber got it.</summary>
/// <param name="Frame">The frame's sequence number.</param>
/// <param name="CaptureTime">The message's <c>capture_time</c> (Live: the agent's wall clock at decode).</param>
/// <param name="AgentLatencyMs">The message's <c>latency_ms</c>: frame taken by the tracker → handed to the MQTT client.</param>
/// <param name="ReceivedAt">The subscriber's wall clock when the message came out of its MQTT client.</param>
/// <param name="ReceivedTimestamp">The same moment on <see cref="System.Diagnostics.Stopwatch"/>, for rates.</param>
/// <param name="Message">The whole message, when the run keeps them for scoring.</param>
internal sealed record Arrival(long Frame, DateTimeOffset? CaptureTime, double AgentLatencyMs, DateTimeOffset ReceivedAt, long ReceivedTimestamp, TracksMessage? Message);
