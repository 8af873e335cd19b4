using System.Numerics.Tensors;

namespace EdgeSam2.Tracking.Masks;

/// <summary>Bounding box of the positive cells (logit &gt; 0) of a low-resolution mask, in cell units (X2/Y2 exclusive).</summary>
internal readonly record struct LowResBox(int X1, int Y1, int X2, int Y2)
{
    public bool IsEmpty => X2 <= X1 || Y2 <= Y1;

    /// <summary>The box of <paramref name="logits"/> (width×height, row-major); empty when no cell is positive.</summary>
    public static LowResBox Find(ReadOnlySpan<float> logits, int width, int height)
    {
        int x1 = width, y1 = height, x2 = 0, y2 = 0;
        for (var y = 0; y < height; y++)
        {
            var row = logits.Slice(y * width, width);
            if (TensorPrimitives.Max(row) <= 0)
            {
                continue; // most rows hold no object: one vectorised pass skips them
            }

            var first = 0;
            while (row[first] <= 0)
            {
                first++;
            }

            var last = width - 1;
            while (row[last] <= 0)
            {
                last--;
            }

            (x1, x2) = (Math.Min(x1, first), Math.Max(x2, last + 1));
            (y1, y2) = (Math.Min(y1, y), y + 1);
        }

        return x2 > x1 ? new LowResBox(x1, y1, x2, y2) : default;
    }
}
