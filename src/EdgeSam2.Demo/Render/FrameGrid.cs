using EdgeSam2.Scenes;

namespace EdgeSam2.Demo.Render;

/// <summary>Lays equally sized RGB24 tiles out in a grid with a gap between them, row by row.</summary>
internal sealed class FrameGrid
{
    private readonly Rgb _background;

    public FrameGrid(int tileWidth, int tileHeight, int tileCount, int maxColumns, int gap, Rgb background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxColumns, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        TileWidth = tileWidth;
        TileHeight = tileHeight;
        TileCount = tileCount;
        Columns = Math.Min(tileCount, maxColumns);
        Rows = (tileCount + Columns - 1) / Columns;
        Gap = gap;
        _background = background;
        Width = (Columns * tileWidth) + ((Columns + 1) * gap);
        Height = (Rows * tileHeight) + ((Rows + 1) * gap);
    }

    public int TileWidth { get; }

    public int TileHeight { get; }

    public int TileCount { get; }

    public int Columns { get; }

    public int Rows { get; }

    public int Gap { get; }

    /// <summary>Canvas width in pixels, gaps and border included.</summary>
    public int Width { get; }

    /// <summary>Canvas height in pixels, gaps and border included.</summary>
    public int Height { get; }

    /// <summary>Bytes in the RGB24 canvas.</summary>
    public int ByteCount => Width * Height * 3;

    /// <summary>Paints the whole canvas in the background colour.</summary>
    public void Clear(Span<byte> canvas) => MaskOverlay.FillRect(canvas, Width, 0, 0, Width, Height, _background);

    /// <summary>Copies <paramref name="tile"/> (RGB24, TileWidth × TileHeight) into slot <paramref name="index"/>.</summary>
    public void Place(Span<byte> canvas, int index, ReadOnlySpan<byte> tile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, TileCount);
        if (canvas.Length < ByteCount || tile.Length < TileWidth * TileHeight * 3)
        {
            throw new ArgumentException("Canvas or tile is smaller than the grid needs.");
        }

        var (left, top) = Origin(index);
        var rowBytes = TileWidth * 3;
        for (var y = 0; y < TileHeight; y++)
        {
            tile.Slice(y * rowBytes, rowBytes).CopyTo(canvas.Slice((((top + y) * Width) + left) * 3, rowBytes));
        }
    }

    /// <summary>Top-left pixel of slot <paramref name="index"/>.</summary>
    public (int X, int Y) Origin(int index) =>
        (Gap + (index % Columns * (TileWidth + Gap)), Gap + (index / Columns * (TileHeight + Gap)));

    /// <summary>
    /// <paramref name="count"/> frame indices spread evenly over [<paramref name="first"/>, <paramref name="last"/>],
    /// both ends included, ascending, without repeats (fewer when the range holds fewer frames).
    /// </summary>
    public static int[] EvenlySpaced(int first, int last, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(last, first);
        var n = Math.Min(count, last - first + 1);
        var frames = new int[n];
        for (var i = 0; i < n; i++)
        {
            frames[i] = n == 1 ? first : first + (int)Math.Round((double)(last - first) * i / (n - 1), MidpointRounding.AwayFromZero);
        }

        return frames;
    }
}
