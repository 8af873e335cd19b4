namespace EdgeSam2.Tracking.Masks;

/// <summary>A box in frame pixels with exclusive right and bottom edges: width is <c>X2 − X1</c>.</summary>
public readonly record struct PixelBox(int X1, int Y1, int X2, int Y2)
{
    /// <summary>The box of an empty mask.</summary>
    public static PixelBox Empty => default;

    /// <summary>Horizontal extent in pixels.</summary>
    public int Width => X2 - X1;

    /// <summary>Vertical extent in pixels.</summary>
    public int Height => Y2 - Y1;

    /// <summary>True when the box covers no pixel.</summary>
    public bool IsEmpty => X2 <= X1 || Y2 <= Y1;

    /// <summary>Pixels covered.</summary>
    public long Area => IsEmpty ? 0 : (long)Width * Height;
}
