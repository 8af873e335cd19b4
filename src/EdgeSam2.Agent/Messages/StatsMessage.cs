using EdgeSam2.Agent.Telemetry;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// Frigate-style periodic statistics on <c>{base}/stats</c> (QoS 0, not retained): per camera what its status says,
/// per graph the runs and mean time across cameras, the process's memory, uptime and version. Per camera also the
/// figures of the last interval: processed fps, capture-to-publish latency percentiles and per-frame stage means.
/// <see cref="GpuUsedBytes"/> is the memory in use on the box's NVIDIA GPUs (NVML, every process, total − free as NVML gives
/// it; ONNX Runtime's managed API does not expose its own device arena), null without the driver.
/// </summary>
internal sealed record StatsMessage(
    string AgentId, string Version, double UptimeSeconds, long ResidentBytes, long ManagedBytes,
    IReadOnlyList<(StatusMessage Status, IntervalFigures Figures, ObjectCounts States)> Cameras, IReadOnlyList<(string Graph, long Runs, double MeanMs)> Graphs,
    long? GpuUsedBytes = null)
{
    public byte[] ToJson() => JsonWriting.Build(this, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("agent_id", s.AgentId);
        w.WriteString("version", s.Version);
        JsonWriting.WriteRounded(w, "uptime_s", s.UptimeSeconds, 1);
        w.WriteNumber("rss_bytes", s.ResidentBytes);
        w.WriteNumber("managed_bytes", s.ManagedBytes);
        if (s.GpuUsedBytes is { } gpu)
        {
            w.WriteNumber("gpu_used_bytes", gpu);
        }

        w.WriteStartArray("cameras");
        foreach (var (c, f, o) in s.Cameras)
        {
            w.WriteStartObject();
            w.WriteString("camera", c.Camera);
            w.WriteString("state", c.State);
            JsonWriting.WriteRounded(w, "fps", c.Fps, 2);
            w.WriteNumber("frames", c.Frames);
            w.WriteNumber("dropped", c.Dropped);
            w.WriteNumber("reconnects", c.Reconnects);
            w.WriteNumber("objects", c.Objects);
            w.WriteStartObject("objects_by_state");
            w.WriteNumber("tracking", o.Tracking);
            w.WriteNumber("occluded", o.Occluded);
            w.WriteNumber("lost", o.Lost);
            w.WriteEndObject();
            JsonWriting.WriteRounded(w, "processed_fps", f.ProcessedFps, 2);
            w.WriteStartObject("latency_ms");
            JsonWriting.WriteRounded(w, "p50", f.LatencyP50, 2);
            JsonWriting.WriteRounded(w, "p95", f.LatencyP95, 2);
            JsonWriting.WriteRounded(w, "max", f.LatencyMax, 2);
            w.WriteEndObject();
            w.WriteStartObject("stages_ms");
            for (var i = 0; i < StageNames.Count; i++)
            {
                JsonWriting.WriteRounded(w, StageNames.Names[i], f.StageMeans[i], 3);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("graphs");
        foreach (var (graph, runs, mean) in s.Graphs)
        {
            w.WriteStartObject();
            w.WriteString("graph", graph);
            w.WriteNumber("runs", runs);
            JsonWriting.WriteRounded(w, "mean_ms", mean, 3);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });
}

/// <summary>A camera's objects per state in its last tracked frame.</summary>
internal readonly record struct ObjectCounts(int Tracking, int Occluded, int Lost);
