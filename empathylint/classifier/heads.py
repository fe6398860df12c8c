"""Per-task heads on the mean-pooled sentence vector: sentiment (3 classes), politeness (1 logit),
needs-apology (1 logit). Each head: dropout -> dense -> GELU -> dropout -> output."""

from __future__ import annotations

import torch
from torch import nn

HEADS = {"sentiment": 3, "politeness": 1, "apology": 1}


class _Head(nn.Module):
    def __init__(self, hidden: int, inner: int, n_out: int, dropout: float) -> None:
        super().__init__()
        self.drop = nn.Dropout(dropout)
        self.dense = nn.Linear(hidden, inner)
        self.out = nn.Linear(inner, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.drop(nn.functional.gelu(self.dense(self.drop(x)))))


class ToneHeads(nn.Module):
    def __init__(self, hidden: int = 384, inner: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.sentiment = _Head(hidden, inner, HEADS["sentiment"], dropout)
        self.politeness = _Head(hidden, inner, HEADS["politeness"], dropout)
        self.apology = _Head(hidden, inner, HEADS["apology"], dropout)

    def forward(self, pooled: torch.Tensor) -> dict[str, torch.Tensor]:
        return {
            "sentiment": self.sentiment(pooled),
            "politeness": self.politeness(pooled).squeeze(-1),
            "apology": self.apology(pooled).squeeze(-1),
        }


def probabilities(logits: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Logits -> probabilities (softmax for sentiment, sigmoid for the binary heads)."""
    return {
        "sentiment": torch.softmax(logits["sentiment"].float(), dim=-1),
        "politeness": torch.sigmoid(logits["politeness"].float()),
        "apology": torch.sigmoid(logits["apology"].float()),
    }
