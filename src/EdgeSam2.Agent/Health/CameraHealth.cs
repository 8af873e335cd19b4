namespace EdgeSam2.Agent.Health;

/// <summary>One camera's liveness: its reported state, whether its pipeline makes progress, and why not.</summary>
/// <param name="Camera">The camera id.</param>
/// <param name="State">The state its retained status reports (<c>streaming</c>, <c>connecting</c>, …).</param>
/// <param name="Healthy">Streaming and making progress, or deliberately idle (disabled, finished).</param>
/// <param name="PipelineStalled">The frame loop has been on one frame longer than <c>Health:StallSeconds</c>.</param>
/// <param name="Reason">What is wrong, in words; empty when healthy.</param>
/// <param name="Model">The model set's name; empty until the pipeline has started.</param>
/// <param name="Provider">The execution provider per graph; empty until the pipeline has started.</param>
internal sealed record CameraHealth(string Camera, string State, bool Healthy, bool PipelineStalled, string Reason, string Model, string Provider);

/// <summary>The agent's liveness at one moment.</summary>
/// <param name="Cameras">Every configured camera.</param>
/// <param name="BrokerConnected">The MQTT connection is up (the agent keeps working without it).</param>
internal sealed record HealthReport(IReadOnlyList<CameraHealth> Cameras, bool BrokerConnected)
{
    /// <summary>Every camera healthy.</summary>
    public bool Healthy => Cameras.All(c => c.Healthy);

    /// <summary>The first camera whose pipeline is stalled; null when every pipeline makes progress.</summary>
    public CameraHealth? FirstStalled => Cameras.FirstOrDefault(c => c.PipelineStalled);
}
