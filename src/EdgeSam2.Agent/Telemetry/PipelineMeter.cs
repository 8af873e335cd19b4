using System.Diagnostics.Metrics;

namespace EdgeSam2.Agent.Telemetry;

/// <summary>
/// The per-frame latency histograms, recorded by the pipelines as frames pass. Static like the runtime's own meters: a
/// histogram holds no per-host state, and the pipelines need no extra constructor argument to reach it.
/// </summary>
internal static class PipelineMeter
{
    public const string Name = AgentMetrics.MeterName;

    private static readonly Meter Meter = new(Name);

    /// <summary>Milliseconds a frame spends in one stage; tags <c>camera</c> and <c>stage</c> (see <see cref="StageNames"/>).</summary>
    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "stage_duration_ms",
        "ms",
        "Milliseconds a frame spends in a pipeline stage");

    /// <summary>The histogram's bucket bounds, in milliseconds: a 25 fps frame budget is 40.</summary>
    public static readonly double[] Buckets = [1, 2, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 5000];

    /// <summary>Records <paramref name="stage"/> (a <see cref="StageNames"/> index) for <paramref name="camera"/>; allocates nothing.</summary>
    public static void Record(string camera, int stage, double milliseconds) =>
        StageDuration.Record(milliseconds, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("stage", StageNames.Names[stage]));
}
