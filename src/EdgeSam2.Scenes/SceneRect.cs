namespace EdgeSam2.Scenes;

/// <summary>A pixel rectangle with exclusive right and bottom edges: width is <c>X2 − X1</c>.</summary>
public readonly record struct SceneRect(int X1, int Y1, int X2, int Y2)
{
    /// <summary>Horizontal extent in pixels.</summary>
    public int Width => X2 - X1;

    /// <summary>Vertical extent in pixels.</summary>
    public int Height => Y2 - Y1;
}
