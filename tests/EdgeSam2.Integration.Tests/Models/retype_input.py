"""Makes a graph whose input has the wrong element type, for the contract check's tests.

usage: retype_input.py IN.onnx OUT.onnx INPUT
The input INPUT becomes int64 and is cast back to float32 inside the graph, so ONNX Runtime opens the file and
only the contract check can refuse it.
"""
import sys

import onnx
from onnx import TensorProto, helper

src, dst, name = sys.argv[1:4]
model = onnx.load(src)
graph = model.graph
inner = name + "_as_float"
for node in graph.node:
    node.input[:] = [inner if i == name else i for i in node.input]
for value in graph.input:
    if value.name == name:
        value.type.tensor_type.elem_type = TensorProto.INT64
graph.node.insert(0, helper.make_node("Cast", [name], [inner], to=TensorProto.FLOAT))
onnx.save(model, dst)
