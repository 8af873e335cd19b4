namespace EdgeSam2.Video;

/// <summary>Where a source's decoder is in its life.</summary>
public enum VideoSourceState
{
    /// <summary>The decoder is starting or waiting for its first frame (also between restarts after an exit or misbehaviour).</summary>
    Connecting,

    /// <summary>Frames are arriving.</summary>
    Streaming,

    /// <summary>No frame within the stall time-out: the decoder was killed and is being restarted.</summary>
    Stalled,

    /// <summary>Stopped by cancellation or dispose.</summary>
    Stopped,

    /// <summary>A Deterministic source failed (decoder error or stall); the error was thrown from RunAsync.</summary>
    Failed,

    /// <summary>A file ended normally: a Deterministic file, or a Live file without Loop. Not restarted.</summary>
    Finished,
}
