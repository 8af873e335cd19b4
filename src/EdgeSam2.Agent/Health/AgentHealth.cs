using System.Globalization;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Options;

namespace EdgeSam2.Agent.Health;

/// <summary>
/// Judges the agent's liveness from the pipelines' own marks. Two questions, kept apart: is every camera delivering
/// (for <c>/healthz</c> and operators), and is every pipeline making progress (for the systemd watchdog — a camera
/// that is down is the agent's to retry, not a reason to restart the process).
/// </summary>
internal sealed class AgentHealth(CameraRegistry cameras, AgentMqtt mqtt, AgentOptions options)
{
    private readonly TimeSpan _stall = TimeSpan.FromSeconds(options.Health.StallSeconds);

    public HealthReport Evaluate()
    {
        var list = new List<CameraHealth>(cameras.All.Count);
        foreach (var camera in cameras.All)
        {
            var status = camera.Status();
            var busy = camera.BusyFor();
            var stalled = busy > _stall;
            var reason = stalled
                ? string.Create(CultureInfo.InvariantCulture, $"pipeline stalled: on one frame for {busy.TotalSeconds:F0} s")
                : status.State switch
                {
                    StatusMessage.States.Streaming or StatusMessage.States.Disabled or StatusMessage.States.Finished => "",
                    StatusMessage.States.Connecting => "source connecting (not streaming yet, or reconnecting)" + Cause(camera),
                    _ => "source stalled: no frames from the decoder" + Cause(camera),
                };
            list.Add(new CameraHealth(camera.Id, status.State, reason.Length == 0, stalled, reason, status.Model, status.Provider));
        }

        return new HealthReport(list, mqtt.Client.IsConnected);
    }

    private static string Cause(CameraPipeline camera) => camera.SourceError is { } error ? "; last failure: " + error : "";
}
