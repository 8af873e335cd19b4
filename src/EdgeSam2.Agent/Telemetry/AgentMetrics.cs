using System.Diagnostics.Metrics;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Health;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Telemetry;

/// <summary>
/// Per-camera counters and gauges, observed from the pipelines' own counts when a scrape asks (nothing is counted
/// twice). Process memory, GC and CPU come from the exporter's default collectors.
/// </summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "EdgeSam2";

    private static readonly ObjectState[] States = [ObjectState.Tracking, ObjectState.Occluded, ObjectState.Lost];

    public AgentMetrics(IMeterFactory meters, CameraRegistry cameras, AgentHealth health, CommandStats commands, AgentMqtt mqtt)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("camera_frames", () => PerCamera(cameras, c => c.Status().Frames), "{frame}", "Frames tracked");
        meter.CreateObservableCounter("camera_dropped_frames", () => PerCamera(cameras, c => c.Status().Dropped), "{frame}", "Frames dropped (tracker, decoder or publisher behind)");
        meter.CreateObservableCounter("camera_reconnects", () => PerCamera(cameras, c => c.Status().Reconnects), "{restart}", "Decoder restarts");
        meter.CreateObservableGauge("camera_stalls_last_hour", () => PerCamera(cameras, c => c.Status().StallsLastHour), "{stall}", "Times the decoder went quiet for the camera's stall time-out in the last hour");
        meter.CreateObservableGauge("camera_input_fps", () => PerCamera(cameras, c => c.Status().Fps), "{frame}/s", "Frames per second the decoder delivers");
        meter.CreateObservableGauge("camera_processed_fps", () => PerCamera(cameras, c => c.Figures.RecentProcessedFps), "{frame}/s", "Frames per second the tracker processes (about the last 16 frames)");
        meter.CreateObservableGauge("camera_healthy", () => Healthy(health), "1", "1 while the camera streams with a pipeline that makes progress (or is disabled/finished)");
        meter.CreateObservableGauge("camera_pipeline_busy_seconds", () => PerCamera(cameras, c => c.BusyFor().TotalSeconds), "s", "How long the frame loop has been on its current frame");
        meter.CreateObservableGauge("objects", () => Objects(cameras), "{object}", "Objects per camera and state in the last tracked frame");
        meter.CreateObservableCounter("commands_received", () => commands.Received, "{command}", "Commands received on the command topics (well-formed or not)");
        meter.CreateObservableCounter("commands_not_served", () => NotServed(commands, mqtt), "{command}", "Commands answered with an error or dropped, by reason");
        meter.CreateObservableGauge("gpu_memory_used_bytes", GpuMemory.Used, "By", "Memory in use on each NVIDIA GPU (NVML; absent without the driver)");
        meter.CreateObservableGauge("gpu_memory_total_bytes", GpuMemory.Total, "By", "Memory of each NVIDIA GPU (NVML; absent without the driver)");
    }

    private static IEnumerable<Measurement<T>> PerCamera<T>(CameraRegistry cameras, Func<CameraPipeline, T> value)
        where T : struct
    {
        foreach (var camera in cameras.All)
        {
            yield return new Measurement<T>(value(camera), new KeyValuePair<string, object?>("camera", camera.Id));
        }
    }

    // The same outcomes as {base}/commands: refused (an error reply), expired, and the drops with their reason.
    private static IEnumerable<Measurement<long>> NotServed(CommandStats commands, AgentMqtt mqtt)
    {
        var wire = mqtt.Client.Stats;
        yield return Reason(commands.Refused, "refused");
        yield return Reason(commands.Expired, "expired");
        yield return Reason(commands.RateLimited, "rate_limited");
        yield return Reason(commands.ReplyQueueFull, "reply_queue_full");
        yield return Reason(wire.ReceivedMessagesDropped, "receive_buffer_full");
        yield return Reason(wire.OversizedMessagesDropped, "oversized");

        static Measurement<long> Reason(long count, string reason) => new(count, new KeyValuePair<string, object?>("reason", reason));
    }

    private static IEnumerable<Measurement<int>> Healthy(AgentHealth health)
    {
        foreach (var camera in health.Evaluate().Cameras)
        {
            yield return new Measurement<int>(camera.Healthy ? 1 : 0, new KeyValuePair<string, object?>("camera", camera.Camera));
        }
    }

    private static IEnumerable<Measurement<int>> Objects(CameraRegistry cameras)
    {
        foreach (var camera in cameras.All)
        {
            foreach (var state in States)
            {
                yield return new Measurement<int>(
                    camera.ObjectsIn(state),
                    new KeyValuePair<string, object?>("camera", camera.Id),
                    new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
            }
        }
    }
}
