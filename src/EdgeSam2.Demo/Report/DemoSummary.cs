using System.Globalization;
using System.Text;

namespace EdgeSam2.Demo.Report;

/// <summary>One object's result: frames tracked (mask with IoU ≥ 0.5) out of frames where it is visible, and its mean IoU there.</summary>
internal readonly record struct ObjectSummary(int ObjectId, int TrackedFrames, int VisibleFrames, double MeanIoU);

/// <summary>The demo's verdict.</summary>
/// <param name="FramesProcessed">Distinct frames the agent published tracks for.</param>
/// <param name="FrameCount">Frames in the scene.</param>
/// <param name="Objects">Per-object results, in prompt order.</param>
/// <param name="MeanIoU">Mean IoU over every (object, visible frame) pair from the prompt frame on; a frame without a mask counts 0.</param>
/// <param name="Failure">Why the demo failed; null when it passed.</param>
internal sealed record DemoSummary(int FramesProcessed, int FrameCount, IReadOnlyList<ObjectSummary> Objects, double MeanIoU, string? Failure)
{
    public bool Passed => Failure is null;

    /// <summary><c>demo: N frames processed, object 1 tracked on A/B visible frames, object 2 on C/D, mean IoU 0.9xx</c>.</summary>
    public string Line()
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"demo: {FramesProcessed} frames processed");
        for (var i = 0; i < Objects.Count; i++)
        {
            var o = Objects[i];
            line.Append(CultureInfo.InvariantCulture, $", object {o.ObjectId} ");
            line.Append(i == 0 ? "tracked on " : "on ");
            line.Append(CultureInfo.InvariantCulture, $"{o.TrackedFrames}/{o.VisibleFrames}");
            line.Append(i == 0 ? " visible frames" : "");
        }

        line.Append(CultureInfo.InvariantCulture, $", mean IoU {MeanIoU:0.000}");
        return line.ToString();
    }
}
