namespace EdgeSam2.Bench.Agent;

/// <summary>What one agent run left behind: every arrival per camera, the stats, the /proc samples, the event counts.</summary>
/// <param name="Case">The run.</param>
/// <param name="Info">The agent's <c>{base}/info</c>.</param>
/// <param name="Tracks">Arrivals per camera id.</param>
/// <param name="Stats">Every stats message of the run.</param>
/// <param name="Samples">/proc samples from just before the cameras were enabled to the end.</param>
/// <param name="Events">Event counts by kind.</param>
/// <param name="SubscriberDropped">Messages the subscriber's client dropped (should be 0).</param>
/// <param name="Unreadable">Messages that did not parse (should be 0).</param>
internal sealed record CaseRun(
    AgentCase Case, AgentInfo Info, IReadOnlyDictionary<string, List<Arrival>> Tracks, IReadOnlyList<StatsSample> Stats,
    IReadOnlyList<ProbeSample> Samples, IReadOnlyDictionary<string, int> Events, long SubscriberDropped, long Unreadable);
