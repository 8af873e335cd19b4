namespace EdgeSam2.Agent.Options;

/// <summary>Liveness: when a camera's pipeline counts as stalled, and the loopback HTTP endpoint (<c>/healthz</c>, <c>/metrics</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// An enabled camera whose pipeline has been on one frame this long is stalled: <c>/healthz</c> says so and the
    /// systemd watchdog is no longer fed. Waiting for frames from a source that is down is not a stall. Default 20.
    /// </summary>
    public double StallSeconds { get; set; } = 20;

    /// <summary>Serve <c>/healthz</c> and <c>/metrics</c> over HTTP. Default true.</summary>
    public bool HttpEnabled { get; set; } = true;

    /// <summary>The address the HTTP endpoint binds to: loopback unless set otherwise (e.g. <c>0.0.0.0</c>). Default <c>127.0.0.1</c>.</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>The HTTP endpoint's TCP port. Default 9464.</summary>
    public int HttpPort { get; set; } = 9464;
}
