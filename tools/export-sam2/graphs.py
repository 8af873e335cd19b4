"""The four graphs of the EdgeSam2 contract (design/SAM2-CONTRACT.md), as thin wrappers that
call SAM 2's own modules and methods. Only the glue that SAM 2 does in Python per call (which
mask to take, whether to binarise, where pointers sit in time) is written here, per batch row.
"""
import torch
import torch.nn.functional as F

from sam2.modeling.sam2_base import NO_OBJ_SCORE
from sam2.modeling.sam2_utils import get_1d_sine_pe

from sam2_loader import SetupError


def check_supported(model):
    """The contract assumes the SAM 2 / 2.1 release configs' flags; refuse anything else
    rather than export a graph that silently computes something different."""
    need = {
        "use_high_res_features_in_sam": True,
        "use_obj_ptrs_in_encoder": True,
        "pred_obj_scores": True,
        "directly_add_no_mem_embed": True,
        "multimask_output_in_sam": True,
        # The decoder cannot tell an initial conditioning frame from a tracking frame, so
        # the multimask rule must not depend on it.
        "multimask_output_for_tracking": True,
        "soft_no_obj_ptr": False,
        "non_overlap_masks_for_mem_enc": False,
        "memory_temporal_stride_for_eval": 1,
    }
    if getattr(model, "spatial_perceiver", None) is not None:
        # EdgeTAM: a perceiver compresses each memory frame to 512 tokens, which the
        # contract's memory_1 [B, Nmem, C, H, W] cannot carry.
        raise SetupError("spatial_perceiver (EdgeTAM) memories do not fit the contract's memory_1; not supported")
    bad = {k: getattr(model, k) for k, v in need.items() if getattr(model, k) != v}
    if bad:
        raise SetupError(f"config flags outside what the contract can express: {bad}")
    if model.hidden_dim % model.mem_dim:
        raise SetupError("pointer width must be a multiple of the memory width")


class ImageEncoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, image):
        backbone_out = self.m.forward_image(image)  # conv_s0 / conv_s1 applied here
        _, feats, pos, sizes = self.m._prepare_backbone_features(backbone_out)
        h, w = sizes[-1]
        top = feats[-1]  # [HW, 1, C]
        pix_feat = top.permute(1, 2, 0).reshape(1, -1, h, w)
        # SAM 2 decodes an initial conditioning frame on feature + no_mem_embed
        # (directly_add_no_mem_embed); the host passes this as the decoder's image_embed.
        vision_feats = (top + self.m.no_mem_embed).permute(1, 2, 0).reshape(1, -1, h, w)
        fpn = backbone_out["backbone_fpn"]
        return pix_feat, fpn[0], fpn[1], vision_feats, pos[-1]


def _predict(m, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense):
    """One pass of SAM 2's mask decoder on given prompt embeddings: all four masks, IoUs, tokens, object score."""
    b = image_embed.shape[0]
    high_res = [high_res_feats_0.expand(b, -1, -1, -1), high_res_feats_1.expand(b, -1, -1, -1)]
    return m.sam_mask_decoder.predict_masks(
        image_embeddings=image_embed,
        image_pe=m.sam_prompt_encoder.get_dense_pe(),
        sparse_prompt_embeddings=sparse,
        dense_prompt_embeddings=dense,
        repeat_image=False,
        high_res_features=high_res,
    )


def _decode(m, point_coords, point_labels, image_embed, high_res_feats_0, high_res_feats_1):
    """SAM 2's prompt encoder (points only) and one mask-decoder pass."""
    sparse, dense = m.sam_prompt_encoder(points=(point_coords, point_labels), boxes=None, masks=None)
    return _predict(m, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense)


