#!/usr/bin/env python3
"""Run a sam2-micro fixture scenario through SAM 2's own SAM2VideoPredictor and write what it
outputs (expected/NAME.json + expected/NAME.lowres.f32), in the fixture's format.

The model is the fixture's: the micro config, seed-0 weights rescaled as the fixture's were
(fixture_check.rebuild_weights compares every weight with the fixture's graphs). The frames are
the fixture's clip.mkv decoded to RGB24 by ffmpeg (the pixels SAM 2 saw), normalised as SAM 2's
JPEG loader does. Prompts are clicks/boxes (add_new_points_or_box) or COCO RLE masks
(add_new_mask), applied in streaming order as the scenario's predictor_calls say.

    /usr/bin/python3 tools/export-sam2/reference_run.py --sam2-repo ~/src/sam2 \
        --fixture tests/fixtures/sam2-micro --scenario mask

`--make-mask-scenario` first writes scenarios/mask.json (mask prompts cut from the clip by colour).
"""
import argparse
import json
import os
import subprocess
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402


def rle_encode(mask):
    """COCO compressed RLE of a [h, w] bool array (column-major, runs start with zeros)."""
    flat = mask.T.reshape(-1).astype(np.uint8)
    change = np.flatnonzero(np.diff(flat)) + 1
    bounds = np.concatenate([[0], change, [flat.size]])
    counts = list(np.diff(bounds))
    if flat[0]:
        counts = [0] + counts
    out = []
    for i, x in enumerate(counts):
        x = int(x) - (int(counts[i - 2]) if i > 2 else 0)
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = x != -1 if c & 0x10 else x != 0
            out.append(chr((c | 0x20 if more else c) + 48))
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": "".join(out)}


def rle_decode(rle):
    h, w = rle["size"]
    counts, s, i = [], rle["counts"], 0
    while i < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[i]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            i += 1
            k += 1
            if not more and c & 0x10:
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    flat = np.zeros(h * w, dtype=bool)
    pos, val = 0, False
    for n in counts:
        flat[pos:pos + n] = val
        pos += n
        val = not val
    return flat.reshape(w, h).T


def load_clip(fixture):
    with open(os.path.join(fixture, "clip.json")) as f:
        clip = json.load(f)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", os.path.join(fixture, "clip.mkv"), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], check=True, stdout=subprocess.PIPE).stdout
    return np.frombuffer(raw, np.uint8).reshape(clip["frames"], clip["height"], clip["width"], 3)


def make_mask_scenario(fixture, frames):
    """Object 1: the red disc on frame 0, object 2: the blue square on frame 4 (added while
    object 1 is tracked), each as the pixels of its colour inside a box around it."""
    def cut(frame, colour, box):
        x0, y0, x1, y1 = box
        f = frames[frame].astype(int)
        r, g, b = f[..., 0], f[..., 1], f[..., 2]
        m = (r > 150) & (g < 90) & (b < 90) if colour == "red" else (b > 150) & (r < 90) & (g < 120)
        keep = np.zeros_like(m)
        keep[y0:y1, x0:x1] = True
        return m & keep

    red = cut(0, "red", (60, 100, 170, 210))
    blue = cut(4, "blue", (300, 314, 392, 402))
    doc = {
        "scenario": "mask",
        "description": "Object 1: a mask of the red disc on frame 0. Object 2: a mask of the blue square on frame 4 "
                       "(added while object 1 is already being tracked). Each mask is the pixels of that colour "
                       "inside a box around the shape (red: R>150, G<90, B<90 in [60,170)x[100,210); blue: B>150, "
                       "R<90, G<120 in [300,392)x[314,402)).",
        "clip": "clip.mkv",
        "frames_loaded": 16,
        "frames_tracked": [0, 15],
        "object_ids": [1, 2],
        "coordinates": "masks are COCO compressed RLE at clip size (512x512 = model input size, so SAM 2 does not "
                       "resize them)",
        "prompts": [
            {"object_id": 1, "frame": 0, "points": None, "box": None, "mask": rle_encode(red)},
            {"object_id": 2, "frame": 4, "points": None, "box": None, "mask": rle_encode(blue)},
        ],
        "predictor_calls": [
            {"call": "add_new_mask", "frame_idx": 0, "obj_id": 1, "mask": "prompts[0].mask"},
            {"call": "propagate_in_video", "start_frame_idx": 0, "max_frame_num_to_track": 3, "frames": [0, 3]},
            {"call": "add_new_mask", "frame_idx": 4, "obj_id": 2, "mask": "prompts[1].mask"},
            {"call": "propagate_in_video", "start_frame_idx": 4, "max_frame_num_to_track": 11, "frames": [4, 15]},
        ],
    }
    path = os.path.join(fixture, "scenarios", "mask.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {path}: red {int(red.sum())} px, blue {int(blue.sum())} px")


