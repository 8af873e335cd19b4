"""Trace the wrappers to ONNX (opset 17), give every output its contract name and fixed shape,
and write the manifests."""
import hashlib
import inspect
import json
import os

import onnx
import torch

import graphs
from export_shims import export_patches

OPSET = 17


def graph_specs(model):
    """Per graph: wrapper, input names with their dynamic axes, outputs with theirs, and
    example inputs for tracing. Example sizes avoid 1 so no dynamic size is specialised."""
    s = model.image_size
    c = model.hidden_dim
    mem = model.mem_dim
    h = s // model.backbone_stride
    hw = h * h
    hr0 = model.sam_mask_decoder.conv_s0.out_channels
    hr1 = model.sam_mask_decoder.conv_s1.out_channels
    b, p, n_ptr, n_mem = 3, 4, 5, 2
    g = torch.Generator().manual_seed(1)

    def rnd(*shape, scale=1.0):
        return torch.randn(*shape, generator=g) * scale

    labels = torch.tensor([[1, -1, -1, -1], [1, 0, 1, -1], [-1, -1, -1, -1]], dtype=torch.float32)
    coords = torch.rand(b, p, 2, generator=g) * s
    mem_pos_len = n_mem * hw + 4 * n_ptr
    ma_common = [
        ("current_vision_feat", rnd(1, c, h, h), {}),
        ("current_vision_pos_embed", rnd(hw, 1, c), {}),
        ("memory_0", rnd(b, n_ptr, c), {0: "B", 1: "Nptr"}),
        ("memory_1", rnd(b, n_mem, mem, h, h), {0: "B", 1: "Nmem"}),
        ("memory_pos_embed", rnd(b, mem_pos_len, mem), {0: "B", 1: "L"}),
    ]
    decoder_in = [
        ("point_coords", coords, {0: "B", 1: "P"}),
        ("point_labels", labels, {0: "B", 1: "P"}),
        ("image_embed", rnd(b, c, h, h), {0: "B"}),
        ("high_res_feats_0", rnd(1, hr0, 4 * h, 4 * h), {}),
        ("high_res_feats_1", rnd(1, hr1, 2 * h, 2 * h), {}),
    ]
    decoder_out = [("obj_ptr", {0: "B"}), ("mask_for_mem", {0: "B"}), ("pred_mask", {0: "B"}),
                   ("iou", {0: "B"}), ("occ_logit", {0: "B"})]
    return {
        "image_encoder": (
            graphs.ImageEncoder(model),
            [("image", rnd(1, 3, s, s), {})],
            [("pix_feat", {}), ("high_res_feat0", {}), ("high_res_feat1", {}),
             ("vision_feats", {}), ("vision_pos_embed", {})],
        ),
        "mask_decoder": (graphs.MaskDecoder(model), decoder_in, decoder_out),
        "mask_decoder_masks": (
            graphs.MaskDecoderMasks(model),
            decoder_in + [
                ("mask_input", (rnd(b, 1, s, s) > 0).float(), {0: "B"}),
                ("has_mask_input", torch.tensor([[0.0], [0.0], [1.0]]), {0: "B"}),
            ],
            decoder_out,
        ),
        "mask_decoder_multimask": (
            graphs.MaskDecoderMultimask(model),
            decoder_in,
            [("obj_ptrs", {0: "B"}), ("low_res_multimasks", {0: "B"}), ("ious", {0: "B"}), ("occ_logit", {0: "B"})],
        ),
        "memory_attention": (
            graphs.MemoryAttention(model, "scalar"),
            ma_common + [("cond_frame_id_diff", torch.tensor(7.0), {})],
            [("image_embed", {0: "B"})],
        ),
        "memory_attention_offsets": (
            graphs.MemoryAttention(model, "offsets"),
            ma_common + [("obj_ptr_offsets", torch.tensor([[9.0, 1, 2, 4, 5]] * b), {0: "B", 1: "Nptr"})],
            [("image_embed", {0: "B"})],
        ),
        "memory_encoder": (
            graphs.MemoryEncoder(model),
            [
                ("mask_for_mem", rnd(b, 1, s, s, scale=10.0).clamp(-10, 10), {0: "B"}),
                ("pix_feat", rnd(1, c, h, h), {}),
                ("occ_logit", torch.tensor([[1.5], [-0.5], [0.2]]), {0: "B"}),
            ],
            [("maskmem_features", {0: "B"}), ("maskmem_pos_enc", {0: "B"}), ("temporal_code", {})],
        ),
    }


