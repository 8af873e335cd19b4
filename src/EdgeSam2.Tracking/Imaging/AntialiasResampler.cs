namespace EdgeSam2.Tracking.Imaging;

/// <summary>
/// A mask prompt brought to the model's input size as SAM 2's <c>add_new_mask</c> does: bilinear with
/// <c>antialias=True</c> and <c>align_corners=False</c> (a triangle filter as wide as the scale when shrinking,
/// cut at the border and renormalised, as PyTorch computes it), then ≥ 0.5. Allocates its weights per call: a mask
/// prompt is an operator action, not a per-frame path.
/// </summary>
public static class AntialiasResampler
{
    /// <summary>
    /// Resamples the 0/1 <paramref name="mask"/> (<paramref name="width"/>×<paramref name="height"/>, row-major, any
    /// non-zero byte is set) to a <paramref name="size"/>² 0/1 float mask in <paramref name="destination"/>; returns
    /// how many pixels are set.
    /// </summary>
    public static int ResizeMask(ReadOnlySpan<byte> mask, int width, int height, int size, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, size * size);
        if (width == size && height == size)
        {
            var set = 0;
            for (var i = 0; i < size * size; i++)
            {
                var on = mask[i] != 0;
                destination[i] = on ? 1f : 0f;
                set += on ? 1 : 0;
            }

            return set;
        }

        var (xs, xw) = Taps(width, size);
        var (ys, yw) = Taps(height, size);
        var row = new double[width];
        var count = 0;
        for (var oy = 0; oy < size; oy++)
        {
            // Vertical pass into one row, then the horizontal taps of each output pixel.
            Array.Clear(row);
            var (y0, yws) = (ys[oy], yw[oy]);
            for (var k = 0; k < yws.Length; k++)
            {
                var source = mask.Slice((y0 + k) * width, width);
                for (var x = 0; x < width; x++)
                {
                    row[x] += source[x] != 0 ? yws[k] : 0;
                }
            }

            for (var ox = 0; ox < size; ox++)
            {
                var (x0, xws) = (xs[ox], xw[ox]);
                var v = 0.0;
                for (var k = 0; k < xws.Length; k++)
                {
                    v += row[x0 + k] * xws[k];
                }

                var on = v >= 0.5;
                destination[(oy * size) + ox] = on ? 1f : 0f;
                count += on ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>Per output index: the first source index and the normalised weights of the taps from it.</summary>
    private static (int[] First, double[][] Weights) Taps(int input, int output)
    {
        var scale = (double)input / output;
        var support = scale >= 1 ? scale : 1.0; // upsampling: the plain bilinear triangle
        var invScale = scale >= 1 ? 1 / scale : 1.0;
        var first = new int[output];
        var weights = new double[output][];
        for (var i = 0; i < output; i++)
        {
            var center = scale * (i + 0.5);
            var lo = Math.Max((int)(center - support + 0.5), 0);
            var hi = Math.Min((int)(center + support + 0.5), input);
            var w = new double[Math.Max(hi - lo, 0)];
            var total = 0.0;
            for (var j = 0; j < w.Length; j++)
            {
                w[j] = Math.Max(0, 1 - Math.Abs((j + lo - center + 0.5) * invScale));
                total += w[j];
            }

            for (var j = 0; j < w.Length && total > 0; j++)
            {
                w[j] /= total;
            }

            (first[i], weights[i]) = (lo, w);
        }

        return (first, weights);
    }
}
