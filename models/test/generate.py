#!/usr/bin/python3
"""Generates EdgeSam2's SAM 2-contract test models (ONNX opset 17) and their manifests.

Run with Debian's python3-onnx: `/usr/bin/python3 models/test/generate.py --out models/test`.
Output is byte-for-byte reproducible; CI regenerates it and compares (`make models-check`).

The graphs carry the contract's exact tensor names, ranks and dtypes (SAM2-CONTRACT.md), at a smaller
size (input 512, feature grid 32, 64 feature channels, 16 memory channels). They are not neural
networks: they segment by colour, and they take the object's LOCATION only from the memory the host
passes, so a host that orders, dates or stores memory wrongly loses the object. models/README.md
explains each graph.
"""
import argparse
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# ---- Sizes (the host reads every one of them from the graphs or the manifest) -------------------
S = 512          # input size (1024 in SAM 2)
STRIDE = 16      # backbone stride: feature grid = S / 16
HF = S // STRIDE # 32: feature / memory grid (64 in SAM 2)
HW = HF * HF     # tokens per memory frame (4096 in SAM 2)
L = S // 4       # 128: low-res mask and high_res_feat0 grid (256 in SAM 2)
L1 = S // 8      # 64: high_res_feat1 grid (128 in SAM 2)
C = 64           # feature channels (256 in SAM 2)
C0 = 8           # high_res_feat0 channels (32 in SAM 2)
C1 = 16          # high_res_feat1 channels (64 in SAM 2)
CM = 16          # memory channels (64 in SAM 2); C / CM = 4 tokens per object pointer
SLOTS = 7        # memory slots: temporal_code entries
MAX_PTRS = 16
TEMPORAL_CH = 8  # memory_pos_embed channels 8..14 carry the one-hot temporal code

# ---- Behaviour constants -------------------------------------------------------------------------
COLOUR_TAU = 1.0        # colour distance (normalised units) at which the mask logit crosses 0
COLOUR_GAIN = 8.0
GATE_GAIN = 40.0        # logit outside the search gate: -20
POINT_RADIUS = 64.0     # a positive click gates a disc of this radius (input pixels)
NEG_RADIUS = 24.0       # a negative click removes a disc of this radius
BOX_MARGIN = 8.0
ANCHOR_SIGMA = 3.0      # colour is sampled in a Gaussian this wide around a click / box centre
MIN_AREA = 24.0         # low-res cells a mask needs to count as present
STRONG_LOGIT = 2.0      # cells above this count as confident for the `iou` estimate
NO_OBJ_SCORE = -1024.0  # SAM 2's placeholder logit for an absent object
# Search-gate dilation (memory grid cells) by the age in frames of the memory it comes from:
# the older the memory, the wider the gate, so an object that moved while hidden is found again.
DILATION_BY_AGE = [1, 2, 4, 5, 6, 8, 9]
MAX_DILATION = max(DILATION_BY_AGE)
RECENCY_SHARPNESS = 30.0
EMPTY_MEMORY_AREA = 2.0  # memory frames whose mask covers fewer grid cells count as empty

F = TensorProto.FLOAT
I64 = TensorProto.INT64