def _fix_outputs(path, in_spec, out_spec, out_shapes):
    """Name every dynamic axis as the contract does and declare the fixed sizes.

    PyTorch 1.13 leaves many output sizes symbolic (a host that reads sizes from the graph
    would reject them), and gives a constant output the name of its initializer.
    """
    m = onnx.load(path)
    gr = m.graph
    names = [i.name for i in gr.input]
    if names != [n for n, _, _ in in_spec]:
        # The exporter drops an input the computation does not use.
        raise RuntimeError(f"{os.path.basename(path)}: inputs {names}, contract {[n for n, _, _ in in_spec]}")
    for vi, (_, example, axes) in zip(gr.input, in_spec):
        _set_shape(vi, example.shape, axes)
    inits = {i.name: i for i in gr.initializer}
    for k, (vi, (name, axes)) in enumerate(zip(gr.output, out_spec)):
        if vi.name != name or vi.name in inits:
            source = vi.name
            if source == name:  # an initializer already holding the output's name
                source = inits[name].name = name + "_value"
                for node in gr.node:
                    node.input[:] = [source if x == name else x for x in node.input]
            gr.node.append(onnx.helper.make_node("Identity", [source], [name], name=f"output_{name}"))
            new = onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
            gr.output.remove(vi)
            gr.output.insert(k, new)
            vi = gr.output[k]
        _set_shape(vi, out_shapes[k], axes)
    _dedupe_constants(gr)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def _dedupe_constants(gr):
    """Keep one copy of identical constants (initializers and Constant nodes). PyTorch 1.13
    emits the RoPE tables as a Constant node per use: at 1024 px, 64 copies of two 2 MiB
    tables in memory attention."""
    first, rename = {}, {}
    outputs = {o.name for o in gr.output}
    for init in list(gr.initializer):
        if len(init.raw_data) < 1024:
            continue
        key = (init.data_type, tuple(init.dims), init.raw_data)
        if key in first:
            rename[init.name] = first[key]
            gr.initializer.remove(init)
        else:
            first[key] = init.name
    for node in list(gr.node):
        # Nodes are in topological order, so the first copy is defined before any use.
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
        if node.op_type != "Constant" or len(node.attribute) != 1 or node.attribute[0].name != "value":
            continue
        t = node.attribute[0].t
        if len(t.raw_data) < 1024 or node.output[0] in outputs:
            continue
        key = (t.data_type, tuple(t.dims), t.raw_data)
        if key in first:
            rename[node.output[0]] = first[key]
            gr.node.remove(node)
        else:
            first[key] = node.output[0]


def _set_shape(vi, shape, axes):
    tt = vi.type.tensor_type
    tt.elem_type = onnx.TensorProto.FLOAT
    tt.ClearField("shape")
    tt.shape.SetInParent()  # a scalar input still needs an (empty) shape
    for i, size in enumerate(shape):
        d = tt.shape.dim.add()
        if i in axes:
            d.dim_param = axes[i]
        else:
            d.dim_value = int(size)


def as_tuple(outputs):
    return outputs if isinstance(outputs, tuple) else (outputs,)


def export_graph(name, spec, out_dir, file_name):
    wrapper, in_spec, out_spec = spec
    # torch.onnx.export restores the wrapper's own training flag afterwards, recursively:
    # a wrapper left in training mode would switch SAM 2 (shared by all graphs) to training.
    wrapper.eval()
    args = tuple(t for _, t, _ in in_spec)
    with torch.no_grad():
        out_shapes = [tuple(o.shape) for o in as_tuple(wrapper(*args))]
    path = os.path.join(out_dir, file_name)
    kwargs = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: the one both 1.13 and 2.x have
    with export_patches(), torch.no_grad():
        torch.onnx.export(
            wrapper, args, path,
            opset_version=OPSET,
            input_names=[n for n, _, _ in in_spec],
            output_names=[n for n, _ in out_spec],
            dynamic_axes={
                **{n: a for n, _, a in in_spec if a},
                **{n: a for n, a in out_spec if a},
            },
            do_constant_folding=True,
            **kwargs,
        )
    _fix_outputs(path, in_spec, out_spec, out_shapes)
    return path


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# (memory-attention form, its graph, the decoder graph, manifest file). The masks set is the
# scalar set with the decoder that takes a mask prompt; the plain sets are unchanged.
MANIFESTS = (
    ("scalar", "memory_attention", "mask_decoder", "manifest.json"),
    ("offsets", "memory_attention_offsets", "mask_decoder", "manifest.offsets.json"),
    ("scalar", "memory_attention", "mask_decoder_masks", "manifest.masks.json"),
    ("scalar", "memory_attention", "mask_decoder_multimask", "manifest.multimask.json"),
)


def write_manifests(model, out_dir, files, name, description):
    """manifest.json (scalar form), manifest.offsets.json, manifest.masks.json (scalar form with the
    mask-prompt decoder) and manifest.multimask.json (scalar form with the multimask decoder): the
    fixture's fields, in its order."""
    written = []
    for form, ma_key, dec_key, manifest_file in MANIFESTS:
        if dec_key not in files:
            continue
        roles = {"image_encoder": "image_encoder", "mask_decoder": dec_key,
                 "memory_attention": ma_key, "memory_encoder": "memory_encoder"}
        suffix = {"mask_decoder_masks": "-masks", "mask_decoder_multimask": "-multimask"}.get(dec_key, "")
        doc = {
            "name": f"{name}-{form}{suffix}",
            "description": description,
            "contract": "nvidia-sam2",
            "memory_attention_form": form,
            "input_size": model.image_size,
            "memory_slots": model.num_maskmem,
            "max_object_pointers": model.max_obj_ptrs_in_encoder,
            "tokens_per_pointer": model.hidden_dim // model.mem_dim,
            "graphs": {
                role: {"file": files[key], "sha256": sha256(os.path.join(out_dir, files[key]))}
                for role, key in roles.items()
            },
        }
        path = os.path.join(out_dir, manifest_file)
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        written.append(path)
    return written