def build_predictor(sam2_repo, fixture):
    import torch
    import sam2_loader

    sam2_loader.import_sam2(sam2_repo)
    import fixture_check

    config = sam2_loader.resolve_config(sam2_repo, "configs/sam2.1/sam2.1_hiera_t.yaml")
    cfg = sam2_loader.load_model_config(config, micro=True)
    # build_sam2_video_predictor's class and postprocessing (fill_hole_area 8: on CPU SAM 2 skips it with a
    # warning, as in the fixture's reference run).
    cfg["_target_"] = "sam2.sam2_video_predictor.SAM2VideoPredictor"
    cfg["fill_hole_area"] = 8
    torch.manual_seed(0)
    model = sam2_loader.instantiate(cfg).eval()
    graphs = os.path.join(fixture, "graphs")
    n, worst = fixture_check.rebuild_weights(model, graphs, fixture_check.fixture_files(graphs))
    if worst > 1e-7:
        raise SystemExit(f"rebuilt weights differ from the fixture's by {worst}")
    print(f"fixture weights rebuilt: {n} named initializers, max |difference| {worst:g}")
    return model


def run(model, frames, scenario):
    import torch
    import torch.nn.functional as F
    import sam2.sam2_video_predictor as vp

    n, h, w, _ = frames.shape
    s = model.image_size
    mean = torch.tensor((0.485, 0.456, 0.406), dtype=torch.float32)[:, None, None]
    std = torch.tensor((0.229, 0.224, 0.225), dtype=torch.float32)[:, None, None]
    images = torch.zeros(n, 3, s, s, dtype=torch.float32)
    for i in range(n):  # SAM 2's JPEG loader: p / 255 in double, stored as float32, then (x - mean) / std
        images[i] = torch.from_numpy(frames[i] / 255.0).permute(2, 0, 1)
    images = (images - mean) / std
    vp.load_video_frames = lambda **kw: (images, h, w)

    # Record the predicted IoU of the mask SAM 2 keeps (track_step drops it).
    chosen = {}
    heads, as_output = model._forward_sam_heads, model._use_mask_as_output

    def fwd(*a, **kw):
        out = heads(*a, **kw)
        ious = out[2]
        chosen["iou"] = ious.max(dim=1).values if ious.shape[1] > 1 else ious[:, 0]
        return out

    def mask_out(*a, **kw):
        out = as_output(*a, **kw)
        chosen["iou"] = out[2][:, 0]
        return out

    model._forward_sam_heads, model._use_mask_as_output = fwd, mask_out
    ious = {}
    step = model._run_single_frame_inference

    def single(inference_state, output_dict, frame_idx, batch_size, *a, **kw):
        out = step(inference_state, output_dict, frame_idx, batch_size, *a, **kw)
        key = [k for k, v in inference_state["output_dict_per_obj"].items() if v is output_dict]
        ious[(key[0] if key else None, frame_idx)] = float(chosen["iou"][0])
        return out

    model._run_single_frame_inference = single

    state = model.init_state(video_path="clip")
    prompted = set()
    for call in scenario["predictor_calls"]:
        if call["call"] == "add_new_points_or_box":
            model.add_new_points_or_box(state, frame_idx=call["frame_idx"], obj_id=call["obj_id"],
                                        points=np.array(call["points"], dtype=np.float32),
                                        labels=np.array(call["labels"], dtype=np.int32))
            prompted.add((call["obj_id"], call["frame_idx"]))
        elif call["call"] == "add_new_mask":
            prompt = next(p for p in scenario["prompts"]
                          if p["object_id"] == call["obj_id"] and p["frame"] == call["frame_idx"])
            model.add_new_mask(state, frame_idx=call["frame_idx"], obj_id=call["obj_id"], mask=rle_decode(prompt["mask"]))
            prompted.add((call["obj_id"], call["frame_idx"]))
        else:
            for _ in model.propagate_in_video(state, start_frame_idx=call["start_frame_idx"],
                                              max_frame_num_to_track=call["max_frame_num_to_track"]):
                pass

    ids = scenario["object_ids"]
    lowres = np.full((n, len(ids), s // 4, s // 4), np.nan, dtype=np.float32)
    per_frame = []
    for f in range(n):
        objs = []
        for k, oid in enumerate(ids):
            idx = state["obj_id_to_idx"].get(oid)
            outs = state["output_dict_per_obj"][idx] if idx is not None else {}
            out = outs.get("cond_frame_outputs", {}).get(f) or outs.get("non_cond_frame_outputs", {}).get(f)
            if out is None:
                objs.append({"object_id": oid, "tracked": False})
                continue
            low = out["pred_masks"].float()
            lowres[f, k] = low[0, 0].numpy()
            mask = (F.interpolate(low, size=(h, w), mode="bilinear", align_corners=False) > 0)[0, 0].numpy()
            score = float(out["object_score_logits"][0, 0])
            ys, xs = np.nonzero(mask)
            objs.append({
                "object_id": oid, "tracked": True, "prompted": (oid, f) in prompted, "present": score > 0,
                "object_score_logit": score, "predicted_iou": ious[(idx, f)], "area": int(mask.sum()),
                "bbox": [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1] if xs.size else None,
                "mask": rle_encode(mask),
            })
        per_frame.append({"frame": f, "objects": objs})
    return lowres, per_frame


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sam2-repo", required=True, help="a facebookresearch/sam2 checkout (2b90b9f for the fixture)")
    p.add_argument("--fixture", required=True, help="the sam2-micro fixture folder")
    p.add_argument("--scenario", required=True, help="scenario name: scenarios/NAME.json")
    p.add_argument("--out", help="folder for NAME.json / NAME.lowres.f32 (default: the fixture's expected/)")
    p.add_argument("--make-mask-scenario", action="store_true", help="first write scenarios/mask.json")
    args = p.parse_args()
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)
    frames = load_clip(args.fixture)
    if args.make_mask_scenario:
        make_mask_scenario(args.fixture, frames)
    with open(os.path.join(args.fixture, "scenarios", args.scenario + ".json")) as f:
        scenario = json.load(f)
    model = build_predictor(args.sam2_repo, args.fixture)
    with torch.no_grad():
        lowres, per_frame = run(model, frames, scenario)
    out = args.out or os.path.join(args.fixture, "expected")
    os.makedirs(out, exist_ok=True)
    name = args.scenario
    lowres.astype("<f4").tofile(os.path.join(out, name + ".lowres.f32"))
    ids = scenario["object_ids"]
    doc = {
        "scenario": name,
        "reference": "SAM2VideoPredictor (facebookresearch/sam2 2b90b9f), CPU, float32 compute, memory features "
                     "stored as bfloat16 (SAM 2's default)",
        "frames": len(per_frame), "object_ids": ids, "mask_size": [frames.shape[1], frames.shape[2]],
        "lowres": {"file": name + ".lowres.f32", "dtype": "float32", "byte_order": "little-endian",
                   "shape": list(lowres.shape), "order": "[frame][object][y][x]",
                   "object_index": {str(o): i for i, o in enumerate(ids)}, "not_tracked_value": "NaN"},
        "per_frame": per_frame,
    }
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {out}/{name}.json and {name}.lowres.f32")


if __name__ == "__main__":
    main()
