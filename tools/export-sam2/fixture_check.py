"""Parity with the reference fixture (shared/reference/sam2-micro): rebuild its weights, then
run the fixture's own graphs against this tool's PyTorch wrappers and against this tool's
exported graphs.

The fixture's weights are seed-0 random weights of the micro config, rescaled once (see
random_weights.py); the score head's shifted bias is read back from the fixture's decoder.
Every named initializer of the fixture is then compared with the rebuilt model.
"""
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from onnx_export import as_tuple
from random_weights import rescale_like_fixture
from verify import check_inputs

SCORE_BIAS = "m.sam_mask_decoder.pred_obj_score_head.layers.2.bias"


def fixture_files(fixture_dir):
    """Graph key -> file name, from the fixture's two manifests."""
    files = {}
    for manifest, ma_key, dec_key in (("manifest.json", "memory_attention", "mask_decoder"),
                                      ("manifest.offsets.json", "memory_attention_offsets", "mask_decoder"),
                                      ("manifest.masks.json", "memory_attention", "mask_decoder_masks")):
        path = os.path.join(fixture_dir, manifest)
        if manifest == "manifest.masks.json" and not os.path.exists(path):
            continue  # a fixture made before the mask-prompt decoder
        with open(path) as f:
            doc = json.load(f)
        for role, entry in doc["graphs"].items():
            key = {"memory_attention": ma_key, "mask_decoder": dec_key}.get(role, role)
            files[key] = entry["file"]
    return files


def rebuild_weights(model, fixture_dir, files):
    """Apply the fixture's rescale, then compare every named initializer ('m.<parameter>').
    Returns (number compared, largest |difference|)."""
    dec = onnx.load(os.path.join(fixture_dir, files["mask_decoder"]))
    bias = {i.name: numpy_helper.to_array(i) for i in dec.graph.initializer}[SCORE_BIAS]
    rescale_like_fixture(model, score_bias=float(bias.reshape(-1)[0]))
    state = model.state_dict()
    compared, worst = 0, 0.0
    for key, f in files.items():
        for init in onnx.load(os.path.join(fixture_dir, f)).graph.initializer:
            if not init.name.startswith("m."):
                continue  # anonymous constants (transposed MatMul weights, folded values)
            ours = state[init.name[2:]].numpy()
            worst = max(worst, float(np.abs(ours - numpy_helper.to_array(init)).max()))
            compared += 1
    return compared, worst


def run_parity(runner, specs, model, fixture_dir, files, out_dir=None, our_files=None):
    """Max |difference| per output: fixture graph vs PyTorch wrapper, and, when out_dir is
    given, fixture graph vs this tool's graph."""
    inputs = check_inputs(model)
    report = {}
    for key, (wrapper, in_spec, out_spec) in specs.items():
        if key not in files:
            continue  # a graph the fixture has no counterpart of
        wrapper.eval()
        args = inputs[key]
        feeds = [(n, a.numpy()) for (n, _, _), a in zip(in_spec, args)]
        names = [n for n, _ in out_spec]
        theirs = runner.run(runner.session(os.path.join(fixture_dir, files[key])), feeds, names)
        with torch.no_grad():
            ref = [o.numpy() for o in as_tuple(wrapper(*args))]
        row = {n: {"vs_pytorch": float(np.abs(t - r).max())} for n, t, r in zip(names, theirs, ref)}
        if out_dir:
            ours = runner.run(runner.session(os.path.join(out_dir, our_files[key])), feeds, names)
            for n, t, o in zip(names, theirs, ours):
                row[n]["vs_export"] = float(np.abs(t - o).max())
        report[key] = row
    return report
