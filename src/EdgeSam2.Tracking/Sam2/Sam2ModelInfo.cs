namespace EdgeSam2.Tracking.Sam2;

/// <summary>Which memory-attention graph the model set has (SAM2-CONTRACT.md, "The offsets variant").</summary>
public enum MemoryAttentionForm
{
    /// <summary>NVIDIA's export: one scalar <c>cond_frame_id_diff</c>; pointer i is assumed to come from frame t−i.</summary>
    Scalar,

    /// <summary><c>obj_ptr_offsets</c> [B, Nptr]: the frame distance of every pointer, honest across gaps.</summary>
    Offsets,
}

/// <summary>
/// The sizes of a SAM 2 model set. Every number is read from the graphs or the manifest, never assumed, so
/// 512-px, 1024-px and EdgeTAM-class exports fit the same host.
/// </summary>
public sealed record Sam2ModelInfo
{
    /// <summary>Square input size S of the image encoder (1024 for SAM 2.1).</summary>
    public required int InputSize { get; init; }

    /// <summary>Channels C of <c>pix_feat</c>, <c>vision_feats</c>, <c>image_embed</c> and <c>obj_ptr</c> (256).</summary>
    public required int FeatureChannels { get; init; }

    /// <summary>Side of the square feature and memory grid (64 = S / 16).</summary>
    public required int FeatureSize { get; init; }

    /// <summary>Channels and side of <c>high_res_feat0</c> (32, 256).</summary>
    public required int HighRes0Channels { get; init; }

    /// <inheritdoc cref="HighRes0Channels"/>
    public required int HighRes0Size { get; init; }

    /// <summary>Channels and side of <c>high_res_feat1</c> (64, 128).</summary>
    public required int HighRes1Channels { get; init; }

    /// <inheritdoc cref="HighRes1Channels"/>
    public required int HighRes1Size { get; init; }

    /// <summary>Channels of <c>maskmem_features</c> (64).</summary>
    public required int MemoryChannels { get; init; }

    /// <summary>Side of the low-resolution mask <c>pred_mask</c> (256 = S / 4).</summary>
    public required int LowResMaskSize { get; init; }

    /// <summary>Memory slots: entries of <c>temporal_code</c> (7 = 1 conditioning + 6 recent).</summary>
    public required int MemorySlots { get; init; }

    /// <summary>Most object pointers memory attention takes (16).</summary>
    public required int MaxObjectPointers { get; init; }

    /// <summary>
    /// Mask candidates the decoder returns: 1 for the NVIDIA form (it picks one itself), 3 for the multimask variant
    /// (<c>low_res_multimasks</c>, <c>ious</c>, <c>obj_ptrs</c>), among which the host chooses.
    /// </summary>
    public int DecoderCandidates { get; init; } = 1;

    /// <summary>The memory-attention form of this model set.</summary>
    public required MemoryAttentionForm AttentionForm { get; init; }

    /// <summary>
    /// Whether the decoder has the optional mask-prompt inputs <c>mask_input</c> [B,1,S,S] and <c>has_mask_input</c>
    /// [B,1] (SAM 2's <c>add_new_mask</c>); without them mask prompts are refused.
    /// </summary>
    public bool AcceptsMaskPrompts { get; init; }

    /// <summary>Memory tokens per frame (4096 = 64²).</summary>
    public int MemoryTokens => FeatureSize * FeatureSize;

    /// <summary>Rows one object pointer takes in <c>memory_pos_embed</c> (4 = C / memory channels).</summary>
    public int TokensPerPointer => FeatureChannels / MemoryChannels;

    /// <summary>Floats of one image-sized feature map: C × H × W.</summary>
    public int FeatureLength => FeatureChannels * MemoryTokens;

    /// <summary>Floats of one frame's spatial memory: memory channels × H × W.</summary>
    public int MemoryFeatureLength => MemoryChannels * MemoryTokens;

    /// <summary>Floats of one low-resolution mask.</summary>
    public int LowResMaskLength => LowResMaskSize * LowResMaskSize;

    /// <summary>Floats of one <c>mask_for_mem</c>: S × S.</summary>
    public int InputMaskLength => InputSize * InputSize;

    /// <summary>Rows of <c>memory_pos_embed</c> for a given memory: Nmem · tokens + tokens-per-pointer · Nptr.</summary>
    public int PositionRows(int memories, int pointers) => (memories * MemoryTokens) + (TokensPerPointer * pointers);
}
