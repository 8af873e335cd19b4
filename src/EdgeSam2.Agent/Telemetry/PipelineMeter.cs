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

    /// <summary>Milliseconds a frame spends in one stage; tags <c>camera</c> and <c>stage</c> (see <see cref="Stages"/>).</summary>
    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "stage_duration_ms",
        "ms",
        "Milliseconds a frame spends in a pipeline stage");

    /// <summary>The histogram's bucket bounds, in milliseconds: a 25 fps frame budget is 40.</summary>
    public static readonly double[] Buckets = [1, 2, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 5000];

    /// <summary>The <c>stage</c> tag's values.</summary>
    public static class Stages
    {
        /// <summary>Live cameras: from the decoder handing the frame over (its capture time) to the frame loop taking it.</summary>
        public const string Queue = "queue";

        /// <summary>Due commands applied and the tracker run (every graph) on the frame.</summary>
        public const string Track = "track";

        /// <summary>Post-processing (masks to boxes and RLE) and handing the tracks message to MQTT.</summary>
        public const string Publish = "publish";

        /// <summary>From the frame loop taking the frame to its tracks message (the message's <c>latency_ms</c>).</summary>
        public const string FrameLoopToPublish = "frame_loop_to_publish";

        /// <summary>Live cameras: from capture to the tracks message.</summary>
        public const string CaptureToPublish = "capture_to_publish";
    }

    public static void Record(string camera, string stage, double milliseconds) =>
        StageDuration.Record(milliseconds, new KeyValuePair<string, object?>("camera", camera), new KeyValuePair<string, object?>("stage", stage));
}
