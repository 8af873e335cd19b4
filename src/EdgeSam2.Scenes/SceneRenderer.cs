using System.Buffers;

namespace EdgeSam2.Scenes;

/// <summary>
/// Renders the frames of a <see cref="SceneSpec"/> and their exact ground truth. Thread-safe after
/// construction (it holds only the immutable spec and background).
/// </summary>
public sealed class SceneRenderer
{
    private readonly byte[] _background;

    public SceneRenderer(SceneSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        _background = BackgroundTexture.Render(spec);
    }

    public SceneSpec Spec { get; }

    /// <summary>Writes frame <paramref name="frameIndex"/> as packed RGB24 (Width·Height·3 bytes).</summary>
    public void RenderFrame(int frameIndex, Span<byte> rgb24)
    {
        CheckFrame(frameIndex);
        if (rgb24.Length < Spec.FrameByteCount)
        {
            throw new ArgumentException($"Buffer holds {rgb24.Length} bytes, a frame needs {Spec.FrameByteCount}.", nameof(rgb24));
        }

        _background.CopyTo(rgb24);
        foreach (var d in Spec.Distractors)
        {
            FillShape(rgb24, d.Shape, d.Position, d.Size, d.Colour);
        }

        foreach (var o in Spec.Objects)
        {
            FillShape(rgb24, o.Shape, o.Trajectory.PositionAt(frameIndex), o.Size, o.Colour);
        }

        foreach (var occluder in Spec.Occluders)
        {
            var r = Clip(occluder.Rect);
            for (var y = r.Y1; y < r.Y2; y++)
            {
                FillRow(rgb24, y, r.X1, r.X2, occluder.Colour);
            }
        }
    }

    /// <summary>Returns a new buffer holding frame <paramref name="frameIndex"/>.</summary>
    public byte[] RenderFrame(int frameIndex)
    {
        var rgb = new byte[Spec.FrameByteCount];
        RenderFrame(frameIndex, rgb);
        return rgb;
    }

    /// <summary>Writes 1 where the object's pixels are visible in the final frame, else 0 (row-major, Width·Height).</summary>
    public void RenderVisibleMask(int frameIndex, int objectId, Span<byte> mask)
    {
        CheckMask(mask);
        Scan(frameIndex, IndexOf(objectId), mask, visibleOnly: true);
    }

    /// <summary>Writes 1 on the object's whole shape inside the frame, occluded parts included.</summary>
    public void RenderFullMask(int frameIndex, int objectId, Span<byte> mask)
    {
        CheckMask(mask);
        Scan(frameIndex, IndexOf(objectId), mask, visibleOnly: false);
    }

    /// <summary>Pixels of the object visible in the final frame.</summary>
    public int VisibleArea(int frameIndex, int objectId) => Scan(frameIndex, IndexOf(objectId), default, visibleOnly: true).Area;

    /// <summary>Pixels of the object's shape inside the frame, ignoring what covers it.</summary>
    public int FullArea(int frameIndex, int objectId) => Scan(frameIndex, IndexOf(objectId), default, visibleOnly: false).Area;

    /// <summary>Tight box (exclusive right/bottom) of the visible pixels; null when none is visible.</summary>
    public SceneRect? VisibleBox(int frameIndex, int objectId)
    {
        var scan = Scan(frameIndex, IndexOf(objectId), default, visibleOnly: true);
        return scan.Area == 0 ? null : scan.Box;
    }

    /// <summary>The object's centre at <paramref name="frameIndex"/> (it may lie outside the frame).</summary>
    public ScenePoint CentreOf(int frameIndex, int objectId) => Spec.Objects[IndexOf(objectId)].Trajectory.PositionAt(frameIndex);

