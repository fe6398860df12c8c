"""Behaviour-family heads: one multi-label head on the tone model's pooled sentence vector.

The written sentence sets in ``models/families/`` (train, dev and a held-out test part written first, by
another writer) label each support-reply sentence with the behaviour family it shows (condescension, blame,
excuse, …) or none; clean look-alikes share words with the bad ones. The head reads the same mean-pooled
vector the tone heads read (`ToneModel.pooled`), so a sentence still costs one encoder pass.

    python scripts/family_train.py --out models     # train, calibrate, save (what is shipped)
    python scripts/family_eval.py                   # figures on the held-out test part

Thresholds are per family (`choose_thresholds`), kept in ``family-heads.json`` beside the weights with the
figures they were chosen on.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import torch
from torch import nn

#: The families the head learns, in output order (the rule packs' ``family`` names).
FAMILIES = ("condescension", "blame", "excuse", "apology", "acknowledgement", "handoff", "timeline", "promise",
            "rudeness", "negativity", "cliche", "closing")
SETS = Path("families")
WEIGHTS = "family-heads.safetensors"
META = "family-heads.json"


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence of a family set: ``family`` None for a clean one (``lookalike``: the family it
    imitates, for a hard negative)."""

    text: str
    family: str | None
    lookalike: str | None = None
    id: str = ""


def read_set(path: Path) -> list[Sentence]:
    """A family set file (JSON lines); a bad line is an error naming the file and line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            family = item["family"]
            if family is not None and family not in FAMILIES:
                raise ValueError(f"unknown family {family!r}")
            out.append(Sentence(str(item["text"]), family, item.get("lookalike"), str(item.get("id", ""))))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a family-set line ({exc})") from None
    return out


def read_split(models: Path, split: str) -> list[Sentence]:
    """Every ``<split>*.jsonl`` of the family sets (``train-a.jsonl`` and ``train-b.jsonl`` are one split)."""
    files = sorted((models / SETS).glob(f"{split}*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{models / SETS}: no {split}*.jsonl")
    return [s for f in files for s in read_set(f)]


def targets(sentences: Sequence[Sentence]) -> torch.Tensor:
    y = torch.zeros(len(sentences), len(FAMILIES))
    for i, s in enumerate(sentences):
        if s.family is not None:
            y[i, FAMILIES.index(s.family)] = 1.0
    return y


class FamilyHead(nn.Module):
    """384 -> inner -> one logit per family."""

    def __init__(self, hidden: int = 384, inner: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(hidden, inner), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(inner, len(FAMILIES)))

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        return self.net(pooled)


def pooled_vectors(classifier, texts: Sequence[str], batch_size: int = 64) -> torch.Tensor:
    """The tone model's pooled vector of each text (the one pass every head reads), float32, in order."""
    rows: dict[int, torch.Tensor] = {}
    for idx, pooled in classifier.pooled(texts, batch_size):
        rows.update(zip(idx, pooled))
    return torch.stack([rows[i] for i in range(len(texts))])


def train_head(x: torch.Tensor, y: torch.Tensor, epochs: int = 60, lr: float = 2e-3, seed: int = 13,
               weight_decay: float = 0.01) -> FamilyHead:
    """Full-batch-ish AdamW on the cached vectors; positives weighted up to balance each family's clean rest."""
    torch.manual_seed(seed)
    head = FamilyHead()
    optimiser = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=weight_decay)
    positives = y.sum(0).clamp(min=1.0)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=((len(y) - positives) / positives).clamp(max=20.0))
    order = list(range(len(x)))
    rng = random.Random(seed)
    head.train()
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order), 64):
            batch = order[start:start + 64]
            optimiser.zero_grad()
            loss_fn(head(x[batch]), y[batch]).backward()
            optimiser.step()
    head.eval()
    return head


def probabilities(head: FamilyHead, x: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode():
        return torch.sigmoid(head(x))


def choose_thresholds(p: torch.Tensor, y: torch.Tensor, precision: float,
                      real: torch.Tensor | None = None, real_budget: float = 0.01) -> dict[str, dict]:
    """Per family: the smallest threshold whose dev precision reaches ``precision`` (the most recall at that
    precision) and, when ``real`` holds the probabilities of sentences from real replies a QA lead judged
    fine, that flags at most ``real_budget`` of them; else the F1-best one, marked ``below_target``. With the
    figures it gives."""
    chosen = {}
    for j, family in enumerate(FAMILIES):
        best, best_f1 = None, None
        for t in [i / 100 for i in range(5, 100)] + [0.995, 0.999]:
            tp, fp, fn = _counts(p[:, j] >= t, y[:, j] > 0)
            prec = tp / (tp + fp) if tp + fp else 0.0
            rec = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            figures = {"threshold": t, "precision": round(prec, 3), "recall": round(rec, 3)}
            if real is not None and len(real):
                figures["real_flagged"] = round(float((real[:, j] >= t).float().mean()), 4)
            within = real is None or not len(real) or figures["real_flagged"] <= real_budget
            if best is None and tp and prec >= precision and within:
                best = figures
            if best_f1 is None or f1 > best_f1[0]:
                best_f1 = (f1, figures)
        chosen[family] = best or {**best_f1[1], "below_target": True}
    return chosen


def _counts(pred: torch.Tensor, gold: torch.Tensor) -> tuple[int, int, int]:
    return int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())


def save(head: FamilyHead, out: Path, meta: dict) -> Path:
    from safetensors.torch import save_file

    path = out / WEIGHTS
    save_file({k: v.detach().to(torch.float16).contiguous() for k, v in head.state_dict().items()}, str(path))
    meta = {**meta, "families": list(FAMILIES), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    (out / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path


def load(models: Path) -> tuple[FamilyHead, dict]:
    """The saved head and its metadata; the weights' sha256 is checked against the metadata first."""
    from safetensors.torch import load_file

    meta = json.loads((models / META).read_text(encoding="utf-8"))
    path = models / WEIGHTS
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != meta["sha256"]:
        raise ValueError(f"{path}: sha256 {digest} does not match {meta['sha256']} in {models / META}")
    head = FamilyHead(inner=int(meta.get("inner", 256)))
    head.load_state_dict({k: v.float() for k, v in load_file(str(path)).items()})
    head.eval()
    return head, meta


@dataclass(frozen=True)
class Threshold:
    """A family's warning threshold and whether it reached the precision target on dev (else: hints only)."""

    value: float
    calibrated: bool
    dev_precision: float | None = None
    dev_recall: float | None = None


@lru_cache(maxsize=4)
def load_thresholds(models: Path | None = None) -> dict[str, Threshold]:
    """The per-family thresholds shipped beside the head (``family-heads.json``); empty when there is none."""
    from ..resources import models_dir

    path = (models or models_dir()) / META
    if not path.is_file():
        return {}
    chosen = json.loads(path.read_text(encoding="utf-8")).get("thresholds", {})
    return {family: Threshold(float(c["threshold"]), not c.get("below_target", False), c.get("precision"),
                              c.get("recall")) for family, c in chosen.items()}
