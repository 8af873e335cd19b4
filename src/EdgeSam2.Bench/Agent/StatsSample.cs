namespace EdgeSam2.Bench.Agent;

/// <summary>What the bench reads from one <c>{base}/stats</c> message.</summary>
/// <param name="ReceivedTimestamp">When it arrived (<see cref="System.Diagnostics.Stopwatch"/>).</param>
/// <param name="ResidentBytes"><c>rss_bytes</c>.</param>
/// <param name="ManagedBytes"><c>managed_bytes</c>.</param>
/// <param name="Cameras">Per camera: frames, dropped and, when the agent publishes them, the per-stage means.</param>
/// <param name="Graphs">Per graph: runs and mean time since the agent started (all cameras).</param>
/// <param name="GpuUsedBytes"><c>gpu_used_bytes</c>: memory in use on the box's NVIDIA GPUs; null where the agent has no driver.</param>
internal sealed record StatsSample(long ReceivedTimestamp, long ResidentBytes, long ManagedBytes, IReadOnlyList<CameraStats> Cameras, IReadOnlyList<GraphStats> Graphs, long? GpuUsedBytes = null);

/// <summary>One camera entry of a stats message; <see cref="StagesMs"/> is empty when the agent does not publish <c>stages_ms</c>.</summary>
internal sealed record CameraStats(string Camera, long Frames, long Dropped, IReadOnlyDictionary<string, double> StagesMs);

/// <summary>One graph entry of a stats message.</summary>
internal sealed record GraphStats(string Graph, long Runs, double MeanMs);
