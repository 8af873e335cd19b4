"""The wrappers (what the graphs compute) against SAM 2's own per-call methods, with a host
that follows design/SAM2-CONTRACT.md. This is where "SAM 2's semantics, not NVIDIA's" is
checked: mask choice and pointer token per prompt, binarised clicked masks, a single sigmoid,
the no-object embedding, memory order, temporal codes and pointer time positions.
"""
import torch

import graphs


def _max_diff(a, b):
    return float((a.double() - b.double()).abs().max())


def _decoder_cases(model, s):
    """(name, points or None, is initial conditioning frame). Points are (x, y, label)."""
    return [
        ("one click", [(0.3 * s, 0.4 * s, 1)], True),
        ("three clicks", [(0.3 * s, 0.4 * s, 1), (0.6 * s, 0.2 * s, 0), (0.5 * s, 0.5 * s, 1)], True),
        ("box", [(0.1 * s, 0.2 * s, 2), (0.7 * s, 0.8 * s, 3)], True),
        ("box and click", [(0.1 * s, 0.2 * s, 2), (0.7 * s, 0.8 * s, 3), (0.4 * s, 0.5 * s, 1)], True),
        ("tracking frame", None, False),
    ]


def _check_decoder(model, rnd, h):
    s, c = model.image_size, model.hidden_dim
    dec = graphs.MaskDecoder(model).eval()
    enc = graphs.MemoryEncoder(model).eval()
    hr0 = rnd(1, model.sam_mask_decoder.conv_s0.out_channels, 4 * h, 4 * h)
    hr1 = rnd(1, model.sam_mask_decoder.conv_s1.out_channels, 2 * h, 2 * h)
    pix = rnd(1, c, h, h)
    out = {}
    for name, pts, init in _decoder_cases(model, s):
        # An initial conditioning frame is decoded on feature + no_mem_embed; a tracking
        # frame on the memory-conditioned feature (any tensor will do here).
        embed = pix + model.no_mem_embed.view(1, c, 1, 1) if init else rnd(1, c, h, h)
        if pts is None:
            point_inputs = None
            coords, labels = torch.zeros(1, 1, 2), -torch.ones(1, 1)  # the host's padding point
        else:
            coords = torch.tensor([[p[0], p[1]] for p in pts]).view(1, -1, 2)
            labels = torch.tensor([[p[2] for p in pts]], dtype=torch.float32)
            point_inputs = {"point_coords": coords, "point_labels": labels.to(torch.int32)}

        multimask = model._use_multimask(init, point_inputs)
        _, _, ious, low, high, ptr, score = model._forward_sam_heads(
            backbone_features=embed, point_inputs=point_inputs, mask_inputs=None,
            high_res_features=[hr0, hr1], multimask_output=multimask)
        iou = ious.gather(1, ious.argmax(-1, keepdim=True)) if multimask else ious
        feats, pos = model._encode_new_memory(
            current_vision_feats=[pix.flatten(2).permute(2, 0, 1)], feat_sizes=[(h, h)],
            pred_masks_high_res=high, object_score_logits=score,
            is_mask_from_pts=point_inputs is not None)

        # The multimask variant against _forward_sam_heads with multimask_output: every candidate, and the
        # pointer of the one SAM 2 picks (argmax of the IoUs).
        mm_low, _, mm_ious, _, _, mm_ptr, mm_score = model._forward_sam_heads(
            backbone_features=embed, point_inputs=point_inputs, mask_inputs=None,
            high_res_features=[hr0, hr1], multimask_output=True)
        v_ptrs, v_low, v_ious, v_occ = graphs.MaskDecoderMultimask(model).eval()(coords, labels, embed, hr0, hr1)
        pick = int(mm_ious.argmax(-1))
        out[f"multimask decoder: {name}"] = {
            "low_res_multimasks": _max_diff(v_low, mm_low), "ious": _max_diff(v_ious, mm_ious),
            "obj_ptrs[chosen]": _max_diff(v_ptrs[:, pick], mm_ptr), "occ_logit": _max_diff(v_occ, mm_score),
        }

        g_ptr, g_mem, g_low, g_iou, g_occ = dec(coords, labels, embed, hr0, hr1)
        g_feats, g_pos, _ = enc(g_mem, pix, g_occ)
        present = "present" if float(score) > 0 else "absent"
        out[f"decoder+memory encoder: {name} ({present})"] = {
            "pred_mask": _max_diff(g_low, low), "iou": _max_diff(g_iou, iou),
            "obj_ptr": _max_diff(g_ptr, ptr), "occ_logit": _max_diff(g_occ, score),
            "maskmem_features": _max_diff(g_feats, feats),
            "maskmem_pos_enc": _max_diff(g_pos, pos[-1].flatten(2).permute(0, 2, 1)),
        }
    return out


