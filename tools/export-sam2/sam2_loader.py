"""Import SAM 2 from the user's checkout and build a model from a config, without hydra.

SAM 2 targets PyTorch 2 with hydra and iopath installed; Debian ships neither hydra nor
iopath, and its PyTorch is 1.13. Everything here is an in-process stand-in: SAM 2's files are
never edited, so the numbers come from SAM 2's own modules.
"""
import importlib
import math
import os
import sys
import types

import torch
import torch.nn.functional as F


class SetupError(Exception):
    """A problem with the checkout, config or checkpoint: reported in one line, exit 2."""


def _stub_module(name, **attrs):
    mod = types.ModuleType(name)
    for key, value in attrs.items():
        setattr(mod, key, value)
    sys.modules[name] = mod
    return mod


def _math_sdpa(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """softmax(Q·Kᵀ/√d)·V: the product PyTorch 2's math kernel computes (it applies the scale
    to Q and K separately, so results agree to rounding). SAM 2 never passes a mask."""
    if attn_mask is not None or is_causal or dropout_p != 0.0:
        raise NotImplementedError("SAM 2 inference never masks attention or uses dropout")
    s = scale if scale is not None else 1.0 / math.sqrt(query.shape[-1])
    attn = torch.softmax(torch.matmul(query, key.transpose(-2, -1)) * s, dim=-1)
    return torch.matmul(attn, value)


def import_sam2(repo):
    """Make `import sam2.modeling...` resolve to REPO/sam2 without running sam2/__init__.py.

    That __init__ only initialises hydra's config module, which we replace with OmegaConf.
    """
    pkg_dir = os.path.join(os.path.abspath(repo), "sam2")
    if not os.path.isfile(os.path.join(pkg_dir, "modeling", "sam2_base.py")):
        raise SetupError(f"--sam2-repo {repo}: no sam2/modeling/sam2_base.py there")
    if "sam2" in sys.modules:
        del sys.modules["sam2"]
    pkg = types.ModuleType("sam2")
    pkg.__path__ = [pkg_dir]
    sys.modules["sam2"] = pkg

    # Imported only for things inference never reaches (checkpoint paths in Hiera,
    # the video loader's progress bar); stub them when the user has not installed them.
    try:
        importlib.import_module("iopath.common.file_io")
    except ImportError:
        _stub_module("iopath")
        _stub_module("iopath.common")
        _stub_module("iopath.common.file_io", g_pathmgr=None)
    try:
        importlib.import_module("tqdm")
    except ImportError:
        _stub_module("tqdm", tqdm=lambda it=None, *a, **k: it)
    try:
        importlib.import_module("PIL.Image")
    except ImportError:
        _stub_module("PIL", Image=None)

    if not hasattr(F, "scaled_dot_product_attention"):  # PyTorch < 2.0
        F.scaled_dot_product_attention = _math_sdpa
    return pkg_dir


def resolve_config(repo, config):
    """A config is a path, or a name as SAM 2's build_sam2 takes it (relative to REPO/sam2)."""
    for cand in (config, os.path.join(repo, "sam2", config), os.path.join(repo, "sam2", "configs", config)):
        if os.path.isfile(cand):
            return cand
        if os.path.isfile(cand + ".yaml"):
            return cand + ".yaml"
    raise SetupError(f"--config {config}: not found as a file nor under {repo}/sam2")


def _locate(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def instantiate(node):
    """hydra.utils.instantiate(cfg, _recursive_=True), for the subset SAM 2's configs use.

    Children are built depth-first in the config's key order, as hydra does, so a seeded
    random initialisation draws the same numbers as SAM 2's own build_sam2.
    """
    if isinstance(node, dict):
        kwargs = {k: instantiate(v) for k, v in node.items() if not k.startswith("_")}
        if "_target_" in node:
            return _locate(node["_target_"])(**kwargs)
        return kwargs
    if isinstance(node, list):
        return [instantiate(v) for v in node]
    return node


# SAM 2's build_sam2_video_predictor overrides (apply_postprocessing=True): the semantics of
# its video predictor, which the exported graphs reproduce. fill_hole_area is a predictor
# option (host side), not a model one.
VIDEO_PREDICTOR_OVERRIDES = {
    "sam_mask_decoder_extra_args": {
        "dynamic_multimask_via_stability": True,
        "dynamic_multimask_stability_delta": 0.05,
        "dynamic_multimask_stability_thresh": 0.98,
    },
    "binarize_mask_from_pts_for_mem_enc": True,
}

# The reference fixture's reduced sam2.1_hiera_t ("micro"): only these values differ.
MICRO_OVERRIDES = {
    "image_size": 512,
    "image_encoder": {
        "trunk": {"embed_dim": 16, "stages": [1, 1, 2, 1], "global_att_blocks": [3]},
        "neck": {
            "d_model": 64,
            "position_encoding": {"num_pos_feats": 64},
            "backbone_channel_list": [128, 64, 32, 16],
        },
    },
    "memory_attention": {
        "d_model": 64,
        "num_layers": 2,
        "layer": {
            "d_model": 64,
            "dim_feedforward": 128,
            "self_attention": {"embedding_dim": 64, "feat_sizes": [32, 32]},
            "cross_attention": {"embedding_dim": 64, "feat_sizes": [32, 32], "kv_in_dim": 16},
        },
    },
    "memory_encoder": {
        "out_dim": 16,
        "in_dim": 64,
        "position_encoding": {"num_pos_feats": 16},
        "mask_downsampler": {"embed_dim": 64},
        "fuser": {"layer": {"dim": 64}},
    },
}


def load_model_config(config_path, micro=False):
    from omegaconf import OmegaConf

    cfg = OmegaConf.load(config_path)
    if "model" not in cfg:
        raise SetupError(f"{config_path}: no `model:` section (is it a SAM 2 model config?)")
    cfg.model = OmegaConf.merge(cfg.model, OmegaConf.create(VIDEO_PREDICTOR_OVERRIDES))
    if micro:
        cfg.model = OmegaConf.merge(cfg.model, OmegaConf.create(MICRO_OVERRIDES))
    OmegaConf.resolve(cfg)
    return OmegaConf.to_container(cfg.model)


def build_model(config_path, checkpoint=None, seed=0, micro=False):
    """SAM2Base in eval mode: from a checkpoint, or seeded random weights when none is given."""
    model_cfg = load_model_config(config_path, micro=micro)
    torch.manual_seed(seed)  # before construction, as the fixture was made
    try:
        model = instantiate(model_cfg)
    except ImportError as e:
        # EdgeTAM's config, for one, needs timm (and downloads a pretrained backbone).
        raise SetupError(f"{config_path}: building the model needs a module that is missing: {e}")
    if checkpoint is not None:
        # weights_only is safer where it exists (PyTorch >= 1.13 has it).
        sd = torch.load(checkpoint, map_location="cpu", weights_only=True)
        sd = sd.get("model", sd)
        missing, unexpected = model.load_state_dict(sd, strict=False)
        if missing or unexpected:
            raise SetupError(
                f"{checkpoint} does not fit {config_path}: {len(missing)} missing keys "
                f"{missing[:3]}, {len(unexpected)} unexpected keys {unexpected[:3]}"
            )
    model.eval()
    return model, model_cfg
