using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeSam2.Agent.Health;

/// <summary><c>/healthz</c>'s one check: unhealthy (503) while any enabled camera is not streaming or its pipeline is stalled.</summary>
internal sealed class CamerasHealthCheck(AgentHealth health) : IHealthCheck
{
    public const string ReportKey = "report";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var report = health.Evaluate();
        var data = new Dictionary<string, object> { [ReportKey] = report };
        var unhealthy = report.Cameras.Where(c => !c.Healthy).Select(c => $"{c.Camera}: {c.Reason}").ToList();
        return Task.FromResult(unhealthy.Count == 0
            ? HealthCheckResult.Healthy("every enabled camera streams and makes progress", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", unhealthy), data: data));
    }
}
