using System.Globalization;
using EdgeSam2.Demo.Session;

namespace EdgeSam2.Demo.Report;

/// <summary>Formats one object of one frame as a readable, column-aligned line.</summary>
internal static class ProgressLine
{
    /// <summary>e.g. <c>frame  10  t=1.0s  object 1 red disc     tracking  bbox [ 76,  76, 145, 145]  presence  12.40  IoU 0.987</c>.</summary>
    public static string Format(long frame, double framesPerSecond, TrackedObjectMessage o, ObjectFrameScore score)
    {
        var bbox = o.Bbox is [var x1, var y1, var x2, var y2]
            ? string.Create(CultureInfo.InvariantCulture, $"[{x1,3}, {y1,3}, {x2,3}, {y2,3}]")
            : "[ none ]           ";
        var iou = score.HasMask ? score.IoU.ToString("0.000", CultureInfo.InvariantCulture) : score.Visible ? "no mask" : "  -  ";
        return string.Create(CultureInfo.InvariantCulture,
            $"frame {frame,3}  t={frame / framesPerSecond,4:0.0}s  object {o.Id} {o.Label ?? "",-12} {o.State,-9} bbox {bbox}  presence {o.Score,7:0.00}  IoU {iou}");
    }

    /// <summary>The line for an expected object the frame does not list.</summary>
    public static string Missing(long frame, double framesPerSecond, int objectId, bool visible) =>
        string.Create(CultureInfo.InvariantCulture,
            $"frame {frame,3}  t={frame / framesPerSecond,4:0.0}s  object {objectId} not in this frame's tracks{(visible ? " (it is visible: IoU 0)" : "")}");
}