class MaskDecoder(torch.nn.Module):
    """SAM 2's _forward_sam_heads plus the memory-mask preparation of _encode_new_memory,
    with SAM 2's per-call choices made per row."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, point_coords, point_labels, image_embed, high_res_feats_0, high_res_feats_1):
        sparse, dense = self.m.sam_prompt_encoder(points=(point_coords, point_labels), boxes=None, masks=None)
        return self.decode(point_labels, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense, None)

    def decode(self, point_labels, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense, mask_rows):
        """One decoder pass and SAM 2's per-row choices. `mask_rows` [B, 1] bool (or None):
        rows decoded with a mask prompt, which SAM 2 decodes with multimask off (mask 0 and
        token 0) whatever the points."""
        m = self.m
        dec = m.sam_mask_decoder
        b = image_embed.shape[0]
        masks, ious, tokens, occ = _predict(m, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense)

        # SAM 2's _use_multimask counts the prompt's points (a box is two); padding (-1) is
        # not a point: a tracking frame has none.
        n_points = (point_labels != -1).sum(dim=1)
        multi = (n_points >= m.multimask_min_pt_num) & (n_points <= m.multimask_max_pt_num)

        # Multimask path: the best of masks 1..3 by predicted IoU (argmax: first maximum).
        best = torch.argmax(ious[:, 1:], dim=-1) + 1
        # Single-mask path: mask 0, or the best multimask one where mask 0 is unstable.
        if dec.dynamic_multimask_via_stability:
            single_mask, single_iou = dec._dynamic_multimask_via_stability(masks, ious)
        else:
            single_mask, single_iou = masks[:, 0:1], ious[:, 0:1]

        idx = best.view(b, 1)
        multi_mask = torch.gather(masks, 1, idx.view(b, 1, 1, 1).expand(-1, 1, masks.shape[2], masks.shape[3]))
        multi_iou = torch.gather(ious, 1, idx)
        sel = multi.view(b, 1)
        if mask_rows is not None:
            sel = sel & ~mask_rows
        low_res = torch.where(sel.view(b, 1, 1, 1), multi_mask, single_mask)
        iou = torch.where(sel, multi_iou, single_iou)

        # The pointer token: with multimask output and use_multimask_token_for_obj_ptr, the
        # chosen mask's token; otherwise always token 0 (even after a stability fallback).
        token0 = tokens[:, 0]
        if m.use_multimask_token_for_obj_ptr:
            token_best = torch.gather(tokens, 1, idx.view(b, 1, 1).expand(-1, 1, tokens.shape[2]))[:, 0]
            token = torch.where(sel, token_best, token0)
        else:
            token = token0

        present = occ > 0
        low_res = torch.where(present.view(b, 1, 1, 1), low_res, torch.full_like(low_res, NO_OBJ_SCORE))
        high_res_mask = F.interpolate(
            low_res, size=(m.image_size, m.image_size), mode="bilinear", align_corners=False
        )

        obj_ptr = m.obj_ptr_proj(token)
        lam = present.float()
        if m.fixed_no_obj_ptr:
            obj_ptr = lam * obj_ptr
        obj_ptr = obj_ptr + (1 - lam) * m.no_obj_ptr

        # _encode_new_memory's input: clicked masks binarised (video predictor setting),
        # others through sigmoid; then SAM 2's scale and bias. The memory encoder graph
        # takes this as is (no second sigmoid).
        soft = torch.sigmoid(high_res_mask)
        if m.binarize_mask_from_pts_for_mem_enc:
            hard = (high_res_mask > 0).float()
            clicked = (n_points > 0).view(b, 1, 1, 1)
            mask_for_mem = torch.where(clicked, hard, soft)
        else:
            mask_for_mem = soft
        mask_for_mem = mask_for_mem * m.sigmoid_scale_for_mem_enc + m.sigmoid_bias_for_mem_enc

        return obj_ptr, mask_for_mem, low_res, iou, occ


class MaskDecoderMultimask(torch.nn.Module):
    """The multimask variant (models/README.md): SAM 2's _forward_sam_heads with multimask_output
    on every row, returning all three candidates (masks 1..3, as SAM 2 chooses among them), their
    predicted IoUs, each candidate's object pointer and the object score. The host chooses a
    candidate (SAMURAI-style) and makes mask_for_mem from it, so there is none here."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, point_coords, point_labels, image_embed, high_res_feats_0, high_res_feats_1):
        m = self.m
        b = image_embed.shape[0]
        masks, ious, tokens, occ = _decode(m, point_coords, point_labels, image_embed, high_res_feats_0, high_res_feats_1)
        masks, ious = masks[:, 1:], ious[:, 1:]
        # SAM 2 takes the pointer from the chosen mask's token with use_multimask_token_for_obj_ptr,
        # else always from token 0.
        tokens = tokens[:, 1:] if m.use_multimask_token_for_obj_ptr else tokens[:, 0:1].expand(-1, 3, -1)
        present = occ > 0
        masks = torch.where(present.view(b, 1, 1, 1), masks, torch.full_like(masks, NO_OBJ_SCORE))
        ptrs = m.obj_ptr_proj(tokens)
        lam = present.float().view(b, 1, 1)
        if m.fixed_no_obj_ptr:
            ptrs = lam * ptrs
        ptrs = ptrs + (1 - lam) * m.no_obj_ptr
        return ptrs, masks, ious, occ


