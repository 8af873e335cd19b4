namespace EdgeSam2.Tracking.Tracker;

/// <summary>Bounding box of the positive cells of a low-resolution mask, in cell units (X2/Y2 exclusive).</summary>
internal readonly record struct LowResBox(int X1, int Y1, int X2, int Y2)
{
    public bool IsEmpty => X2 <= X1 || Y2 <= Y1;

    public static LowResBox Find(ReadOnlySpan<float> logits, int size)
    {
        int x1 = size, y1 = size, x2 = 0, y2 = 0;
        for (var y = 0; y < size; y++)
        {
            var row = logits.Slice(y * size, size);
            var first = IndexOfPositive(row);
            if (first < 0)
            {
                continue;
            }

            var last = LastIndexOfPositive(row);
            x1 = Math.Min(x1, first);
            x2 = Math.Max(x2, last + 1);
            y1 = Math.Min(y1, y);
            y2 = y + 1;
        }

        return x2 > x1 ? new LowResBox(x1, y1, x2, y2) : default;
    }

    private static int IndexOfPositive(ReadOnlySpan<float> row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] > 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int LastIndexOfPositive(ReadOnlySpan<float> row)
    {
        for (var i = row.Length - 1; i >= 0; i--)
        {
            if (row[i] > 0)
            {
                return i;
            }
        }

        return -1;
    }
}
