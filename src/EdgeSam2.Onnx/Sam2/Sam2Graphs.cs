namespace EdgeSam2.Onnx.Sam2;

/// <summary>The contract's module and tensor names (SAM2-CONTRACT.md, NVIDIA form), in one place.</summary>
internal static class Sam2Graphs
{
    public const string ImageEncoder = "image_encoder";
    public const string MaskDecoder = "mask_decoder";
    public const string MemoryAttention = "memory_attention";
    public const string MemoryEncoder = "memory_encoder";

    public static readonly string[] Modules = [ImageEncoder, MaskDecoder, MemoryAttention, MemoryEncoder];

    // image_encoder
    public const string Image = "image";
    public const string PixFeat = "pix_feat";
    public const string HighResFeat0 = "high_res_feat0";
    public const string HighResFeat1 = "high_res_feat1";
    public const string VisionFeats = "vision_feats";
    public const string VisionPosEmbed = "vision_pos_embed";

    // mask_decoder
    public const string PointCoords = "point_coords";
    public const string PointLabels = "point_labels";
    public const string ImageEmbed = "image_embed";
    public const string HighResFeats0 = "high_res_feats_0";
    public const string HighResFeats1 = "high_res_feats_1";
    public const string MaskInput = "mask_input"; // optional, with HasMaskInput: mask prompts
    public const string HasMaskInput = "has_mask_input";
    public const string ObjPtr = "obj_ptr";
    public const string MaskForMem = "mask_for_mem";
    public const string PredMask = "pred_mask";
    public const string Iou = "iou";
    public const string OccLogit = "occ_logit";

    // mask_decoder, multimask variant (instead of obj_ptr, mask_for_mem, pred_mask and iou)
    public const string LowResMultimasks = "low_res_multimasks";
    public const string Ious = "ious";
    public const string ObjPtrs = "obj_ptrs";

    // memory_attention
    public const string CurrentVisionFeat = "current_vision_feat";
    public const string CurrentVisionPosEmbed = "current_vision_pos_embed";
    public const string Memory0 = "memory_0";
    public const string Memory1 = "memory_1";
    public const string MemoryPosEmbed = "memory_pos_embed";
    public const string CondFrameIdDiff = "cond_frame_id_diff";
    public const string ObjPtrOffsets = "obj_ptr_offsets";

    // memory_encoder
    public const string MaskmemFeatures = "maskmem_features";
    public const string MaskmemPosEnc = "maskmem_pos_enc";
    public const string TemporalCode = "temporal_code";
}
