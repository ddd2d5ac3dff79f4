"""MAGDi's losses as pure functions: L = alpha * L_ntp + beta * L_node + gamma * L_margin.

Each returns a scalar; an empty input gives a zero that stays connected to the autograd graph (so
every parameter still gets a gradient, which DDP needs). Weighting happens in `combine` alone.
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

IGNORE = -100
Pooling = Literal["position", "mean", "last"]


def shift_targets(hidden: Tensor, labels: Tensor) -> tuple[Tensor, Tensor]:
    """The states that predict a labelled token, and those tokens.

    Position t predicts token t + 1; only targets != IGNORE are kept, so the LM head runs on the
    answer tokens alone rather than on every position (no full-vocabulary logits for the prompt,
    padding or negative chains).

    Shapes: hidden (B, T, ...), labels (B, T) -> states (N, ...), targets (N,).
    """
    targets = labels[:, 1:]
    keep = targets != IGNORE  # (B, T-1)
    return hidden[:, :-1][keep], targets[keep]


def ntp_loss(logits: Tensor, targets: Tensor) -> Tensor:
    """Mean token cross-entropy, computed in fp32. Shapes: logits (N, V), targets (N,) -> ()."""
    if targets.numel() == 0:
        return logits.sum() * 0.0
    return F.cross_entropy(logits.float(), targets)


def pool(hidden: Tensor, attention_mask: Tensor, mode: Pooling = "position") -> Tensor:
    """One vector per sequence from the last hidden state, over non-padding tokens.

    position: mean weighted by the token's 1-based position among the real tokens (MAGDi);
    mean: plain mean; last: the last real token. Works for left or right padding.

    Computed in fp32 (position weights run into the thousands).

    Shapes: hidden (B, T, H), attention_mask (B, T) -> (B, H).
    """
    hidden, mask = hidden.float(), attention_mask.float()
    if mode == "last":
        T = attention_mask.shape[1]
        last = T - 1 - attention_mask.flip(1).argmax(1)  # (B,)
        return hidden[torch.arange(hidden.shape[0], device=hidden.device), last]
    weights = mask.cumsum(1) * mask if mode == "position" else mask  # (B, T)
    return (hidden * weights.unsqueeze(-1)).sum(1) / weights.sum(1, keepdim=True).clamp_min(1.0)


def margin_loss(pos_scores: Tensor, neg_scores: Tensor, margin: float = 1.0) -> Tensor:
    """Margin ranking: mean(max(0, margin - (pos - neg))). Shapes: (P,), (P,) -> ()."""
    if pos_scores.numel() == 0:
        return (pos_scores.sum() + neg_scores.sum()) * 0.0
    return F.margin_ranking_loss(pos_scores, neg_scores, torch.ones_like(pos_scores), margin=margin)


def node_loss(logits: Tensor, labels: Tensor) -> Tensor:
    """Node classification cross-entropy (label 1 = correct). Shapes: (N, C), (N,) -> ()."""
    if labels.numel() == 0:
        return logits.sum() * 0.0
    return F.cross_entropy(logits.float(), labels)


def combine(losses: dict[str, Tensor], weights: dict[str, float]) -> Tensor:
    """The weighted sum over the losses present: sum_k weights[k] * losses[k]."""
    return torch.stack([weights[k] * v for k, v in losses.items()]).sum()
