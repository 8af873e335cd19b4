namespace EdgeSam2.Tracking.Sam2;

/// <summary>
/// The four SAM 2 graphs as the tracker drives them (SAM2-CONTRACT.md). Every buffer belongs to the caller:
/// implementations read inputs and write outputs in place, sized by <see cref="Info"/> and the batch size.
/// </summary>
public interface ISam2Model : IDisposable
{
    /// <summary>Sizes read from the graphs and the manifest.</summary>
    Sam2ModelInfo Info { get; }

    /// <summary>Which execution provider each graph runs on, for status reports.</summary>
    string Provider { get; }

    /// <summary>Runs <c>image_encoder</c> on a normalised [1,3,S,S] image.</summary>
    void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features);

    /// <summary>
    /// Whether this model prepares frames itself (<see cref="EncodeFrame"/>: squash-resize and normalise on the
    /// encoder's provider). When false the caller prepares them with <see cref="Imaging.FrameNormalizer"/> and calls
    /// <see cref="EncodeImage"/>. A wrapper must forward this and <see cref="EncodeFrame"/>.
    /// </summary>
    bool PreparesFrames => false;

    /// <summary>
    /// Prepares a packed RGB24 <paramref name="width"/>×<paramref name="height"/> frame exactly as
    /// <see cref="Imaging.FrameNormalizer.ToModelInput"/> does and runs <c>image_encoder</c> on it. Only when
    /// <see cref="PreparesFrames"/> is true.
    /// </summary>
    void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features) =>
        throw new NotSupportedException("This model does not prepare frames: call EncodeImage with FrameNormalizer's output.");

    /// <summary>Runs <c>mask_decoder</c> for a batch of objects that share a point count.</summary>
    void DecodeMasks(DecoderBatch batch, ImageFeatures features);

    /// <summary>Runs <c>memory_attention</c> for a batch of objects with the same memory shape.</summary>
    void AttendMemory(AttentionBatch batch, ImageFeatures features);

    /// <summary>Runs <c>memory_encoder</c> for a batch of decoded masks.</summary>
    void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features);
}

/// <summary>Inputs and outputs of one <c>mask_decoder</c> call; B = <see cref="Batch"/>, P = <see cref="Points"/>.</summary>
public sealed class DecoderBatch
{
    /// <summary>Objects in this call.</summary>
    public int Batch { get; set; }

    /// <summary>Points per object (the same for every object in the call).</summary>
    public int Points { get; set; }

    /// <summary>[B,P,2] x,y in input-size coordinates, box corners first.</summary>
    public Memory<float> PointCoords { get; set; }

    /// <summary>[B,P] labels: 1 fg, 0 bg, 2 box top-left, 3 box bottom-right, −1 padding.</summary>
    public Memory<float> PointLabels { get; set; }

    /// <summary>[B,C,H,W] <c>vision_feats</c> (first prompt) or memory-attention output.</summary>
    public Memory<float> ImageEmbed { get; set; }

    /// <summary>
    /// [B,1,S,S] mask prompts, 0/1 at the input size, for a model whose decoder takes them
    /// (<see cref="Sam2ModelInfo.AcceptsMaskPrompts"/>); empty when no row has one (the model then feeds zeros).
    /// </summary>
    public Memory<float> MaskInput { get; set; }

    /// <summary>[B,1] 1 where the row is a mask prompt, else 0; empty together with <see cref="MaskInput"/>.</summary>
    public Memory<float> HasMaskInput { get; set; }

    /// <summary>Out [B,C] object pointers.</summary>
    public Memory<float> ObjectPointers { get; set; }

    /// <summary>Out [B,1,S,S] mask for the memory encoder.</summary>
    public Memory<float> MaskForMemory { get; set; }

    /// <summary>Out [B,1,L,L] low-resolution mask logits.</summary>
    public Memory<float> LowResMasks { get; set; }

    /// <summary>Out [B,1] predicted IoU.</summary>
    public Memory<float> Iou { get; set; }

    /// <summary>Out [B,1] object-score logits: present iff &gt; 0.</summary>
    public Memory<float> ObjectScores { get; set; }

    /// <summary>
    /// Multimask variant only (K = <see cref="Sam2ModelInfo.DecoderCandidates"/> &gt; 1), instead of
    /// <see cref="ObjectPointers"/>, <see cref="MaskForMemory"/>, <see cref="LowResMasks"/> and <see cref="Iou"/>:
    /// out [B,K,L,L] low-resolution logits of every candidate.
    /// </summary>
    public Memory<float> CandidateMasks { get; set; }

    /// <summary>Multimask variant: out [B,K] predicted IoU of every candidate.</summary>
    public Memory<float> CandidateIous { get; set; }

    /// <summary>Multimask variant: out [B,K,C] object pointer of every candidate.</summary>
    public Memory<float> CandidatePointers { get; set; }
}

/// <summary>Inputs and output of one <c>memory_attention</c> call.</summary>
public sealed class AttentionBatch
{
    /// <summary>Objects in this call.</summary>
    public int Batch { get; set; }

    /// <summary>Spatial memory frames per object (Nmem).</summary>
    public int Memories { get; set; }

    /// <summary>Object pointers per object (Nptr).</summary>
    public int Pointers { get; set; }

    /// <summary>[B,Nptr,C] object pointers, conditioning pointer first, then t−1, t−2, …</summary>
    public Memory<float> Memory0 { get; set; }

    /// <summary>[B,Nmem,Cm,H,W] spatial memory features.</summary>
    public Memory<float> Memory1 { get; set; }

    /// <summary>[B, Nmem·H·W + 4·Nptr, Cm] spatial + temporal position codes, then pointer placeholder rows.</summary>
    public Memory<float> MemoryPosEmbed { get; set; }

    /// <summary>Scalar form: frame distance to the conditioning frame (shared by the batch).</summary>
    public float CondFrameDistance { get; set; }

    /// <summary>Offsets form: [B,Nptr] frame distance of every pointer.</summary>
    public Memory<float> PointerOffsets { get; set; }

    /// <summary>Out [B,C,H,W] memory-conditioned image embedding.</summary>
    public Memory<float> ImageEmbed { get; set; }
}

/// <summary>Inputs and outputs of one <c>memory_encoder</c> call.</summary>
public sealed class MemoryEncoderBatch
{
    /// <summary>Objects in this call.</summary>
    public int Batch { get; set; }

    /// <summary>[B,1,S,S] decoder <c>mask_for_mem</c>.</summary>
    public Memory<float> MaskForMemory { get; set; }

    /// <summary>[B,1] decoder object-score logits.</summary>
    public Memory<float> ObjectScores { get; set; }

    /// <summary>Out [B,Cm,H,W] spatial memory.</summary>
    public Memory<float> Features { get; set; }

    /// <summary>Out [B,H·W,Cm] position encoding (the same for every frame: read once).</summary>
    public Memory<float> PositionEncoding { get; set; }

    /// <summary>Out [slots,1,1,Cm] temporal codes (constant: read once).</summary>
    public Memory<float> TemporalCode { get; set; }
}
