namespace EdgeSam2.Agent.Telemetry;

/// <summary>
/// The per-frame pipeline stages, in order: the keys of <c>stages_ms</c> in <c>{base}/stats</c> and the <c>stage</c>
/// tag of <c>edgesam2_stage_duration_ms</c> in <c>/metrics</c>. Indices are fixed so recording allocates nothing.
/// </summary>
internal static class StageNames
{
    /// <summary>Decoder hand-off (the frame read from the decoder's pipe) to the frame loop taking it.</summary>
    public const int Queue = 0;

    /// <summary>Waiting for the scheduler's turn on the shared model set, summed over the frame's graph runs.</summary>
    public const int Wait = 1;

    /// <summary>
    /// Frame preparation on the critical path: due commands collected, hand-off to the tracking thread, and normalisation
    /// to the model input unless it was done ahead (<see cref="PrepareAhead"/>).
    /// </summary>
    public const int Prepare = 2;

    public const int ImageEncoder = 3;

    public const int MemoryAttention = 4;

    public const int MaskDecoder = 5;

    public const int MemoryEncoder = 6;

    /// <summary>Tracker time outside ORT runs and waits: memory assembly, batching, motion, object bookkeeping.</summary>
    public const int TrackerHost = 7;

    /// <summary>Masks to boxes, centroids and RLE, and the tracks message written.</summary>
    public const int Post = 8;

    /// <summary>The tracks message handed to the MQTT client.</summary>
    public const int Publish = 9;

    /// <summary>Capture (Live) or decoder hand-off (Deterministic files) to the tracks message handed to MQTT.</summary>
    public const int CaptureToPublish = 10;

    /// <summary>
    /// Normalisation to the model input done ahead, on a pool thread while the previous frame's graphs ran (off the
    /// tracking thread); 0 for a frame normalised on the tracking thread (in <see cref="Prepare"/>).
    /// </summary>
    public const int PrepareAhead = 11;

    public const int Count = 12;

    /// <summary>The names, by index.</summary>
    public static readonly string[] Names =
    [
        "queue", "wait", "prepare", "image_encoder", "memory_attention", "mask_decoder", "memory_encoder", "tracker_host", "post", "publish", "capture_to_publish", "prepare_ahead",
    ];
}
