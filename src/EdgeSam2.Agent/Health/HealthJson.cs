using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using AspNetHealthReport = Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport;

namespace EdgeSam2.Agent.Health;

/// <summary>
/// <c>/healthz</c>'s body: overall status, broker connection and, per camera, state, reason, model and provider per graph.
/// <code>{"status":"unhealthy","broker_connected":true,"cameras":[{"camera":"cam1","state":"streaming","healthy":false,"pipeline_stalled":true,"reason":"…","model":"…","provider":"…"}]}</code>
/// </summary>
internal static class HealthJson
{
    public static async Task WriteAsync(HttpContext context, AspNetHealthReport result)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", result.Status == HealthStatus.Healthy ? "healthy" : "unhealthy");
        if (result.Entries.TryGetValue("cameras", out var entry) && entry.Data.TryGetValue(CamerasHealthCheck.ReportKey, out var data) && data is HealthReport report)
        {
            json.WriteBoolean("broker_connected", report.BrokerConnected);
            json.WriteStartArray("cameras");
            foreach (var camera in report.Cameras)
            {
                json.WriteStartObject();
                json.WriteString("camera", camera.Camera);
                json.WriteString("state", camera.State);
                json.WriteBoolean("healthy", camera.Healthy);
                json.WriteBoolean("pipeline_stalled", camera.PipelineStalled);
                json.WriteString("reason", camera.Reason);
                json.WriteString("model", camera.Model);
                json.WriteString("provider", camera.Provider);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