def _check_mask_prompt(model, rnd, h):
    """The mask-prompt decoder against SAM 2's add_new_mask path: _use_mask_as_output on the
    raw feature (no memory, no no_mem_embed), then the preflight's memory encoding of the
    low-res mask upsampled and binarised (is_mask_from_pts=True). Rows without a mask must
    equal the plain decoder's."""
    s, c = model.image_size, model.hidden_dim
    dec = graphs.MaskDecoderMasks(model).eval()
    plain = graphs.MaskDecoder(model).eval()
    enc = graphs.MemoryEncoder(model).eval()
    hr0 = rnd(1, model.sam_mask_decoder.conv_s0.out_channels, 4 * h, 4 * h)
    hr1 = rnd(1, model.sam_mask_decoder.conv_s1.out_channels, 2 * h, 2 * h)
    pix = rnd(1, c, h, h)
    yy, xx = torch.meshgrid(torch.arange(s), torch.arange(s), indexing="ij")
    disc = (((xx - 0.4 * s) ** 2 + (yy - 0.55 * s) ** 2) < (0.2 * s) ** 2).float()
    out = {}
    for name, mask in (("disc", disc), ("ragged", (rnd(s, s) > 0.3).float()), ("empty", torch.zeros(s, s))):
        mask = mask.view(1, 1, s, s)
        low, _, ious, _, _, ptr, score = model._use_mask_as_output(pix, [hr0, hr1], mask)
        high = torch.nn.functional.interpolate(low, size=(s, s), mode="bilinear", align_corners=False)
        feats, pos = model._encode_new_memory(
            current_vision_feats=[pix.flatten(2).permute(2, 0, 1)], feat_sizes=[(h, h)],
            pred_masks_high_res=high, object_score_logits=score, is_mask_from_pts=True)
        coords, labels = torch.zeros(1, 1, 2), -torch.ones(1, 1)
        g_ptr, g_mem, g_low, g_iou, g_occ = dec(coords, labels, pix, hr0, hr1, mask, torch.ones(1, 1))
        g_feats, g_pos, _ = enc(g_mem, pix, g_occ)
        out[f"mask prompt: {name}"] = {
            "pred_mask": _max_diff(g_low, low), "iou": _max_diff(g_iou, ious),
            "obj_ptr": _max_diff(g_ptr, ptr), "occ_logit": _max_diff(g_occ, score),
            "maskmem_features": _max_diff(g_feats, feats),
            "maskmem_pos_enc": _max_diff(g_pos, pos[-1].flatten(2).permute(0, 2, 1)),
        }
    # has_mask_input = 0: the plain decoder, whatever the mask holds.
    coords = torch.tensor([[[0.3 * s, 0.4 * s]]])
    labels = torch.ones(1, 1)
    embed = pix + model.no_mem_embed.view(1, c, 1, 1)
    got = dec(coords, labels, embed, hr0, hr1, disc.view(1, 1, s, s), torch.zeros(1, 1))
    want = plain(coords, labels, embed, hr0, hr1)
    out["mask prompt: row without a mask"] = {
        n: _max_diff(a, b) for n, a, b in zip(("obj_ptr", "mask_for_mem", "pred_mask", "iou", "occ_logit"), got, want)}
    return out