class Graph:
    """A small builder over onnx.helper that names intermediate tensors automatically."""

    def __init__(self, name):
        self.name = name
        self.nodes, self.inits, self.inputs, self.outputs = [], [], [], []
        self.count = 0

    def fresh(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def input(self, name, shape):
        self.inputs.append(helper.make_tensor_value_info(name, F, shape))
        return name

    def output(self, name, src, shape):
        self.nodes.append(helper.make_node("Identity", [src], [name], name=f"out_{name}"))
        self.outputs.append(helper.make_tensor_value_info(name, F, shape))

    def const(self, value, hint="c", dtype=np.float32):
        name = self.fresh(hint)
        self.inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def ints(self, values):
        return self.const(np.asarray(values, dtype=np.int64), "i", np.int64)

    def op(self, op_type, inputs, hint=None, **attrs):
        out = self.fresh(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    # Shorthands for the operators the graphs use.
    def add(self, a, b): return self.op("Add", [a, b])
    def sub(self, a, b): return self.op("Sub", [a, b])
    def mul(self, a, b): return self.op("Mul", [a, b])
    def div(self, a, b): return self.op("Div", [a, b])
    def maximum(self, a, b): return self.op("Max", [a, b])
    def minimum(self, a, b): return self.op("Min", [a, b])
    def relu(self, a): return self.op("Relu", [a])
    def floatof(self, a): return self.op("Cast", [a], to=F)
    def greater(self, a, b): return self.floatof(self.op("Greater", [a, b]))
    def less(self, a, b): return self.floatof(self.op("Less", [a, b]))
    def equal(self, a, b): return self.floatof(self.op("Equal", [a, b]))
    def sum_over(self, a, axes, keep=1): return self.op("ReduceSum", [a, self.ints(axes)], keepdims=keep)
    def max_over(self, a, axes, keep=1): return self.op("ReduceMax", [a], axes=axes, keepdims=keep)
    def mean_over(self, a, axes, keep=1): return self.op("ReduceMean", [a], axes=axes, keepdims=keep)
    def reshape(self, a, shape): return self.op("Reshape", [a, self.ints(shape)])
    def concat(self, parts, axis): return self.op("Concat", parts, axis=axis)
    def avgpool(self, a, k): return self.op("AveragePool", [a], kernel_shape=[k, k], strides=[k, k])
    def dilate(self, a): return self.op("MaxPool", [a], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1])
    def slice(self, a, start, end, axis):
        return self.op("Slice", [a, self.ints([start]), self.ints([end]), self.ints([axis])])
    def pad_channels(self, a, channels_after, axis_count):
        pads = [0] * (2 * axis_count)
        pads[axis_count + 1] = channels_after
        return self.op("Pad", [a, self.ints(pads), self.const(0.0)])
    def upsample(self, a, factor):
        return self.op("Resize", [a, "", self.const([1, 1, factor, factor])], mode="linear",
                       coordinate_transformation_mode="half_pixel")

    def model(self):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_operatorsetid("", 17)],
                                  producer_name="edgesam2-test-models", producer_version="1")
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        return model


def grid(n, cell):
    """Cell-centre coordinates of an n×n grid of `cell`-pixel cells, as [1,1,n,n] x and y."""
    centres = (np.arange(n, dtype=np.float32) + 0.5) * cell
    gy, gx = np.meshgrid(centres, centres, indexing="ij")
    return gx[None, None], gy[None, None]


def memory_position_code():
    """maskmem_pos_enc: a constant grid code in channels 4-5; channels 8-15 stay free for time."""
    code = np.zeros((1, HW, CM), np.float32)
    gx, gy = grid(HF, 1.0 / HF)
    code[0, :, 4] = gx.reshape(-1)
    code[0, :, 5] = gy.reshape(-1)
    return code


def temporal_codes():
    """temporal_code [7,1,1,CM]: slot s is a one-hot in channel TEMPORAL_CH + s."""
    codes = np.zeros((SLOTS, 1, 1, CM), np.float32)
    for s in range(SLOTS):
        codes[s, 0, 0, TEMPORAL_CH + s] = 1.0
    return codes


def no_memory_embedding():
    embed = np.zeros((1, C, 1, 1), np.float32)
    embed[0, C - 1] = 1.0
    return embed


def image_encoder():
    g = Graph("image_encoder")
    image = g.input("image", [1, 3, S, S])
    # Average pooling stands in for the backbone: the normalised colour at strides 4, 8 and 16.
    hr0 = g.pad_channels(g.avgpool(image, 4), C0 - 3, 4)
    hr1 = g.pad_channels(g.avgpool(image, 8), C1 - 3, 4)
    pix = g.pad_channels(g.avgpool(image, 16), C - 3, 4)
    vision = g.add(pix, g.const(no_memory_embedding(), "no_mem_embed"))
    pos = np.zeros((HW, 1, C), np.float32)
    gx, gy = grid(HF, 1.0 / HF)
    pos[:, 0, 0], pos[:, 0, 1] = gx.reshape(-1), gy.reshape(-1)
    g.output("pix_feat", pix, [1, C, HF, HF])
    g.output("high_res_feat0", hr0, [1, C0, L, L])
    g.output("high_res_feat1", hr1, [1, C1, L1, L1])
    g.output("vision_feats", vision, [1, C, HF, HF])
    g.output("vision_pos_embed", g.const(pos, "pos"), [HW, 1, C])
    return g.model()


