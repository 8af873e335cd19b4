using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// The shapes of the tensors every call binds at the same size, whatever the object count: made once per camera and
/// shared, read-only, by its encoder binding and every object lane (a binding copies a shape it keeps).
/// </summary>
internal sealed class FixedShapes(Sam2ModelInfo info)
{
    /// <summary>[1,3,S,S] normalised image.</summary>
    public long[] Image { get; } = [1, 3, info.InputSize, info.InputSize];

    /// <summary>[1,C,H,W] <c>pix_feat</c> and <c>vision_feats</c>.</summary>
    public long[] Feature { get; } = [1, info.FeatureChannels, info.FeatureSize, info.FeatureSize];

    /// <summary>[H·W,1,C] <c>vision_pos_embed</c>.</summary>
    public long[] Position { get; } = [info.MemoryTokens, 1, info.FeatureChannels];

    public long[] HighRes0 { get; } = [1, info.HighRes0Channels, info.HighRes0Size, info.HighRes0Size];

    public long[] HighRes1 { get; } = [1, info.HighRes1Channels, info.HighRes1Size, info.HighRes1Size];

    /// <summary>[slots,1,1,Cm] the memory encoder's temporal codes.</summary>
    public long[] Temporal { get; } = [info.MemorySlots, 1, 1, info.MemoryChannels];

    /// <summary>A scalar (the scalar attention form's conditioning distance).</summary>
    public long[] Scalar { get; } = [];
}
