#!/usr/bin/python3
"""Tiny ONNX graphs for the ONNX Runtime binding tests.

Run with Debian's python3-onnx (opset <= 17):  /usr/bin/python3 make_models.py [--out DIR]
The output is deterministic, so the committed .onnx files can be checked against a fresh run.

  affine.onnx   x float[batch,3]                       -> y = x * 2 + 1            float[batch,3]
  two_io.onnx   a float[2,3], b float[2,3]             -> sum = a + b, product = a * b
  int_ops.onnx  ids64 int64[n], ids32 int32[m]         -> ids64_plus_one = ids64 + 1 (int64[n]),
                                                          ids32_times_three = ids32 * 3 (int32[m])
  scale.onnx    x float[n], factor float[] (a scalar)  -> y = x * factor            float[n]
  unshaped.onnx x float[n]                             -> y = relu(x), declared with no shape at all
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 7  # readable by every ORT >= 1.6, so old JetPack builds load the test models too


def save(model, out_dir, name, check=True):
    model.ir_version = IR_VERSION
    if check:
        onnx.checker.check_model(model)
    path = os.path.join(out_dir, name)
    onnx.save(model, path)
    print(path)


def affine():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])
    two = numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")
    one = numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one")
    nodes = [
        helper.make_node("Mul", ["x", "two"], ["scaled"]),
        helper.make_node("Add", ["scaled", "one"], ["y"]),
    ]
    graph = helper.make_graph(nodes, "affine", [x], [y], initializer=[two, one])
    return helper.make_model(graph, producer_name="edgesam2-tests", opset_imports=[helper.make_opsetid("", OPSET)])


def two_io():
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [2, 3])
    s = helper.make_tensor_value_info("sum", TensorProto.FLOAT, [2, 3])
    p = helper.make_tensor_value_info("product", TensorProto.FLOAT, [2, 3])
    nodes = [
        helper.make_node("Add", ["a", "b"], ["sum"]),
        helper.make_node("Mul", ["a", "b"], ["product"]),
    ]
    graph = helper.make_graph(nodes, "two_io", [a, b], [s, p])
    return helper.make_model(graph, producer_name="edgesam2-tests", opset_imports=[helper.make_opsetid("", OPSET)])


def int_ops():
    ids64 = helper.make_tensor_value_info("ids64", TensorProto.INT64, ["n"])
    ids32 = helper.make_tensor_value_info("ids32", TensorProto.INT32, ["m"])
    out64 = helper.make_tensor_value_info("ids64_plus_one", TensorProto.INT64, ["n"])
    out32 = helper.make_tensor_value_info("ids32_times_three", TensorProto.INT32, ["m"])
    one = numpy_helper.from_array(np.array(1, dtype=np.int64), "one")
    three = numpy_helper.from_array(np.array(3, dtype=np.int32), "three")
    nodes = [
        helper.make_node("Add", ["ids64", "one"], ["ids64_plus_one"]),
        helper.make_node("Mul", ["ids32", "three"], ["ids32_times_three"]),
    ]
    graph = helper.make_graph(nodes, "int_ops", [ids64, ids32], [out64, out32], initializer=[one, three])
    return helper.make_model(graph, producer_name="edgesam2-tests", opset_imports=[helper.make_opsetid("", OPSET)])


def scale():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])
    factor = helper.make_tensor_value_info("factor", TensorProto.FLOAT, [])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])
    nodes = [helper.make_node("Mul", ["x", "factor"], ["y"])]
    graph = helper.make_graph(nodes, "scale", [x, factor], [y])
    return helper.make_model(graph, producer_name="edgesam2-tests", opset_imports=[helper.make_opsetid("", OPSET)])


def unshaped():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "unshaped", [x], [y])
    return helper.make_model(graph, producer_name="edgesam2-tests", opset_imports=[helper.make_opsetid("", OPSET)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    save(affine(), args.out, "affine.onnx")
    save(two_io(), args.out, "two_io.onnx")
    save(int_ops(), args.out, "int_ops.onnx")
    save(scale(), args.out, "scale.onnx")
    # onnx 1.12's checker insists on a shape for graph outputs; exporters still emit such graphs and ORT loads them.
    save(unshaped(), args.out, "unshaped.onnx", check=False)


if __name__ == "__main__":
    main()