def antialias_matrix(n_in, n_out):
    """[n_out, n_in] weights of F.interpolate(mode="bilinear", antialias=True,
    align_corners=False) along one axis when downsampling: a triangle filter as wide as the
    scale, cut at the border and renormalised, as PyTorch computes it. Applied on both axes
    as A·X·Aᵀ it exports as two MatMuls (ONNX's Resize has no antialias at opset 17)."""
    scale = n_in / n_out
    a = torch.zeros(n_out, n_in, dtype=torch.float64)
    for i in range(n_out):
        center = scale * (i + 0.5)
        lo = max(int(center - scale + 0.5), 0)
        hi = min(int(center + scale + 0.5), n_in)
        for j in range(lo, hi):
            a[i, j] = max(0.0, 1.0 - abs((j - center + 0.5) / scale))
        a[i] /= a[i].sum()
    return a.float()


class MaskDecoderMasks(MaskDecoder):
    """The decoder with SAM 2's mask prompt (`add_new_mask`): rows with has_mask_input = 1
    follow _use_mask_as_output (use_mask_input_as_output_without_sam, as in every SAM 2 /
    2.1 release config). The mask itself is the output (20·m − 10, antialiased down to the
    low-res grid), its presence is whether any pixel is set, the predicted IoU is 1, and the
    pointer comes from a decoder pass on the mask through SAM 2's learned `mask_downsample`,
    which is why the graph takes the S×S mask and not low-res logits. mask_for_mem is what
    propagate_in_video's preflight encodes for such a frame: the low-res mask upsampled and
    binarised. Other rows are exactly the plain decoder's."""

    def __init__(self, model):
        super().__init__(model)
        s = model.image_size
        self.register_buffer("aa", antialias_matrix(s, s // 4), persistent=False)

    def forward(self, point_coords, point_labels, image_embed, high_res_feats_0, high_res_feats_1,
                mask_input, has_mask_input):
        m = self.m
        b = image_embed.shape[0]
        rows = has_mask_input > 0.5
        pe = m.sam_prompt_encoder
        sparse, no_mask = pe(points=(point_coords, point_labels), boxes=None, masks=None)
        with_mask = pe._embed_masks(m.mask_downsample(mask_input))
        dense = torch.where(rows.view(b, 1, 1, 1), with_mask, no_mask)
        ptr, mem, low, iou, occ = self.decode(
            point_labels, image_embed, high_res_feats_0, high_res_feats_1, sparse, dense, rows)

        m_low = torch.matmul(torch.matmul(self.aa, mask_input * 20.0 - 10.0), self.aa.t())
        lam = (mask_input.flatten(1).amax(dim=1, keepdim=True) > 0).float()
        m_occ = 20.0 * lam - 10.0
        m_ptr = lam * ptr if m.fixed_no_obj_ptr else ptr
        m_ptr = m_ptr + (1 - lam) * m.no_obj_ptr
        m_hr = F.interpolate(m_low, size=(m.image_size, m.image_size), mode="bilinear", align_corners=False)
        m_mem = (m_hr > 0).float() if m.binarize_mask_from_pts_for_mem_enc else torch.sigmoid(m_hr)
        m_mem = m_mem * m.sigmoid_scale_for_mem_enc + m.sigmoid_bias_for_mem_enc

        r4 = rows.view(b, 1, 1, 1)
        return (
            torch.where(rows, m_ptr, ptr),
            torch.where(r4, m_mem, mem),
            torch.where(r4, m_low, low),
            torch.where(rows, torch.ones_like(iou), iou),
            torch.where(rows, m_occ, occ),
        )


class MemoryAttention(torch.nn.Module):
    """SAM 2's _prepare_memory_conditioned_features from the step where the memory list is
    assembled (the host assembles it, see the contract) to the conditioned feature.

    form "scalar": pointer frame distances [cond_frame_id_diff, 1, 2, ...];
    form "offsets": obj_ptr_offsets [B, Nptr] gives every distance.
    """

    def __init__(self, model, form):
        super().__init__()
        self.m = model
        self.form = form

    def forward(self, current_vision_feat, current_vision_pos_embed, memory_0, memory_1, memory_pos_embed, ptr_time):
        m = self.m
        b, n_ptr, c = memory_0.shape
        n_mem = memory_1.shape[1]
        mem_dim = memory_1.shape[2]
        h, w = current_vision_feat.shape[-2:]
        hw = h * w

        # SAM 2 attends from the raw feature; the encoder output has no_mem_embed added.
        curr = current_vision_feat.flatten(2).permute(2, 0, 1) - m.no_mem_embed
        curr = curr.expand(-1, b, -1)
        curr_pos = current_vision_pos_embed.expand(-1, b, -1)

        spatial = memory_1.flatten(3).permute(1, 3, 0, 2).reshape(n_mem * hw, b, mem_dim)
        spatial_pos = memory_pos_embed[:, : n_mem * hw].transpose(0, 1)

        # Pointer time positions, normalised by max_obj_ptrs_in_encoder - 1 as SAM 2 does
        # for any video of at least that many frames.
        if self.form == "scalar":
            steps = torch.ones_like(memory_0[0, :, 0]).cumsum(0) - 1  # 0, 1, ..., Nptr-1
            pos = torch.cat((ptr_time.reshape(1).to(steps.dtype), steps[1:]))
            pos = pos.view(n_ptr, 1).expand(-1, b)
        else:
            pos = ptr_time.transpose(0, 1).to(memory_0.dtype)
        if m.add_tpos_enc_to_obj_ptrs:
            t_diff_max = m.max_obj_ptrs_in_encoder - 1
            tpos_dim = c if m.proj_tpos_enc_in_obj_ptrs else mem_dim
            obj_pos = m.obj_ptr_tpos_proj(get_1d_sine_pe(pos / t_diff_max, dim=tpos_dim))  # [Nptr, B, mem]
        else:
            # SAM 2.0 gives pointers no time encoding. Zeros derived from the time input keep
            # that input in the graph, so both forms keep the contract's interface.
            obj_pos = (pos * 0).unsqueeze(-1).expand(-1, -1, mem_dim)

        ptrs = memory_0.transpose(0, 1)  # [Nptr, B, C]
        split = c // mem_dim
        if split > 1:
            # A pointer becomes `split` memory-width tokens, each with the pointer's position.
            ptrs = ptrs.reshape(n_ptr, b, split, mem_dim).permute(0, 2, 1, 3).flatten(0, 1)
            obj_pos = obj_pos.unsqueeze(1).expand(-1, split, -1, -1).flatten(0, 1)

        memory = torch.cat((spatial, ptrs), dim=0)
        memory_pos = torch.cat((spatial_pos, obj_pos), dim=0)
        out = m.memory_attention(
            curr=curr, curr_pos=curr_pos, memory=memory, memory_pos=memory_pos,
            num_obj_ptr_tokens=ptrs.shape[0],
        )
        return out.permute(1, 2, 0).reshape(b, c, h, w)


class MemoryEncoder(torch.nn.Module):
    """SAM 2's _encode_new_memory after the mask preparation (done in the decoder graph)."""

    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, mask_for_mem, pix_feat, occ_logit):
        m = self.m
        b = mask_for_mem.shape[0]
        out = m.memory_encoder(pix_feat.expand(b, -1, -1, -1), mask_for_mem, skip_mask_sigmoid=True)
        feats = out["vision_features"]
        pos = out["vision_pos_enc"][-1].flatten(2).permute(0, 2, 1)  # [B, HW, mem]
        if m.no_obj_embed_spatial is not None:
            absent = 1 - (occ_logit > 0).float()
            feats = feats + absent[..., None, None] * m.no_obj_embed_spatial[..., None, None]
        else:
            # SAM 2.0 has no no-object embedding. Adding zeros derived from occ_logit keeps
            # that input in the graph, so the interface stays the contract's.
            feats = feats + (occ_logit * 0)[..., None, None]
        return feats, pos, m.maskmem_tpos_enc