def _entry(rnd, model, h):
    return {"maskmem_features": rnd(1, model.mem_dim, h, h),
            "maskmem_pos_enc": [rnd(1, model.mem_dim, h, h)],
            "obj_ptr": rnd(1, model.hidden_dim)}


def _host_memory(model, t, cond, non_cond):
    """What an EdgeSam2 host passes (contract, "Reference" policy): every conditioning frame
    with temporal code slot num_maskmem-1, then frame t-k for k = 1..num_maskmem-1 with slot
    k-1; pointers of every conditioning frame, then of t-1 ... t-(max_ptrs-1)."""
    slots = model.num_maskmem
    mems = [(e, slots - 1) for _, e in sorted(cond.items())]
    mems += [(non_cond[t - k], k - 1) for k in range(1, slots) if t - k in non_cond]
    ptrs = [(t - f, e["obj_ptr"]) for f, e in sorted(cond.items()) if f <= t]
    ptrs += [(k, non_cond[t - k]["obj_ptr"]) for k in range(1, model.max_obj_ptrs_in_encoder) if t - k in non_cond]
    tpos = model.maskmem_tpos_enc
    memory_1 = torch.stack([e["maskmem_features"][0] for e, _ in mems])[None]
    pos_rows = [e["maskmem_pos_enc"][-1].flatten(2).permute(0, 2, 1) + tpos[i].view(1, 1, -1) for e, i in mems]
    pos_rows.append(torch.zeros(1, 4 * len(ptrs), model.mem_dim))  # placeholder rows
    memory_0 = torch.cat([p for _, p in ptrs])[None]
    offsets = torch.tensor([[float(d) for d, _ in ptrs]])
    return memory_0, memory_1, torch.cat(pos_rows, dim=1), offsets


def _check_memory_attention(model, rnd, h):
    c = model.hidden_dim
    pix = rnd(1, c, h, h)
    pos = rnd(h * h, 1, c)
    vision_feats = pix + model.no_mem_embed.view(1, c, 1, 1)  # the encoder's output
    t = 9
    histories = {
        # one click on frame 0, tracked since: both forms can express it
        "memory attention: 1 conditioning frame": ({0}, ("scalar", "offsets")),
        # a second click on frame 5: only per-pointer offsets can date two cond pointers
        "memory attention: 2 conditioning frames": ({0, 5}, ("offsets",)),
    }
    out = {}
    for name, (cond_frames, forms) in histories.items():
        cond = {f: _entry(rnd, model, h) for f in sorted(cond_frames)}
        non_cond = {f: _entry(rnd, model, h) for f in range(1, t) if f not in cond_frames}
        expected = model._prepare_memory_conditioned_features(
            frame_idx=t, is_init_cond_frame=False,
            current_vision_feats=[pix.flatten(2).permute(2, 0, 1)], current_vision_pos_embeds=[pos],
            feat_sizes=[(h, h)],
            output_dict={"cond_frame_outputs": cond, "non_cond_frame_outputs": non_cond},
            num_frames=10 * model.max_obj_ptrs_in_encoder)
        memory_0, memory_1, mem_pos, offsets = _host_memory(model, t, cond, non_cond)
        for form in forms:
            wrapper = graphs.MemoryAttention(model, form).eval()
            ptr_time = offsets[0, 0] if form == "scalar" else offsets
            got = wrapper(vision_feats, pos, memory_0, memory_1, mem_pos, ptr_time)
            out[f"{name} ({form})"] = {"image_embed": _max_diff(got, expected)}
    return out


@torch.no_grad()
def check(model, seed=3):
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape):
        return torch.randn(*shape, generator=g)

    h = model.image_size // model.backbone_stride
    return {**_check_decoder(model, rnd, h), **_check_memory_attention(model, rnd, h),
            **_check_mask_prompt(model, rnd, h)}
