namespace EdgeSam2.Tracking.Imaging;

/// <summary>
/// Source taps of a 1-D bilinear resize with PyTorch's <c>align_corners=False</c> rule: output index i
/// samples src = (i + 0.5)·in/out − 0.5, clamped at 0; taps floor(src) and the next index clamped to the
/// last; weight of the second tap src − floor(src). Computed in float, as PyTorch's CPU kernel does.
/// Public because the frame-preparation graph (models/prep) takes its taps from here, so the graph and
/// <see cref="FrameNormalizer"/> sample the same pixels with the same weights.
/// </summary>
public static class BilinearTaps
{
    /// <summary>The two source taps and the second tap's weight for every output index.</summary>
    public static void Compute(int inputSize, int outputSize, Span<int> first, Span<int> second, Span<float> secondWeight)
    {
        var scale = (float)inputSize / outputSize;
        for (var i = 0; i < outputSize; i++)
        {
            Source(i, scale, inputSize, out first[i], out second[i], out secondWeight[i]);
        }
    }

    /// <summary>The two source taps and the second tap's weight for output index <paramref name="outputIndex"/>.</summary>
    public static void Source(int outputIndex, float scale, int inputSize, out int first, out int second, out float secondWeight)
    {
        var src = (scale * (outputIndex + 0.5f)) - 0.5f;
        if (src < 0)
        {
            src = 0;
        }

        first = Math.Min((int)src, inputSize - 1);
        second = Math.Min(first + 1, inputSize - 1);
        secondWeight = src - first;
        if (first == inputSize - 1)
        {
            secondWeight = 0;
        }
    }
}
