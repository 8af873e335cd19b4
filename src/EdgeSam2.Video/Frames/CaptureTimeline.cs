namespace EdgeSam2.Video;

/// <summary>
/// Turns a frame's presentation time into a wall-clock capture time. Files are anchored once (a Deterministic camera
/// keeps its anchor across pauses, so its clock does not jump); live streams are anchored when each decoder session
/// delivers its first frame, and re-anchored when the stream's clock runs ahead of ours (a capture cannot be later
/// than its arrival) or jumps back or far behind (a discontinuity, not a delay).
/// </summary>
internal sealed class CaptureTimeline(bool file, DateTimeOffset fileAnchor)
{
    /// <summary>A live frame this far behind its PTS schedule means the stream's timeline broke, not that it is late.</summary>
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(5);

    private double? _fileOrigin;
    private DateTimeOffset _anchorTime;
    private double? _anchorPts;
    private double _lastPts;

    /// <summary>A new decoder session: a live stream is anchored again at its first frame.</summary>
    public void BeginSession()
    {
        _anchorPts = null;
    }

    /// <param name="pts">The frame's presentation time in seconds; null when unknown.</param>
    /// <param name="fileFrame">The frame's number in the file (Deterministic), for the frame-rate fallback.</param>
    /// <param name="frameRate">The stream's reported rate; 0 when unknown.</param>
    /// <param name="arrival">Wall clock when the frame was read.</param>
    public (DateTimeOffset Time, CaptureClock Clock) Stamp(double? pts, long fileFrame, double frameRate, DateTimeOffset arrival)
    {
        if (file)
        {
            if (pts is { } p)
            {
                _fileOrigin ??= p;
                return (fileAnchor + Seconds(p - _fileOrigin.Value), CaptureClock.Pts);
            }

            return frameRate > 0
                ? (fileAnchor + TimeSpan.FromTicks((long)Math.Round(fileFrame * TimeSpan.TicksPerSecond / frameRate)), CaptureClock.FrameRate)
                : (arrival, CaptureClock.Arrival);
        }

        if (pts is not { } seconds)
        {
            return (arrival, CaptureClock.Arrival);
        }

        if (_anchorPts is { } anchorPts && seconds >= _lastPts)
        {
            var capture = _anchorTime + Seconds(seconds - anchorPts);
            if (capture <= arrival && arrival - capture <= MaxLag)
            {
                _lastPts = seconds;
                return (capture, CaptureClock.Pts);
            }
        }

        _anchorPts = seconds;
        _anchorTime = arrival;
        _lastPts = seconds;
        return (arrival, CaptureClock.Pts);
    }

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}
