namespace EdgeSam2.Video;

/// <summary>Where a source's decoder is in its life.</summary>
public enum VideoSourceState
{
    /// <summary>The decoder is starting or waiting for its first frame (also between restarts).</summary>
    Connecting,

    /// <summary>Frames are arriving.</summary>
    Streaming,

    /// <summary>No frame within the stall timeout: the decoder is being killed and restarted.</summary>
    Stalled,

    /// <summary>Finished: the end of a Deterministic file, or stopped by cancellation or dispose.</summary>
    Stopped,

    /// <summary>A Deterministic source failed (decoder error or stall); the error was thrown from RunAsync.</summary>
    Failed,
}
