"""Patches applied only while tracing for ONNX, then undone.

The eager model that the graphs are compared against runs SAM 2's unpatched code, so the
comparison also checks that each patch computes what the original does.
"""
import contextlib

import torch
import torch.nn.functional as F

from sam2_loader import _math_sdpa


def _hiera_pos_embed_with_repeat(self, hw):
    # Hiera._get_pos_embed with Tensor.tile -> Tensor.repeat: the same for a full-length
    # repeat list, and PyTorch 1.13's exporter has no symbolic for tile.
    h, w = hw
    window_embed = self.pos_embed_window
    pos_embed = F.interpolate(self.pos_embed, size=(h, w), mode="bicubic")
    pos_embed = pos_embed + window_embed.repeat(
        [x // y for x, y in zip(pos_embed.shape, window_embed.shape)]
    )
    return pos_embed.permute(0, 2, 3, 1)


def _rotate(x, cos, sin):
    """SAM 2's complex RoPE product (x0 + i·x1)(cos + i·sin), in real arithmetic: ONNX has
    no complex type. x: [..., N, d] with pairs (x0, x1) adjacent, cos/sin: [N, d/2]."""
    pairs = x.reshape(*x.shape[:-1], -1, 2)
    x0, x1 = pairs[..., 0], pairs[..., 1]
    out = torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1)
    return out.flatten(-2)


def _rope_attention_forward(self, q, k, v, num_k_exclude_rope=0):
    """RoPEAttention.forward with real-valued rotation and a dynamic key count.

    Keys are [memory tokens (rotated), pointer tokens (not rotated)]. The memory part holds a
    whole number of frames; each frame reuses the query's table (SAM 2's rope_k_repeat).
    """
    q = self._separate_heads(self.q_proj(q), self.num_heads)
    k = self._separate_heads(self.k_proj(k), self.num_heads)
    v = self._separate_heads(self.v_proj(v), self.num_heads)

    n_q = q.shape[-2]
    if self.freqs_cis.shape[0] != n_q:
        raise RuntimeError(
            f"RoPE table has {self.freqs_cis.shape[0]} positions, queries {n_q}: "
            "the config's feat_sizes must match image_size / 16"
        )
    # SAM 2 builds the table on CUDA when a GPU is present; the export runs on the CPU.
    cos = self.freqs_cis.real.float().to(q.device)
    sin = self.freqs_cis.imag.float().to(q.device)

    q = _rotate(q, cos, sin)
    n_rope = k.shape[-2] - num_k_exclude_rope
    k_rope, k_rest = k[:, :, :n_rope], k[:, :, n_rope:]
    if self.rope_k_repeat:
        frames = k_rope.reshape(k_rope.shape[0], k_rope.shape[1], -1, n_q, k_rope.shape[-1])
        k_rope = _rotate(frames, cos, sin).flatten(2, 3)
    else:
        k_rope = _rotate(k_rope, cos, sin)
    k = torch.cat((k_rope, k_rest), dim=2)

    out = _math_sdpa(q, k, v)
    return self.out_proj(self._recombine_heads(out))


def _stability_scores_float(self, mask_logits):
    # MaskDecoder._get_stability_scores with a float32 1.0: PyTorch 1.13 exports the Python
    # scalar in torch.where as a double, which ONNX Runtime rejects (Where mixes types).
    mask_logits = mask_logits.flatten(-2)
    delta = self.dynamic_multimask_stability_delta
    area_i = torch.sum(mask_logits > delta, dim=-1).float()
    area_u = torch.sum(mask_logits > -delta, dim=-1).float()
    return torch.where(area_u > 0, area_i / area_u, torch.ones_like(area_i))


@contextlib.contextmanager
def export_patches():
    from sam2.modeling.backbones.hieradet import Hiera
    from sam2.modeling.sam.mask_decoder import MaskDecoder
    from sam2.modeling.sam.transformer import RoPEAttention

    saved = [
        (MaskDecoder, "_get_stability_scores", MaskDecoder._get_stability_scores),
        (Hiera, "_get_pos_embed", Hiera._get_pos_embed),
        (RoPEAttention, "forward", RoPEAttention.forward),
        (F, "scaled_dot_product_attention", getattr(F, "scaled_dot_product_attention", None)),
    ]
    Hiera._get_pos_embed = _hiera_pos_embed_with_repeat
    MaskDecoder._get_stability_scores = _stability_scores_float
    RoPEAttention.forward = _rope_attention_forward
    # The same plain MatMul/Softmax graph from every PyTorch version; PyTorch 2's SDPA
    # symbolic decomposes to the same thing, 1.13 has none.
    F.scaled_dot_product_attention = _math_sdpa
    try:
        yield
    finally:
        for owner, name, value in saved:
            if value is None:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
