namespace EdgeSam2.Tracking.Memory;

/// <summary>How an object's memory is written (ARCHITECTURE.md, "Memory per object").</summary>
public enum MemoryWritePolicy
{
    /// <summary>
    /// Quality-gated (SAMURAI / DAM4SAM): a frame enters memory only when the object is present and its
    /// predicted IoU clears <see cref="MemoryOptions.MinIouForMemory"/>; absent frames never overwrite good memories.
    /// </summary>
    QualityGated,

    /// <summary>
    /// SAM 2's own video predictor as closely as the contract allows: every frame is written, absent ones too,
    /// so the agent can be compared with it.
    /// </summary>
    Reference,
}

/// <summary>Per-object memory options. Every bound is fixed: memory never grows with the stream.</summary>
public sealed class MemoryOptions
{
    /// <summary>Write policy. Default <see cref="MemoryWritePolicy.QualityGated"/>.</summary>
    public MemoryWritePolicy Policy { get; set; } = MemoryWritePolicy.QualityGated;

    /// <summary>
    /// Conditioning (operator prompt) entries kept per object: the first prompt and the newest ones. Default 2.
    /// They share the model's memory slots with the recent frames.
    /// </summary>
    public int MaxConditioningEntries { get; set; } = 2;

    /// <summary>Lowest predicted IoU at which a frame is written to memory (quality-gated policy). Default 0.5.</summary>
    public float MinIouForMemory { get; set; } = 0.5f;
}
