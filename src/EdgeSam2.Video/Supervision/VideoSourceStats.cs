namespace EdgeSam2.Video;

/// <summary>A snapshot of a source's health counters, for /metrics, MQTT status and tests.</summary>
/// <param name="State">Current decoder state.</param>
/// <param name="FramesDecoded">Frames read from the decoder since the source started (across restarts).</param>
/// <param name="FramesDropped">Frames discarded because the consumer lagged (channel full) or every buffer was out.</param>
/// <param name="Restarts">Decoder restarts after an exit, a stall or misbehaviour (not loops of a file).</param>
/// <param name="Stalls">Times the decoder went quiet for the stall timeout.</param>
/// <param name="LastFrameTime">Wall-clock time the newest frame was read; null before the first.</param>
/// <param name="MeasuredFps">Moving average of the decoder's delivered frame rate.</param>
/// <param name="LastError">
/// Why the decoder last stopped, in its own words, short and sanitised (e.g. <c>Connection refused</c>, <c>Server
/// returned 404 Not Found</c>, <c>no frame for 10 s</c>), or why the source finished; null while it has not stopped.
/// </param>
/// <param name="Loops">Times a looping Live file was played again from its start.</param>
public readonly record struct VideoSourceStats(
    VideoSourceState State,
    long FramesDecoded,
    long FramesDropped,
    long Restarts,
    long Stalls,
    DateTimeOffset? LastFrameTime,
    double MeasuredFps,
    string? LastError = null,
    long Loops = 0);
