namespace EdgeSam2.Video;

/// <summary>How a video source trades completeness against latency.</summary>
public enum SourceMode
{
    /// <summary>
    /// Files only: every frame in order, none dropped, no real-time pacing; the source waits for the consumer
    /// and the frame channel completes at the end of the file. For tests, evaluation and offline runs.
    /// </summary>
    Deterministic,

    /// <summary>
    /// Real time: files are paced at their native rate, network streams are read as they arrive, the newest frame
    /// wins when the consumer lags (drops are counted), and the decoder is restarted when it exits or stalls.
    /// </summary>
    Live,
}