    private (int Area, SceneRect Box) Scan(int frameIndex, int objectIndex, Span<byte> mask, bool visibleOnly)
    {
        CheckFrame(frameIndex);
        var width = Spec.Width;
        var writeMask = !mask.IsEmpty;
        if (writeMask)
        {
            mask[..(width * Spec.Height)].Clear();
        }

        var target = Spec.Objects[objectIndex];
        var centre = target.Trajectory.PositionAt(frameIndex);
        var laterCount = visibleOnly ? Spec.Objects.Count - objectIndex - 1 : 0;
        Span<ScenePoint> later = laterCount <= 64 ? stackalloc ScenePoint[laterCount] : new ScenePoint[laterCount];
        for (var i = 0; i < laterCount; i++)
        {
            later[i] = Spec.Objects[objectIndex + 1 + i].Trajectory.PositionAt(frameIndex);
        }

        byte[]? rented = null;
        Span<byte> scratch = writeMask ? default : width <= 4096 ? stackalloc byte[width] : (rented = ArrayPool<byte>.Shared.Rent(width)).AsSpan(0, width);
        int area = 0, bx1 = int.MaxValue, by1 = int.MaxValue, bx2 = int.MinValue, by2 = int.MinValue;
        ShapeRaster.Rows(target.Shape, centre.Y, target.Size, Spec.Height, out var y0, out var y1);
        for (var y = y0; y < y1; y++)
        {
            if (!ShapeRaster.Span(target.Shape, centre.X, centre.Y, target.Size, y, width, out var x0, out var x1))
            {
                continue;
            }

            var row = writeMask ? mask.Slice(y * width, width) : scratch;
            row[x0..x1].Fill(1);
            for (var i = 0; i < laterCount; i++)
            {
                var cover = Spec.Objects[objectIndex + 1 + i];
                if (ShapeRaster.Span(cover.Shape, later[i].X, later[i].Y, cover.Size, y, width, out var c0, out var c1))
                {
                    ClearOverlap(row, x0, x1, c0, c1);
                }
            }

            if (visibleOnly)
            {
                foreach (var occluder in Spec.Occluders)
                {
                    var r = Clip(occluder.Rect);
                    if (y >= r.Y1 && y < r.Y2)
                    {
                        ClearOverlap(row, x0, x1, r.X1, r.X2);
                    }
                }
            }

            var segment = row[x0..x1];
            var first = segment.IndexOf((byte)1);
            if (first >= 0)
            {
                var last = segment.LastIndexOf((byte)1);
                area += segment.Length - segment.Count((byte)0);
                bx1 = Math.Min(bx1, x0 + first);
                bx2 = Math.Max(bx2, x0 + last + 1);
                by1 = Math.Min(by1, y);
                by2 = y + 1;
            }

            if (!writeMask)
            {
                segment.Clear();
            }
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return area == 0 ? (0, default) : (area, new SceneRect(bx1, by1, bx2, by2));
    }

    private static void ClearOverlap(Span<byte> row, int x0, int x1, int c0, int c1)
    {
        var a = Math.Max(x0, c0);
        var b = Math.Min(x1, c1);
        if (b > a)
        {
            row[a..b].Clear();
        }
    }

    private void FillShape(Span<byte> rgb24, SceneShape shape, ScenePoint centre, double size, Rgb colour)
    {
        ShapeRaster.Rows(shape, centre.Y, size, Spec.Height, out var y0, out var y1);
        for (var y = y0; y < y1; y++)
        {
            if (ShapeRaster.Span(shape, centre.X, centre.Y, size, y, Spec.Width, out var x0, out var x1))
            {
                FillRow(rgb24, y, x0, x1, colour);
            }
        }
    }

    private void FillRow(Span<byte> rgb24, int y, int x0, int x1, Rgb colour)
    {
        var row = rgb24.Slice(((y * Spec.Width) + x0) * 3, (x1 - x0) * 3);
        for (var i = 0; i < row.Length; i += 3)
        {
            row[i] = colour.R;
            row[i + 1] = colour.G;
            row[i + 2] = colour.B;
        }
    }

    private SceneRect Clip(SceneRect r) => new(
        Math.Clamp(r.X1, 0, Spec.Width), Math.Clamp(r.Y1, 0, Spec.Height),
        Math.Clamp(r.X2, 0, Spec.Width), Math.Clamp(r.Y2, 0, Spec.Height));

    private int IndexOf(int objectId)
    {
        for (var i = 0; i < Spec.Objects.Count; i++)
        {
            if (Spec.Objects[i].Id == objectId)
            {
                return i;
            }
        }

        throw new ArgumentException($"The scene has no object {objectId}.", nameof(objectId));
    }

    private void CheckFrame(int frameIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frameIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frameIndex, Spec.FrameCount);
    }

    private void CheckMask(Span<byte> mask)
    {
        if (mask.Length < Spec.Width * Spec.Height)
        {
            throw new ArgumentException($"Mask holds {mask.Length} bytes, the frame has {Spec.Width * Spec.Height} pixels.", nameof(mask));
        }
    }
}
