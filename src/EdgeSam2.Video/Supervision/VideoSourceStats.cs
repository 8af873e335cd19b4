namespace EdgeSam2.Video;

/// <summary>A snapshot of a source's health counters, for /metrics, MQTT status and tests.</summary>
/// <param name="State">Current decoder state.</param>
/// <param name="FramesDecoded">Frames read from the decoder since the source started (across restarts).</param>
/// <param name="FramesDropped">Frames discarded because the consumer lagged (channel full) or every buffer was out.</param>
/// <param name="Restarts">Decoder restarts after an exit or a stall.</param>
/// <param name="Stalls">Times the decoder went quiet for the stall timeout.</param>
/// <param name="LastFrameTime">Wall-clock time the newest frame was read; null before the first.</param>
/// <param name="MeasuredFps">Moving average of the decoder's delivered frame rate.</param>
/// <param name="LastError">Why the decoder last stopped (its exit code and stderr tail, or a stall); null while none has.</param>
public readonly record struct VideoSourceStats(
    VideoSourceState State,
    long FramesDecoded,
    long FramesDropped,
    long Restarts,
    long Stalls,
    DateTimeOffset? LastFrameTime,
    double MeasuredFps,
    string? LastError = null);
