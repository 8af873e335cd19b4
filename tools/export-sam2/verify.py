"""Checks of exported graphs: against the eager PyTorch model, and against a model set's
interface (input/output names, element types, shapes)."""
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F

from onnx_export import as_tuple


def check_inputs(model, seed=2):
    """Inputs for the graph-vs-PyTorch check. Sizes differ from the tracing examples so the
    check also proves that B, P, Nptr and Nmem really are dynamic."""
    s, c, mem = model.image_size, model.hidden_dim, model.mem_dim
    h = s // model.backbone_stride
    hw = h * h
    hr0 = model.sam_mask_decoder.conv_s0.out_channels
    hr1 = model.sam_mask_decoder.conv_s1.out_channels
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape):
        return torch.randn(*shape, generator=g)

    b, n_ptr, n_mem = 4, 3, 3
    # Rows: one click (multimask), three clicks (single mask + stability fallback),
    # a box (two points: single mask, binarised memory), a tracking frame (padding only).
    labels = torch.tensor([[1, -1, -1], [1, 0, 1], [2, 3, -1], [-1, -1, -1]], dtype=torch.float32)
    coords = torch.rand(b, 3, 2, generator=g) * s
    coords[3] = 0
    ma = [rnd(1, c, h, h), rnd(hw, 1, c), rnd(b, n_ptr, c), rnd(b, n_mem, mem, h, h),
          rnd(b, n_mem * hw + 4 * n_ptr, mem)]
    low = rnd(b, 1, s // 4, s // 4)
    hr = F.interpolate(low, size=(s, s), mode="bilinear", align_corners=False)
    decoder = [coords, labels, rnd(b, c, h, h), rnd(1, hr0, 4 * h, 4 * h), rnd(1, hr1, 2 * h, 2 * h)]
    # Mask prompts on the tracking-frame row (padding point only, as SAM 2 decodes a mask) and,
    # empty, on the box row; the click rows carry a mask that has_mask_input = 0 must ignore.
    masks = (rnd(b, 1, s, s) > 1.0).float()
    masks[3, 0, s // 8: s // 2, s // 4: 3 * s // 4] = 1.0
    masks[2] = 0.0
    has = torch.tensor([[0.0], [0.0], [1.0], [1.0]])
    return {
        "image_encoder": [rnd(1, 3, s, s)],
        "mask_decoder": decoder,
        "mask_decoder_multimask": decoder,
        "mask_decoder_masks": decoder + [masks, has],
        "memory_attention": ma + [torch.tensor(4.0)],
        "memory_attention_offsets": ma + [torch.tensor([[6.0, 1, 2], [3, 1, 2], [12, 2, 5], [1, 2, 3]])],
        "memory_encoder": [torch.sigmoid(hr) * 20 - 10, rnd(1, c, h, h), torch.tensor([[2.0], [-1.0], [0.5], [-3.0]])],
    }


def compare_with_pytorch(runner, out_dir, files, specs, model):
    """Max |ONNX Runtime - PyTorch| per output of every graph. PyTorch here is SAM 2's
    unpatched code, so the export shims are checked too."""
    inputs = check_inputs(model)
    results = {}
    for key, (wrapper, in_spec, out_spec) in specs.items():
        wrapper.eval()
        args = inputs[key]
        with torch.no_grad():
            ref = [o.numpy() for o in as_tuple(wrapper(*args))]
        sess = runner.session(os.path.join(out_dir, files[key]))
        got = runner.run(sess, [(n, a.numpy()) for (n, _, _), a in zip(in_spec, args)], [n for n, _ in out_spec])
        per_output = {}
        for (name, _), r, o in zip(out_spec, ref, got):
            if r.shape != o.shape:
                raise SystemExit(f"{key}.{name}: ONNX shape {o.shape}, PyTorch {r.shape}")
            per_output[name] = _diff(key, name, r, o, ref, model)
        results[key] = per_output
    return results


def _diff(key, name, r, o, ref, model):
    d = np.abs(r.astype(np.float64) - o)
    if key in ("mask_decoder", "mask_decoder_masks") and name == "mask_for_mem":
        # Binarised rows are ±10: a logit within float noise of 0 may land on either side.
        # Count such flips apart and leave them out of the maximum.
        logits = F.interpolate(torch.from_numpy(ref[2]), size=r.shape[-2:], mode="bilinear",
                               align_corners=False).numpy()
        flips = (d > 1.0) & (np.abs(logits) < 1e-4)
        d = np.where(flips, 0.0, d)
        return {"max_abs": float(d.max()), "threshold_flips": int(flips.sum())}
    return {"max_abs": float(d.max())}


def interface(path):
    """[(direction, name, element type, shape)] with dynamic sizes by name."""
    m = onnx.load(path, load_external_data=False)
    rows = []
    for direction, values in (("in", m.graph.input), ("out", m.graph.output)):
        inits = {i.name for i in m.graph.initializer}
        for v in values:
            if v.name in inits:
                continue
            tt = v.type.tensor_type
            dims = [d.dim_param or d.dim_value for d in tt.shape.dim]
            rows.append((direction, v.name, onnx.TensorProto.DataType.Name(tt.elem_type), dims))
    return rows


def compare_interfaces(out_dir, files, ref_dir, ref_files):
    """Per graph: None when the interface is the reference's, else both interfaces."""
    report = {}
    for key, f in files.items():
        if key not in ref_files:
            continue
        mine = interface(os.path.join(out_dir, f))
        theirs = interface(os.path.join(ref_dir, ref_files[key]))
        report[key] = None if mine == theirs else {"exported": mine, "reference": theirs}
    return report