def mask_prompt(g, logits, mask_input, has_mask_input):
    """SAM 2's mask prompt (add_new_mask): on rows with has_mask_input = 1 the mask itself is the output,
    20·m − 10 at the low-res grid; presence, IoU, pointer (the mask's colour, centroid and area) and
    mask_for_mem then follow from it as from any mask. Other rows are unchanged (0·x + 1·y is exact)."""
    has = g.reshape(has_mask_input, [-1, 1, 1, 1])
    from_mask = g.sub(g.mul(g.avgpool(mask_input, S // L), g.const(20.0)), g.const(10.0))
    return g.add(g.mul(has, from_mask), g.mul(g.sub(g.const(1.0), has), logits))


def mask_decoder():
    g = Graph("mask_decoder")
    coords = g.input("point_coords", ["B", "P", 2])
    labels = g.input("point_labels", ["B", "P"])
    embed = g.input("image_embed", ["B", C, HF, HF])
    hr0 = g.input("high_res_feats_0", [1, C0, L, L])
    hr1 = g.input("high_res_feats_1", [1, C1, L1, L1])
    mask_input = g.input("mask_input", ["B", 1, S, S])
    has_mask_input = g.input("has_mask_input", ["B", 1])

    gx_np, gy_np = grid(L, S / L)
    gx, gy = g.const(gx_np, "gx"), g.const(gy_np, "gy")
    colour = g.slice(hr0, 0, 3, 1)                                   # [1,3,L,L]

    # --- Prompt path: colour under the clicks / box centre, gate = discs and box. ---
    px = g.reshape(g.slice(coords, 0, 1, 2), [0, -1, 1, 1])          # [B,P,1,1]
    py = g.reshape(g.slice(coords, 1, 2, 2), [0, -1, 1, 1])
    lab = g.reshape(labels, [0, -1, 1, 1])
    is_pos, is_neg = g.equal(lab, g.const(1.0)), g.equal(lab, g.const(0.0))
    is_tl, is_br = g.equal(lab, g.const(2.0)), g.equal(lab, g.const(3.0))
    d2 = g.add(g.op("Pow", [g.sub(gx, px), g.const(2.0)]), g.op("Pow", [g.sub(gy, py), g.const(2.0)]))
    disc_pos = g.max_over(g.mul(g.less(d2, g.const(POINT_RADIUS ** 2)), is_pos), [1])
    disc_neg = g.max_over(g.mul(g.less(d2, g.const(NEG_RADIUS ** 2)), is_neg), [1])
    x1, y1 = g.sum_over(g.mul(px, is_tl), [1]), g.sum_over(g.mul(py, is_tl), [1])   # [B,1,1,1]
    x2, y2 = g.sum_over(g.mul(px, is_br), [1]), g.sum_over(g.mul(py, is_br), [1])
    has_box = g.max_over(is_tl, [1])
    m = g.const(BOX_MARGIN)
    in_box = g.mul(g.mul(g.greater(gx, g.sub(x1, m)), g.less(gx, g.add(x2, m))),
                   g.mul(g.greater(gy, g.sub(y1, m)), g.less(gy, g.add(y2, m))))
    box_gate = g.mul(in_box, has_box)
    prompt_gate = g.mul(g.maximum(disc_pos, box_gate), g.sub(g.const(1.0), disc_neg))
    inv_two_sigma2 = g.const(-1.0 / (2 * ANCHOR_SIGMA ** 2))
    w_points = g.sum_over(g.mul(g.op("Exp", [g.mul(d2, inv_two_sigma2)]), is_pos), [1])
    cx, cy = g.mul(g.add(x1, x2), g.const(0.5)), g.mul(g.add(y1, y2), g.const(0.5))
    d2c = g.add(g.op("Pow", [g.sub(gx, cx), g.const(2.0)]), g.op("Pow", [g.sub(gy, cy), g.const(2.0)]))
    w_box = g.mul(g.op("Exp", [g.mul(d2c, inv_two_sigma2)]), has_box)
    weights = g.add(w_points, w_box)                                 # [B,1,L,L]
    prompt_colour = g.div(g.sum_over(g.mul(colour, weights), [2, 3]),
                          g.add(g.sum_over(weights, [2, 3]), g.const(1e-6)))  # [B,3,1,1]
    has_prompt = g.reshape(g.max_over(g.greater(labels, g.const(-0.5)), [1], keep=0), [-1, 1, 1, 1])

    # --- Tracking path: colour and gate written by memory attention into image_embed. ---
    track_colour = g.mean_over(g.slice(embed, 0, 3, 1), [2, 3])      # [B,3,1,1]
    track_gate = g.greater(g.upsample(g.slice(embed, 3, 4, 1), L // HF), g.const(0.5))

    def blend(prompt_value, track_value):
        return g.add(g.mul(has_prompt, prompt_value), g.mul(g.sub(g.const(1.0), has_prompt), track_value))

    target = blend(prompt_colour, track_colour)
    gate = blend(prompt_gate, track_gate)

    dist = g.op("Sqrt", [g.sum_over(g.op("Pow", [g.sub(colour, target), g.const(2.0)]), [1])])
    colour_logit = g.mul(g.sub(g.const(COLOUR_TAU), dist), g.const(COLOUR_GAIN))
    gate_logit = g.mul(g.sub(gate, g.const(0.5)), g.const(GATE_GAIN))
    logits = g.minimum(colour_logit, gate_logit)                     # [B,1,L,L]
    logits = mask_prompt(g, logits, mask_input, has_mask_input)

    cells = g.greater(logits, g.const(0.0))
    area = g.sum_over(cells, [1, 2, 3], keep=0)                      # [B]
    unused = g.mul(g.mean_over(hr1, [0, 1, 2, 3], keep=0), g.const(0.0))  # high_res_feats_1 carries nothing here
    occ = g.add(g.reshape(g.div(g.sub(area, g.const(MIN_AREA)), g.const(10.0)), [-1, 1]), unused)
    present = g.reshape(g.greater(occ, g.const(0.0)), [-1, 1, 1, 1])
    absent = g.sub(g.const(1.0), present)
    pred = g.add(g.mul(logits, present), g.mul(absent, g.const(NO_OBJ_SCORE)))

    strong = g.sum_over(g.greater(logits, g.const(STRONG_LOGIT)), [1, 2, 3], keep=0)
    safe_area = g.maximum(area, g.const(1.0))
    iou = g.reshape(g.div(strong, safe_area), [-1, 1])

    # Object pointer: mean colour, centroid (0..1) and area fraction of the mask; no-object pointer when absent.
    mean_colour = g.reshape(g.div(g.sum_over(g.mul(colour, cells), [2, 3]), g.reshape(safe_area, [-1, 1, 1, 1])), [0, 3])
    cxm = g.div(g.sum_over(g.mul(gx, cells), [1, 2, 3], keep=0), g.mul(safe_area, g.const(float(S))))
    cym = g.div(g.sum_over(g.mul(gy, cells), [1, 2, 3], keep=0), g.mul(safe_area, g.const(float(S))))
    frac = g.div(area, g.const(float(L * L)))
    summary = g.concat([mean_colour, g.reshape(cxm, [-1, 1]), g.reshape(cym, [-1, 1]), g.reshape(frac, [-1, 1])], 1)
    ptr = g.pad_channels(summary, C - 6, 2)                          # [B,C]
    no_obj_ptr = np.zeros((1, C), np.float32)
    no_obj_ptr[0, 6] = 1.0
    present2 = g.reshape(present, [-1, 1])
    obj_ptr = g.add(g.mul(ptr, present2), g.mul(g.sub(g.const(1.0), present2), g.const(no_obj_ptr, "no_obj_ptr")))

    mask_for_mem = g.sub(g.mul(g.op("Sigmoid", [g.upsample(pred, S // L)]), g.const(20.0)), g.const(10.0))

    g.output("obj_ptr", obj_ptr, ["B", C])
    g.output("mask_for_mem", mask_for_mem, ["B", 1, S, S])
    g.output("pred_mask", pred, ["B", 1, L, L])
    g.output("iou", iou, ["B", 1])
    g.output("occ_logit", occ, ["B", 1])
    return g.model()


def memory_encoder():
    g = Graph("memory_encoder")
    mask = g.input("mask_for_mem", ["B", 1, S, S])
    pix = g.input("pix_feat", [1, C, HF, HF])
    occ = g.input("occ_logit", ["B", 1])
    present = g.reshape(g.greater(occ, g.const(0.0)), [-1, 1, 1, 1])
    probability = g.div(g.add(mask, g.const(10.0)), g.const(20.0))
    coverage = g.mul(g.avgpool(probability, STRIDE), present)        # [B,1,HF,HF]; absent → no mask
    # Colour of the object's interior cells (mostly covered), broadcast over the grid.
    interior = g.mul(g.relu(g.sub(coverage, g.const(0.75))), g.const(4.0))
    colour = g.slice(pix, 0, 3, 1)
    mean = g.div(g.sum_over(g.mul(colour, interior), [2, 3]), g.add(g.sum_over(interior, [2, 3]), g.const(1e-6)))
    colour_map = g.mul(mean, g.const(np.ones((1, 1, HF, HF), np.float32), "ones"))
    features = g.pad_channels(g.concat([coverage, colour_map], 1), CM - 4, 4)
    batch_ones = g.reshape(g.add(g.sum_over(g.mul(occ, g.const(0.0)), [1]), g.const(1.0)), [-1, 1, 1])
    pos = g.mul(g.const(memory_position_code(), "maskmem_pos"), batch_ones)
    g.output("maskmem_features", features, ["B", CM, HF, HF])
    g.output("maskmem_pos_enc", pos, ["B", HW, CM])
    g.output("temporal_code", g.const(temporal_codes(), "tpos"), [SLOTS, 1, 1, CM])
    return g.model()


def memory_attention(offsets):
    """The scalar form takes `cond_frame_id_diff`; the offsets form takes `obj_ptr_offsets` [B,Nptr]."""
    g = Graph("memory_attention_offsets" if offsets else "memory_attention")
    vision = g.input("current_vision_feat", [1, C, HF, HF])
    vision_pos = g.input("current_vision_pos_embed", [HW, 1, C])
    pointers = g.input("memory_0", ["B", "Nptr", C])
    memory = g.input("memory_1", ["B", "Nmem", CM, HF, HF])
    memory_pos = g.input("memory_pos_embed", ["B", "Npos", CM])
    if offsets:
        ptr_offsets = g.input("obj_ptr_offsets", ["B", "Nptr"])
        cond_distance = g.reshape(g.slice(ptr_offsets, 0, 1, 1), [-1, 1, 1])     # [B,1,1]
    else:
        cond_distance = g.input("cond_frame_id_diff", [])

    # Which slot is each memory frame? Read the one-hot temporal code out of its position rows.
    n_mem = g.op("Shape", [memory], start=1, end=2)
    spatial_rows = g.op("Slice", [memory_pos, g.ints([0]), g.mul(n_mem, g.ints([HW])), g.ints([1])])
    per_frame = g.reshape(spatial_rows, [0, -1, HW, CM])                          # [B,Nmem,HW,CM]
    onehot = g.slice(g.mean_over(per_frame, [2], keep=0), TEMPORAL_CH, TEMPORAL_CH + SLOTS, 2)  # [B,Nmem,7]
    slot = g.op("MatMul", [onehot, g.const(np.arange(SLOTS, dtype=np.float32).reshape(SLOTS, 1), "slots")])
    is_cond = g.slice(onehot, SLOTS - 1, SLOTS, 2)                                 # [B,Nmem,1]
    # Age in frames: slot k-1 is k frames back; the conditioning entry's age comes from its frame distance.
    cond_age = g.op("Clip", [g.sub(cond_distance, g.const(1.0)), g.const(0.0), g.const(float(SLOTS - 1))])
    age = g.add(slot, g.mul(is_cond, g.sub(cond_age, g.const(float(SLOTS - 1)))))

    # Attend to the most recent memory that holds a mask.
    masks = g.slice(memory, 0, 1, 2)                                               # [B,Nmem,1,HF,HF]
    area = g.reshape(g.sum_over(masks, [2, 3, 4], keep=0), [0, -1, 1])
    empty = g.less(area, g.const(EMPTY_MEMORY_AREA))
    score = g.mul(g.add(age, g.mul(empty, g.const(100.0))), g.const(-RECENCY_SHARPNESS))
    weight = g.op("Softmax", [score], axis=1)                                      # [B,Nmem,1]
    recent = g.sum_over(g.mul(masks, g.reshape(weight, [0, -1, 1, 1, 1])), [1], keep=0)  # [B,1,HF,HF]
    recent_age = g.reshape(g.sum_over(g.mul(age, weight), [1], keep=0), [-1, 1])   # [B,1]

    # Search gate: the recent mask dilated by an amount that grows with its age.
    dilated = [g.greater(recent, g.const(0.3))]
    for _ in range(MAX_DILATION):
        dilated.append(g.dilate(dilated[-1]))
    stack = g.concat(dilated, 1)                                                   # [B,MAX+1,HF,HF]
    table = np.zeros((SLOTS, MAX_DILATION + 1), np.float32)
    for a, d in enumerate(DILATION_BY_AGE):
        table[a, d] = 1.0
    age_onehot = g.relu(g.sub(g.const(1.0), g.op("Abs", [g.sub(recent_age, g.const(np.arange(SLOTS, dtype=np.float32)[None]))])))
    select = g.reshape(g.op("MatMul", [age_onehot, g.const(table, "dilation_by_age")]), [0, -1, 1, 1])
    gate = g.sum_over(g.mul(stack, select), [1])                                   # [B,1,HF,HF]

    # Target colour: the conditioning pointer's (pointer 0).
    target = g.reshape(g.slice(g.slice(pointers, 0, 1, 1), 0, 3, 2), [0, 3, 1, 1])
    colour_map = g.mul(target, g.const(np.ones((1, 1, HF, HF), np.float32), "ones"))
    # The current frame's features and position codes carry nothing these graphs need.
    unused = g.mul(g.add(g.mean_over(vision, [0, 1, 2, 3], keep=0), g.mean_over(vision_pos, [0, 1, 2], keep=0)), g.const(0.0))
    embed = g.add(g.pad_channels(g.concat([colour_map, gate], 1), C - 4, 4), unused)
    g.output("image_embed", embed, ["B", C, HF, HF])
    return g.model()


# ---- Multimask decoder variant (SAMURAI-style candidate choice) ---------------------------------
# Three candidates on top of the single-mask decoder: 0 tight, 1 normal (the single-mask decoder's own mask),
# 2 loose (tracking path: the search gate widened by LOOSE_DILATION memory cells, which reaches a touching or
# nearby look-alike). The predicted IoUs rank loose > normal > tight whatever the masks are, as a trained SAM 2
# scores a merged mask of two look-alikes highly: choosing by predicted IoU alone picks the loose one.
TIGHT_SHIFT = 4.0        # the tight candidate drops the cells whose logit is below this (the soft rim)
LOOSE_DILATION = 2       # extra memory cells of search gate for the loose candidate
CANDIDATE_IOU_SCALE = [0.90, 0.95, 0.99]


def mask_decoder_multimask():
    """The single-mask decoder's graph extended to SAM 2's multimask outputs: `low_res_multimasks` [B,3,L,L],
    `ious` [B,3], `obj_ptrs` [B,3,C] and the shared `occ_logit` [B,1]; no `mask_for_mem` (the host computes it
    from the chosen candidate as SAM 2 does). Built on mask_decoder() so that both stay the same model."""
    base = mask_decoder().graph
    g = Graph("mask_decoder_multimask")
    g.count = 100000  # fresh names must not collide with the base graph's
    g.nodes = [n for n in base.node if n.op_type != "Identity" or n.output[0] not in ("mask_for_mem",)]
    g.inits = list(base.initializer)
    g.inputs = list(base.input)
    labels, embed, hr0 = "point_labels", "image_embed", "high_res_feats_0"
    pred, iou, occ, obj_ptr = "pred_mask", "iou", "occ_logit", "obj_ptr"

    gx_np, gy_np = grid(L, S / L)
    gx, gy = g.const(gx_np, "mm_gx"), g.const(gy_np, "mm_gy")
    colour = g.slice(hr0, 0, 3, 1)
    present = g.reshape(g.greater(occ, g.const(0.0)), [-1, 1, 1, 1])
    absent = g.sub(g.const(1.0), present)
    has_prompt = g.reshape(g.max_over(g.greater(labels, g.const(-0.5)), [1], keep=0), [-1, 1, 1, 1])

    tight = g.sub(pred, g.const(TIGHT_SHIFT))
    # Loose: the tracking path's colour test inside a gate LOOSE_DILATION memory cells wider; a prompt keeps its gate.
    wide = g.slice(embed, 3, 4, 1)
    for _ in range(LOOSE_DILATION):
        wide = g.dilate(wide)
    wide_gate = g.greater(g.upsample(wide, L // HF), g.const(0.5))
    target = g.mean_over(g.slice(embed, 0, 3, 1), [2, 3])
    dist = g.op("Sqrt", [g.sum_over(g.op("Pow", [g.sub(colour, target), g.const(2.0)]), [1])])
    wide_logits = g.minimum(g.mul(g.sub(g.const(COLOUR_TAU), dist), g.const(COLOUR_GAIN)),
                            g.mul(g.sub(wide_gate, g.const(0.5)), g.const(GATE_GAIN)))
    wide_logits = g.add(g.mul(g.maximum(wide_logits, pred), present), g.mul(absent, g.const(NO_OBJ_SCORE)))
    loose = g.add(g.mul(has_prompt, pred), g.mul(g.sub(g.const(1.0), has_prompt), wide_logits))

    def pointer(logits):
        cells = g.greater(logits, g.const(0.0))
        area = g.maximum(g.sum_over(cells, [1, 2, 3], keep=0), g.const(1.0))
        mean = g.reshape(g.div(g.sum_over(g.mul(colour, cells), [2, 3]), g.reshape(area, [-1, 1, 1, 1])), [0, 3])
        cx = g.div(g.sum_over(g.mul(gx, cells), [1, 2, 3], keep=0), g.mul(area, g.const(float(S))))
        cy = g.div(g.sum_over(g.mul(gy, cells), [1, 2, 3], keep=0), g.mul(area, g.const(float(S))))
        frac = g.div(g.sum_over(cells, [1, 2, 3], keep=0), g.const(float(L * L)))
        summary = g.concat([mean, g.reshape(cx, [-1, 1]), g.reshape(cy, [-1, 1]), g.reshape(frac, [-1, 1])], 1)
        present2 = g.reshape(present, [-1, 1])
        no_obj = np.zeros((1, C), np.float32)
        no_obj[0, 6] = 1.0
        ptr = g.pad_channels(summary, C - 6, 2)
        return g.reshape(g.add(g.mul(ptr, present2), g.mul(g.sub(g.const(1.0), present2), g.const(no_obj, "mm_no_obj_ptr"))), [-1, 1, C])

    masks = g.concat([tight, pred, loose], 1)
    ious = g.mul(iou, g.const(np.asarray([CANDIDATE_IOU_SCALE], np.float32), "candidate_iou_scale"))
    ptrs = g.concat([pointer(tight), g.reshape(obj_ptr, [-1, 1, C]), pointer(loose)], 1)
    g.output("low_res_multimasks", masks, ["B", 3, L, L])
    g.output("ious", ious, ["B", 3])
    g.output("obj_ptrs", ptrs, ["B", 3, C])
    g.outputs.append(helper.make_tensor_value_info(occ, F, ["B", 1]))
    return g.model()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    graphs = {
        "image_encoder": image_encoder(),
        "mask_decoder": mask_decoder(),
        "memory_attention": memory_attention(offsets=False),
        "memory_attention_offsets": memory_attention(offsets=True),
        "memory_encoder": memory_encoder(),
        "mask_decoder_multimask": mask_decoder_multimask(),
    }
    for name, model in graphs.items():
        onnx.save(model, os.path.join(out, f"{name}.onnx"))

    def manifest(variant, attention_file, decoder_file="mask_decoder.onnx", name=None):
        files = {"image_encoder": "image_encoder.onnx", "mask_decoder": decoder_file,
                 "memory_attention": attention_file, "memory_encoder": "memory_encoder.onnx"}
        return {
            "name": name or f"edgesam2-test-{variant}",
            "description": "EdgeSam2 SAM 2-contract test models: colour segmenters whose object location comes from host memory.",
            "contract": "nvidia-sam2",
            "memory_attention_form": variant,
            "input_size": S,
            "memory_slots": SLOTS,
            "max_object_pointers": MAX_PTRS,
            "tokens_per_pointer": C // CM,
            "graphs": {k: {"file": v, "sha256": sha256(os.path.join(out, v))} for k, v in files.items()},
        }

    for variant, attention_file, file_name in [("scalar", "memory_attention.onnx", "manifest.json"),
                                              ("offsets", "memory_attention_offsets.onnx", "manifest.offsets.json")]:
        with open(os.path.join(out, file_name), "w") as f:
            json.dump(manifest(variant, attention_file), f, indent=2)
            f.write("\n")
    # The multimask variant: the scalar set with the three-candidate decoder (models/README.md).
    with open(os.path.join(out, "manifest.multimask.json"), "w") as f:
        json.dump(manifest("scalar", "memory_attention.onnx", "mask_decoder_multimask.onnx", "edgesam2-test-scalar-multimask"), f, indent=2)
        f.write("\n")
    for name in graphs:
        print(f"{name}.onnx  {os.path.getsize(os.path.join(out, name + '.onnx'))} bytes")


if __name__ == "__main__":
    main()
