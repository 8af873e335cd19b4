using EdgeSam2.Agent.Messages;
using EdgeSam2.Tracking.Masks;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Post-processing of one tracked frame into its tracks message: low-res logits → frame-size mask → area, box,
/// centroid, COCO RLE. Mask and RLE buffers are kept and reused (grown only when the frame size grows), so steady
/// state allocates nothing. One per camera publisher loop; not thread-safe.
/// </summary>
internal sealed class TrackPostProcessor(bool includeMasks)
{
    private readonly MaskUpsampler _upsampler = new();
    private readonly TracksMessageWriter _writer = new();
    private byte[] _mask = [];
    private byte[] _rle = new byte[4096];

    /// <summary>The message for <paramref name="frame"/> (with <paramref name="correction"/>: its object only); valid until the next call.</summary>
    public ReadOnlyMemory<byte> Build(string camera, TrackedFrame frame, double latencyMs, CaptureClock clock, TrackCorrection? correction = null)
    {
        var (width, height) = (frame.Width, frame.Height);
        var pixels = width * height;
        if (_mask.Length < pixels)
        {
            _mask = new byte[pixels];
        }

        var mask = _mask.AsSpan(0, pixels);
        var low = frame.LowResSize;
        _writer.Begin(camera, frame, latencyMs, clock, correction);
        foreach (var o in frame.Objects)
        {
            if (correction is { } c && o.ObjectId != c.ObjectId)
            {
                continue; // a correction carries its late prompt's object only
            }

            if (!o.Visible)
            {
                _writer.WriteObject(o, visible: false, default, default, width, height);
                continue;
            }

            _upsampler.UpsampleAndThreshold(o.LowResLogits.AsSpan(0, low * low), low, low, mask, width, height);
            var stats = MaskStats.Compute(mask, width, height);
            var counts = includeMasks ? Encode(mask, width, height) : default;
            _writer.WriteObject(o, visible: true, stats, counts, width, height);
        }

        return _writer.End();
    }

    private ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> mask, int width, int height)
    {
        int written;
        while (!CocoRle.TryEncode(mask, width, height, _rle, out written))
        {
            // Only noisy masks with many runs need more; the bound is always enough.
            var bound = CocoRle.MaxEncodedLength(width, height);
            _rle = new byte[(int)Math.Min(bound, Math.Max(_rle.Length * 4L, 4096))];
        }

        return _rle.AsSpan(0, written);
    }
}
