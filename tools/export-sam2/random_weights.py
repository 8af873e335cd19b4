"""Random weights that make a usable test model, as the reference fixture's were made.

Default-initialised SAM 2 is degenerate: its object-score head returns about -0.2 for every
input (every object "absent", so the decoder's present branch is never exercised) and its
memory path is nearly inert. The fixture (shared/reference/sam2-micro/README.md) rescaled once:
score head's last layer weight x30 and its bias shifted; maskmem_tpos_enc x25; in every
memory-attention layer the cross-attention q_proj and k_proj weights x2, out_proj weight x5.
"""
import torch


def _score_head_last(model):
    head = model.sam_mask_decoder.pred_obj_score_head
    return head.layers[-1] if hasattr(head, "layers") else head


@torch.no_grad()
def rescale_like_fixture(model, score_bias=None):
    last = _score_head_last(model)
    last.weight.mul_(30.0)
    if score_bias is not None:
        last.bias.fill_(score_bias)
    model.maskmem_tpos_enc.mul_(25.0)
    for layer in model.memory_attention.layers:
        ca = layer.cross_attn_image
        ca.q_proj.weight.mul_(2.0)
        ca.k_proj.weight.mul_(2.0)
        ca.out_proj.weight.mul_(5.0)


@torch.no_grad()
def center_object_scores(model, decoder, decoder_inputs):
    """Shift the score head's bias to halfway between the two middle object scores over
    `decoder_inputs`: the check then sees present and absent rows alike, none near 0 (where
    float noise could flip presence between ONNX Runtime and PyTorch)."""
    occ = decoder(*decoder_inputs)[4].flatten().sort().values
    n = occ.numel()
    _score_head_last(model).bias.sub_((occ[(n - 1) // 2] + occ[n // 2]) / 2)
