using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Motion;

/// <summary>A box as centre and size, in frame pixels: the state the motion filter tracks.</summary>
public readonly record struct CenterBox(double Cx, double Cy, double W, double H)
{
    /// <summary>The centre-size form of a pixel box (exclusive edges: the centre of [x1, x2) is (x1 + x2)/2).</summary>
    public static CenterBox FromPixelBox(PixelBox box) =>
        new((box.X1 + box.X2) / 2.0, (box.Y1 + box.Y2) / 2.0, box.Width, box.Height);

    /// <summary>The nearest pixel box (rounded edges, size at least 0).</summary>
    public PixelBox ToPixelBox()
    {
        double w = Math.Max(0, W), h = Math.Max(0, H);
        return new PixelBox(
            (int)Math.Round(Cx - (w / 2)), (int)Math.Round(Cy - (h / 2)),
            (int)Math.Round(Cx + (w / 2)), (int)Math.Round(Cy + (h / 2)));
    }
}
