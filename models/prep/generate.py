#!/usr/bin/python3
"""Generates EdgeSam2's frame-preparation graph (ONNX opset 17): packed RGB24 → SAM 2's image-encoder input.

Run with Debian's python3-onnx: `/usr/bin/python3 models/prep/generate.py --out models/prep`.
Output is byte-for-byte reproducible; CI regenerates it and compares (`make models-check`), and the agent checks
the SHA-256 printed here (FramePreparationGraph.Sha256) before it opens the graph.

The graph does exactly what the host's kernel does (src/EdgeSam2.Tracking/Imaging/FrameNormalizer.cs): a
squash-resize to S×S, bilinear with half-pixel centres and edge clamping, then (x/255 − mean)/std per channel,
planar CHW. It does not use ONNX Resize: the taps (source indices and weights per output column and row) come
in as inputs, computed by the same code the kernel uses (BilinearTaps), so both sample the same pixels with the
same weights by construction and differ only in float rounding order. The taps also carry S, so one graph
serves every model set; the host makes them once per frame size.

Inputs:  rgb      uint8 [H,W,3]   the frame as decoded (packed RGB24, row-major)
         x_index  int64 [2,S]     per output column: first and second source column
         x_weight float [2,S,3]   per output column: weight of each tap × the channel's 1/(255·std)
         y_index  int64 [2,S]     per output row: first and second source row
         y_weight float [2,S,1,1] per output row: weight of each tap
Output:  image    float [1,3,S,S]
"""
import argparse
import hashlib
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)


def graph():
    nodes, inits = [], []

    def node(op, inputs, out, **attrs):
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def const(name, value, dtype):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    # Scalar indices: Gather with a 0-d index drops the axis, so each tap is [S] (or [S,3], [S,1,1]).
    zero, one = const("zero", 0, np.int64), const("one", 1, np.int64)
    # −mean/std per channel: the channel scale rides on x_weight (normalising is affine and the weights sum to 1).
    bias = const("bias", -MEAN / STD, np.float32)

    # Horizontal pass on every source row: both column taps of every output column, gathered as bytes
    # (3 bytes a block), then widened and blended. Splitting the taps keeps every op element-wise.
    x0 = node("Gather", ["x_index", zero], "x0", axis=0)            # [S]
    x1 = node("Gather", ["x_index", one], "x1", axis=0)
    a = node("Cast", [node("Gather", ["rgb", x0], "rgb_x0", axis=1)], "a", to=TensorProto.FLOAT)  # [H,S,3]
    b = node("Cast", [node("Gather", ["rgb", x1], "rgb_x1", axis=1)], "b", to=TensorProto.FLOAT)
    wx0 = node("Gather", ["x_weight", zero], "wx0", axis=0)          # [S,3]
    wx1 = node("Gather", ["x_weight", one], "wx1", axis=0)
    rows = node("Add", [node("Mul", [a, wx0], "a_w"), node("Mul", [b, wx1], "b_w")], "rows")  # [H,S,3]

    # Vertical pass: both row taps of every output row, blended.
    y0 = node("Gather", ["y_index", zero], "y0", axis=0)             # [S]
    y1 = node("Gather", ["y_index", one], "y1", axis=0)
    top = node("Gather", [rows, y0], "top", axis=0)                  # [S,S,3]
    bottom = node("Gather", [rows, y1], "bottom", axis=0)
    wy0 = node("Gather", ["y_weight", zero], "wy0", axis=0)          # [S,1,1]
    wy1 = node("Gather", ["y_weight", one], "wy1", axis=0)
    blend = node("Add", [node("Mul", [top, wy0], "top_w"), node("Mul", [bottom, wy1], "bottom_w")], "blend")
    normalised = node("Add", [blend, bias], "normalised")             # [S,S,3]

    # HWC → CHW, then the batch axis.
    planar = node("Transpose", [normalised], "planar", perm=[2, 0, 1])  # [3,S,S]
    node("Unsqueeze", [planar, const("batch_axis", [0], np.int64)], "image")

    u8, f32, i64 = TensorProto.UINT8, TensorProto.FLOAT, TensorProto.INT64
    inputs = [
        helper.make_tensor_value_info("rgb", u8, ["H", "W", 3]),
        helper.make_tensor_value_info("x_index", i64, [2, "S"]),
        helper.make_tensor_value_info("x_weight", f32, [2, "S", 3]),
        helper.make_tensor_value_info("y_index", i64, [2, "S"]),
        helper.make_tensor_value_info("y_weight", f32, [2, "S", 1, 1]),
    ]
    outputs = [helper.make_tensor_value_info("image", f32, [1, 3, "S", "S"])]
    g = helper.make_graph(nodes, "frame_prep", inputs, outputs, inits)
    model = helper.make_model(g, opset_imports=[helper.make_operatorsetid("", 17)],
                              producer_name="edgesam2-frame-prep", producer_version="1")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "frame_prep.onnx")
    onnx.save(graph(), path)
    with open(path, "rb") as f:
        data = f.read()
    print(f"frame_prep.onnx  {len(data)} bytes  sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
