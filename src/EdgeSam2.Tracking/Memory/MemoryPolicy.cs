namespace EdgeSam2.Tracking.Memory;

/// <summary>How an object's memory is written (ARCHITECTURE.md, "Memory per object").</summary>
public enum MemoryWritePolicy
{
    /// <summary>
    /// Quality-gated (SAMURAI / DAM4SAM): a frame enters memory only when the object is present and its
    /// predicted IoU clears <see cref="MemoryOptions.MinIouForMemory"/>; absent frames never overwrite good memories.
    /// Loses an object that SAM 2 keeps when the model needs the absent frame's memory to find it again (the
    /// sam2-micro fixture's "two", models/README.md).
    /// </summary>
    QualityGated,

    /// <summary>
    /// SAM 2's own video predictor as closely as the contract allows: every frame is written, absent ones too,
    /// so the agent can be compared with it.
    /// </summary>
    Reference,

    /// <summary>
    /// The default: written like SAM 2 while the object is present (with predicted IoU at least
    /// <see cref="MemoryOptions.MinIouForMemory"/>) or absent for at most <see cref="MemoryOptions.MaxAbsentWrites"/>
    /// frames in a row, so it keeps what SAM 2 keeps through a short absence; after that, absent frames are no
    /// longer written, so the last good memories stay in the bank and age (the search widens with their age) instead
    /// of being pushed out by empty ones — it re-acquires after a long occlusion, where SAM 2 does not. Conditioning
    /// entries are never evicted by any write. Measurements: models/README.md.
    /// </summary>
    Anchored,
}

/// <summary>Per-object memory options. Every bound is fixed: memory never grows with the stream.</summary>
public sealed class MemoryOptions
{
    /// <summary>Write policy. Default <see cref="MemoryWritePolicy.Anchored"/>.</summary>
    public MemoryWritePolicy Policy { get; set; } = MemoryWritePolicy.Anchored;

    /// <summary>
    /// Conditioning (operator prompt) entries kept per object: the first prompt and the newest ones. Default 2.
    /// SAM 2 keeps every one; each kept entry adds one memory frame and one pointer to every memory-attention call.
    /// </summary>
    public int MaxConditioningEntries { get; set; } = 2;

    /// <summary>Lowest predicted IoU at which a present frame is written to memory (QualityGated, Anchored). Default 0.5.</summary>
    public float MinIouForMemory { get; set; } = 0.5f;

    /// <summary>
    /// Anchored policy: absent frames in a row that are still written to memory, as SAM 2 writes them. Default 2
    /// (the measurements in models/README.md: 1 or more keeps the fixture's "two" at SAM 2's result).
    /// </summary>
    public int MaxAbsentWrites { get; set; } = 2;

    /// <summary>
    /// QualityGated and Anchored: a present mask whose bounding box exceeds this many times the object's recent peak
    /// box area (decaying 5 % a written frame), and its remembered size (see <see cref="MinAreaShare"/>), is not written to memory and is flagged
    /// (<c>ObjectObservation.MaskRejected</c>); so is one whose box, while another object claims some of the same
    /// pixels, exceeds this many times the box the object had when last alone (a mask spreading onto a look-alike a few
    /// cells a frame stays within the decaying peak). Two look-alikes side by side make a box about twice one. 0 turns
    /// the check off. Default 1.8.
    /// </summary>
    public float MaxAreaGrowth { get; set; } = 1.8f;

    /// <summary>
    /// QualityGated and Anchored: a present mask whose bounding box is smaller than this share of the object's
    /// remembered size (its written boxes' peak sides, which shrink only as the object's scale does — with the side that
    /// shrank less — and by at most 1 % in area a written frame, so an occluder cutting one side, however slowly, does
    /// not wear it down) is not written to memory and is flagged (<c>ObjectObservation.MaskRejected</c>): a sliver of an
    /// object passing slowly behind an occluder is a poor memory to search from, so the bank keeps the last fuller view.
    /// 0 turns the check off. Default 0.25 (models/README.md).
    /// </summary>
    public float MinAreaShare { get; set; } = 0.25f;

    /// <summary>
    /// QualityGated and Anchored: anchor memories kept per object (DAM4SAM's distractor-resolving memory). A written
    /// frame becomes an anchor when a look-alike is near a reliable target — another object claims some of its pixels,
    /// or a multimask decoder's other candidate reaches well beyond the chosen one — at most one every
    /// <c>memory_slots − 1</c> frames. Anchors are never evicted by recent or absent frames, only by newer anchors, and
    /// take places from the recent frames in attention (models/README.md). 0 turns them off; at most
    /// <c>memory_slots − 2</c>. Default 2.
    /// </summary>
    public int MaxAnchors { get; set; } = 2;
}
