using EdgeSam2.Tracking.Imaging;

namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// Makes the memory encoder's <c>mask_for_mem</c> on the host from low-resolution logits, as SAM 2's
/// <c>_encode_new_memory</c> input is made (sam2_base.py): bilinear upsample to the input size (half-pixel centres,
/// <c>align_corners=False</c>), then sigmoid·20 − 10, or ±10 by the sign for a mask decoded from clicks or a box (the
/// video predictor's <c>binarize_mask_from_pts_for_mem_enc</c>). Needed with the multimask decoder, which returns every candidate
/// at low resolution and leaves the chosen one's memory mask to the host. Caches its taps; allocation-free afterwards.
/// Not thread-safe.
/// </summary>
public sealed class MemoryMaskBuilder
{
    private int _low, _size;
    private int[] _i0 = [], _i1 = [];
    private float[] _w = [], _row0 = [], _row1 = [];

    /// <summary>
    /// Writes the <paramref name="size"/>² memory mask of <paramref name="low"/>² row-major logits; binarised (±10) when
    /// <paramref name="fromPrompt"/>.
    /// </summary>
    public void Build(ReadOnlySpan<float> logits, int low, Span<float> mask, int size, bool fromPrompt = false)
    {
        if (logits.Length < low * low || mask.Length < size * size)
        {
            throw new ArgumentException($"{low}² logits into a {size}² mask need {low * low} and {size * size} values; got {logits.Length} and {mask.Length}.");
        }

        if (low != _low || size != _size)
        {
            _i0 = new int[size];
            _i1 = new int[size];
            _w = new float[size];
            _row0 = new float[size];
            _row1 = new float[size];
            BilinearTaps.Compute(low, size, _i0, _i1, _w);
            (_low, _size) = (low, size);
        }

        for (var y = 0; y < size; y++)
        {
            // Rows and columns share the taps: the mask is square.
            Horizontal(logits.Slice(_i0[y] * low, low), _row0);
            Horizontal(logits.Slice(_i1[y] * low, low), _row1);
            var wy = _w[y];
            var dst = mask.Slice(y * size, size);
            for (var x = 0; x < size; x++)
            {
                var v = _row0[x] + ((_row1[x] - _row0[x]) * wy);
                dst[x] = fromPrompt ? (v > 0 ? 10f : -10f) : (20f / (1f + MathF.Exp(-v))) - 10f;
            }
        }
    }

    private void Horizontal(ReadOnlySpan<float> row, Span<float> output)
    {
        for (var x = 0; x < output.Length; x++)
        {
            var a = row[_i0[x]];
            output[x] = a + ((row[_i1[x]] - a) * _w[x]);
        }
    }
}
