"""The multi-task loss: each example contributes the losses of the heads it has targets for."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from . import data as D


class Targets:
    """Per-example targets as tensors, NaN / -1 where an example has no target for a head."""

    def __init__(self, examples: list[D.Example]) -> None:
        self.sentiment = torch.tensor([-1 if e.sentiment is None else e.sentiment for e in examples])
        self.binary = torch.tensor([e.binary for e in examples])
        self.weight = torch.tensor([e.weight for e in examples], dtype=torch.float32)
        self.politeness = torch.tensor([math.nan if e.politeness is None else e.politeness for e in examples])
        self.apology = torch.tensor([math.nan if e.apology is None else e.apology for e in examples])


def sentiment_loss(logits: torch.Tensor, t: Targets, ix: torch.Tensor) -> torch.Tensor | None:
    """Sum over the examples ``ix`` (that have a sentiment target) of the cross-entropy over three classes, or
    over negative/positive only for binary (SST-2) examples, times each example's weight; None when no
    example in ``ix`` has a sentiment target."""
    y = t.sentiment[ix]
    binary = t.binary[ix]
    has = y >= 0
    if not has.any():
        return None
    loss = torch.zeros(len(ix))
    three = has & ~binary
    if three.any():
        loss[three] = F.cross_entropy(logits[three], y[three], reduction="none")
    two = has & binary
    if two.any():  # negative vs positive only: the neutral logit takes no part
        loss[two] = F.cross_entropy(logits[two][:, [0, 2]], (y[two] == 2).long(), reduction="none")
    return (loss * t.weight[ix]).sum()


def multitask_loss(logits: dict[str, torch.Tensor], t: Targets, idx: list[int], weights: dict
                   ) -> tuple[torch.Tensor, dict[str, float]]:
    """Mean over the batch of the weighted per-head losses, and each head's part (for the log).
    Sentiment: :func:`sentiment_loss`; politeness and needs-apology: binary cross-entropy against a
    soft / hard target."""
    ix = torch.tensor(idx)
    B = len(idx)
    total = logits["sentiment"].new_zeros(())
    parts = {}
    s = sentiment_loss(logits["sentiment"], t, ix)
    if s is not None:
        s = s / B
        total = total + weights["sentiment"] * s
        parts["sentiment"] = float(s.detach())
    for head in ("politeness", "apology"):
        target = getattr(t, head)[ix]
        has = ~torch.isnan(target)
        if has.any():
            s = F.binary_cross_entropy_with_logits(logits[head][has], target[has], reduction="sum") / B
            total = total + weights[head] * s
            parts[head] = float(s.detach())
    return total, parts
