namespace EdgeSam2.Video;

/// <summary>Where a frame's <see cref="VideoFrame.CaptureTime"/> came from.</summary>
public enum CaptureClock
{
    /// <summary>
    /// The stream's own presentation time: for files, the anchor (the camera's start) plus the frame's PTS; for live
    /// streams, the PTS anchored at the wall clock when the stream connected, so network and decoder jitter do not
    /// show in the capture times.
    /// </summary>
    Pts,

    /// <summary>A file whose frames carry no PTS: the anchor plus frame number divided by the reported frame rate.</summary>
    FrameRate,

    /// <summary>The wall clock when the frame was read from the decoder (no usable PTS: e.g. the GStreamer source).</summary>
    Arrival,
}
