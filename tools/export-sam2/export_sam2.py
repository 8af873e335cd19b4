#!/usr/bin/env python3
"""Export SAM 2 / SAM 2.1 to EdgeSam2's four-graph ONNX contract, in both memory-attention
forms, write the manifests, and check every graph against PyTorch.

See README.md next to this file for what the graphs compute and how it was checked.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

WEIGHT_TOLERANCE = 1e-7  # max |difference| of a rebuilt fixture weight
EXIT_OK, EXIT_MISMATCH, EXIT_SETUP = 0, 1, 2

FILES = {
    "image_encoder": "image_encoder.onnx",
    "mask_decoder": "mask_decoder.onnx",
    "mask_decoder_multimask": "mask_decoder_multimask.onnx",
    "mask_decoder_masks": "mask_decoder_masks.onnx",
    "memory_attention": "memory_attention.onnx",
    "memory_attention_offsets": "memory_attention_offsets.onnx",
    "memory_encoder": "memory_encoder.onnx",
}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="export_sam2.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "exit status: 0 exported and every check passed; 1 a check failed (a graph "
            "differs from PyTorch by more than --tolerance, or from --fixture); 2 bad "
            "arguments or setup (checkout, config, checkpoint, ONNX Runtime library)."
        ),
    )
    p.add_argument("--sam2-repo", required=True, metavar="PATH",
                   help="a checkout of facebookresearch/sam2 (the folder that holds sam2/modeling); "
                        "it is imported in place, nothing is installed or modified")
    p.add_argument("--config", metavar="NAME|PATH",
                   help="model config: a path, or a name as build_sam2 takes it, e.g. "
                        "configs/sam2.1/sam2.1_hiera_t.yaml (default with --micro: that one)")
    w = p.add_mutually_exclusive_group(required=True)
    w.add_argument("--checkpoint", metavar="PATH", help="SAM 2 checkpoint (.pt with a 'model' state dict)")
    w.add_argument("--random-init", action="store_true",
                   help="no checkpoint: seeded random weights, rescaled as the reference fixture's "
                        "were so that the check exercises present and absent objects (see README)")
    p.add_argument("--micro", action="store_true",
                   help="apply the reference fixture's reduced sizes on top of --config "
                        "(512 px, tiny widths; meant for sam2.1_hiera_t.yaml and --random-init)")
    p.add_argument("--seed", type=int, default=0, help="seed for --random-init (default 0, the fixture's)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder for the graphs and manifests")
    p.add_argument("--name", help="model set name in the manifests; '-scalar' / '-offsets' is appended "
                                  "(default: the config's file name)")
    p.add_argument("--tolerance", type=float, default=1e-4,
                   help="largest max-abs difference allowed for every output of every graph against PyTorch, "
                        "and for every case of the semantics check (default 1e-4)")
    p.add_argument("--no-verify", action="store_true",
                   help="export only; skip every comparison (the manifests are still written)")
    p.add_argument("--ort-lib", metavar="PATH",
                   help="ONNX Runtime shared library for the graph check (default: $ORT_LIB, then "
                        "~/.nuget/packages/microsoft.ml.onnxruntime/*, then /usr/lib, /usr/local/lib)")
    p.add_argument("--fixture", metavar="DIR",
                   help="a reference model set (e.g. shared/reference/sam2-micro/graphs): require the same "
                        "tensor names, types and shapes; with --micro --random-init --seed 0, also rebuild "
                        "its weights and compare its graphs with PyTorch and with the exported ones")
    p.add_argument("--threads", type=int, default=0,
                   help="CPU threads for PyTorch and ONNX Runtime (default 0: their defaults)")
    p.add_argument("--report", metavar="FILE", help="also write every figure as JSON to FILE")
    args = p.parse_args(argv)
    if args.config is None:
        if not args.micro:
            p.error("--config is required (unless --micro, which defaults to sam2.1_hiera_t)")
        args.config = "configs/sam2.1/sam2.1_hiera_t.yaml"
    return args


def log(msg):
    print(msg, flush=True)


def main(argv=None):
    args = parse_args(argv)
    from sam2_loader import SetupError

    try:
        return run(args)
    except SetupError as e:
        log(f"error: {e}")
        return EXIT_SETUP


def run(args):
    import torch
    import warnings

    # The exporter warns about every shape it records as a constant; they are expected.
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    if args.threads:
        torch.set_num_threads(args.threads)

    import sam2_loader

    sam2_loader.import_sam2(args.sam2_repo)
    import fixture_check
    import graphs
    import onnx_export
    import random_weights
    import semantics
    import verify

    config = sam2_loader.resolve_config(args.sam2_repo, args.config)
    log(f"PyTorch {torch.__version__}; config {config}{' (micro)' if args.micro else ''}")
    model, _ = sam2_loader.build_model(config, checkpoint=args.checkpoint, seed=args.seed, micro=args.micro)
    graphs.check_supported(model)
    specs = onnx_export.graph_specs(model)

    report = {"torch": torch.__version__, "config": config, "micro": args.micro,
              "checkpoint": args.checkpoint, "tolerance": args.tolerance}
    failed = False
    fixture_weights = False
    if args.random_init:
        if args.fixture and args.micro and args.seed == 0:
            files = fixture_check.fixture_files(args.fixture)
            n, worst = fixture_check.rebuild_weights(model, args.fixture, files)
            log(f"fixture weights rebuilt: {n} named initializers, max |difference| {worst:g}")
            report["fixture_weights"] = {"named_initializers": n, "max_abs": worst}
            fixture_weights = True
            # Exact under the PyTorch that built the fixture (1.13); other versions round the seed-0 initialisers
            # differently by a float32 ulp or so (2.11: 7.45e-09), which is far below any graph tolerance.
            failed |= worst > WEIGHT_TOLERANCE
        else:
            random_weights.rescale_like_fixture(model)
            dec_inputs = verify.check_inputs(model)["mask_decoder"]
            random_weights.center_object_scores(model, specs["mask_decoder"][0].eval(), dec_inputs)

    os.makedirs(args.out, exist_ok=True)
    for key, spec in specs.items():
        t0 = time.time()
        onnx_export.export_graph(key, spec, args.out, FILES[key])
        size = os.path.getsize(os.path.join(args.out, FILES[key])) / 2**20
        log(f"exported {FILES[key]} ({size:.1f} MiB, {time.time() - t0:.0f} s)")

    name = args.name or os.path.splitext(os.path.basename(config))[0] + ("-micro" if args.micro else "")
    source = os.path.basename(args.checkpoint) if args.checkpoint else f"random weights (seed {args.seed})"
    desc = f"SAM 2 code ({os.path.basename(config)}{', micro' if args.micro else ''}) with {source}, exported by tools/export-sam2"
    for path in onnx_export.write_manifests(model, args.out, FILES, name, desc):
        log(f"wrote {path}")

    if args.no_verify:
        log("not verified (--no-verify)")
        return EXIT_OK

    # 1. The wrappers against SAM 2's own methods (no ONNX involved).
    sem = semantics.check(model)
    report["semantics"] = sem
    log("semantics: wrappers vs SAM 2's own _forward_sam_heads / _encode_new_memory / "
        "_prepare_memory_conditioned_features")
    for case, diffs in sem.items():
        worst = max(diffs.values())
        failed |= worst > args.tolerance
        log(f"  {case:40s} max |diff| {worst:.3g}" + ("  FAIL" if worst > args.tolerance else ""))

    # 2. Every graph in ONNX Runtime against PyTorch.
    import ort_ctypes

    lib = args.ort_lib or ort_ctypes.find_library()
    if not lib or not os.path.exists(lib):
        log("no ONNX Runtime library found: pass --ort-lib PATH (or set ORT_LIB), or --no-verify")
        return EXIT_SETUP
    runner = ort_ctypes.OrtRunner(lib, threads=args.threads)
    log(f"graphs vs PyTorch (ONNX Runtime {runner.version}, {lib})")
    try:
        per_graph = verify.compare_with_pytorch(runner, args.out, FILES, specs, model)
    except RuntimeError as e:  # ONNX Runtime refused to load or run a graph
        log(f"  {e}")
        return EXIT_MISMATCH
    report["graphs_vs_pytorch"] = per_graph
    for key, outs in per_graph.items():
        worst = max(o["max_abs"] for o in outs.values())
        flips = sum(o.get("threshold_flips", 0) for o in outs.values())
        bad = worst > args.tolerance
        failed |= bad
        extra = f" ({flips} binarised pixels with |logit| < 1e-4 flipped)" if flips else ""
        log(f"  {key:26s} max |diff| {worst:.3g}{extra}" + ("  FAIL" if bad else ""))

    if args.fixture:
        ref_files = fixture_check.fixture_files(args.fixture)
        iface = verify.compare_interfaces(args.out, FILES, args.fixture, ref_files)
        report["fixture_interfaces"] = iface
        for key, diff in iface.items():
            failed |= diff is not None
            log(f"  interface {key:26s} " + ("same names, types and shapes as the fixture" if diff is None
                                              else "DIFFERS: " + json.dumps(diff)))
        if fixture_weights:
            parity = fixture_check.run_parity(runner, specs, model, args.fixture, ref_files, args.out, FILES)
            report["fixture_parity"] = parity
            log("fixture graphs vs PyTorch / vs exported graphs (same weights, same inputs)")
            for key, outs in parity.items():
                a = max(o["vs_pytorch"] for o in outs.values())
                b = max(o["vs_export"] for o in outs.values())
                failed |= max(a, b) > args.tolerance
                log(f"  {key:26s} vs PyTorch {a:.3g}   vs export {b:.3g}")

    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=2)
    log("FAILED: see the figures above" if failed else f"all checks within {args.tolerance:g}")
    return EXIT_MISMATCH if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
