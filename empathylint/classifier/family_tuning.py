"""Teaching the tone model's top layers the behaviour families without changing what its tone heads say.

The family head on the frozen pooled vector (`families.train_head`) can only separate what the tone layers
already separate, and they were tuned for sentiment, politeness and needs-apology: condescension, blame and
a hollow acknowledgement look alike to them. Here the layers from ``fork`` up are tuned again, jointly:

* on the written family sentences (and real clean reply sentences), the family head's loss (`families`);
* on a replay of the tone training texts, the distance between the tone heads' logits and what the tone
  model gave before this stage (distillation: the tone heads stay as they are and keep their outputs).

The tuned layers replace the model's own, so a sentence still costs one encoder pass and the shipped delta
keeps its size. ``method="setfit"`` measures the few-shot alternative, SetFit-style contrastive tuning (pairs
of the same family pulled together, of different families pushed apart, by cosine similarity) of a copy of the
same layers, then the head on the result; without distillation its layers would change the tone heads, so it
is measured, not shipped. ``TuningConfig.contrast`` adds that pair loss, within each family batch, to the joint
objective (`batch_contrast`; measured, not shipped: the model card has the figures).

    python scripts/family_train.py --tone-from TONE_DIR --out models   # the shipped recipe (joint, from layer 4)
    python scripts/family_train.py --compare --tone-from TONE_DIR      # figures of each method, nothing saved
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as Fn
from torch import nn

from .families import FamilyHead, train_head
from .minilm import MiniLM, mean_pool

METHODS = ("head", "joint", "setfit")


@dataclass
class Cached:
    """One length-bucketed batch: the texts' indices and their hidden states entering layer ``fork``."""

    idx: list[int]
    hidden: torch.Tensor
    mask: torch.Tensor


@dataclass(frozen=True)
class TuningConfig:
    method: str = "joint"
    fork: int = 4
    epochs: int = 8
    lr_layers: float = 5e-5
    lr_head: float = 5e-4
    head_epochs: int = 60  # the head alone on the tuned (setfit) or untouched (head) layers' vectors
    head_warmup_epochs: int = 30  # joint: the head alone before the layers join in
    distill: float = 1.0
    contrastive_steps: int = 1500
    contrast: float = 0.0  # joint: weight of a contrastive term on each family batch's pooled vectors
    seed: int = 13


def cache_hidden(model, texts: Sequence[str], fork: int, batch_size: int = 32) -> list[Cached]:
    """Hidden states of ``texts`` below layer ``fork`` (the part no method changes), in float32."""
    from .inference import encoded_batches

    out = []
    with torch.no_grad():
        for idx, ids, mask in encoded_batches(model.tokenizer, list(texts), batch_size, 4096):
            hidden = model.base.run_layers(model.base.embeddings(ids), mask, 0, fork)
            out.append(Cached(idx, hidden.clone(), mask.clone()))
    return out


def run_top(layers: nn.ModuleList, cached: Cached, train: bool) -> torch.Tensor:
    """The pooled vector of a cached batch through ``layers``."""
    layers.train(train)
    keep = MiniLM.keep_mask(cached.mask)
    x = cached.hidden
    for layer in layers:
        x = layer(x, keep)
    return mean_pool(x, cached.mask)


def pooled(layers: nn.ModuleList, batches: list[Cached], n: int) -> torch.Tensor:
    rows: list[torch.Tensor | None] = [None] * n
    with torch.no_grad():
        for b in batches:
            for i, v in zip(b.idx, run_top(layers, b, False)):
                rows[i] = v
    return torch.stack(rows)  # type: ignore[arg-type]


def trainable_copy(model, fork: int) -> nn.ModuleList:
    """A copy of the model's layers from ``fork`` up, with gradients (the loaded ones are frozen views)."""
    top = nn.ModuleList([copy.deepcopy(layer) for layer in model.base.encoder.layer[fork:]])
    with torch.no_grad():
        for p in top.parameters():
            p.data = p.data.clone()
    for p in top.parameters():
        p.requires_grad_(True)
    return top


def tune(model, train: list[Cached], y: torch.Tensor, replay: list[Cached], cfg: TuningConfig
         ) -> tuple[nn.ModuleList, FamilyHead]:
    """(tuned copy of the layers from ``cfg.fork`` up, family head) by ``cfg.method``; ``model`` is unchanged."""
    if cfg.method not in METHODS:
        raise ValueError(f"unknown method {cfg.method!r} (one of {', '.join(METHODS)})")
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    top = trainable_copy(model, cfg.fork)
    if cfg.method == "setfit":
        _contrastive(top, train, y, cfg, rng)
    head = train_head(pooled(top, train, len(y)), y, cfg.head_warmup_epochs if cfg.method == "joint" else cfg.head_epochs)
    if cfg.method == "joint":
        _joint(model, top, head, train, y, replay, cfg, rng)
    head.eval()
    top.eval()
    return top, head


def _joint(model, top: nn.ModuleList, head: FamilyHead, train: list[Cached], y: torch.Tensor,
           replay: list[Cached], cfg: TuningConfig, rng: random.Random) -> None:
    for p in model.heads.parameters():
        p.requires_grad_(False)
    model.heads.eval()
    old = model.base.encoder.layer[cfg.fork:]
    with torch.no_grad():
        teacher = [{k: v.clone() for k, v in model.heads(run_top(old, b, False)).items()} for b in replay]
    optimiser = torch.optim.AdamW([{"params": top.parameters(), "lr": cfg.lr_layers},
                                   {"params": head.parameters(), "lr": cfg.lr_head}], weight_decay=0.01)
    positives = y.sum(0).clamp(min=1.0)
    family_loss = nn.BCEWithLogitsLoss(pos_weight=((len(y) - positives) / positives).clamp(max=20.0))
    labels = torch.where(y.any(1), y.argmax(1), -1)  # a sentence's family, -1 for a clean one
    for _ in range(cfg.epochs):
        steps = [(True, i) for i in range(len(train))] + [(False, i) for i in range(len(replay))]
        rng.shuffle(steps)
        for is_family, i in steps:
            if is_family:
                head.train()
                vectors = run_top(top, train[i], True)
                loss = family_loss(head(vectors), y[train[i].idx])
                if cfg.contrast:
                    loss = loss + cfg.contrast * batch_contrast(vectors, labels[train[i].idx])
            else:
                out = model.heads(run_top(top, replay[i], True))
                loss = cfg.distill * sum(Fn.mse_loss(out[k], t) for k, t in teacher[i].items())
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()


def batch_contrast(vectors: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """SetFit's pair loss within one batch: every pair's cosine similarity regressed to 1 when both
    sentences are of the same family (or both clean) and to 0 otherwise."""
    unit = Fn.normalize(vectors, dim=-1)
    similarity = unit @ unit.T
    same = (labels[:, None] == labels[None, :]).float()
    off = ~torch.eye(len(labels), dtype=torch.bool)
    if not off.any():
        return vectors.sum() * 0.0
    return Fn.mse_loss(similarity[off], same[off])


def _contrastive(top: nn.ModuleList, train: list[Cached], y: torch.Tensor, cfg: TuningConfig,
                 rng: random.Random) -> None:
    """SetFit's first stage: random pairs, half of the same family (or both clean), cosine similarity
    regressed to 1 for a same-family pair and 0 otherwise."""
    label = ["clean" if not row.any() else str(int(row.argmax())) for row in y]
    by_label: dict[str, list[int]] = {}
    for i, name in enumerate(label):
        by_label.setdefault(name, []).append(i)
    where = {i: (b, r) for b in train for r, i in enumerate(b.idx)}
    names = sorted(by_label)
    optimiser = torch.optim.AdamW(top.parameters(), lr=cfg.lr_layers * 0.4)
    for _ in range(cfg.contrastive_steps):
        left, right, same = [], [], []
        for _ in range(32):
            name = rng.choice(names)
            left.append(rng.choice(by_label[name]))
            if rng.random() < 0.5:
                right.append(rng.choice(by_label[name]))
                same.append(1.0)
            else:
                right.append(rng.choice(by_label[rng.choice([n for n in names if n != name])]))
                same.append(0.0)
        similarity = Fn.cosine_similarity(run_top(top, _gather(where, left), True),
                                          run_top(top, _gather(where, right), True))
        loss = Fn.mse_loss(similarity, torch.tensor(same))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()


def _gather(where: dict[int, tuple[Cached, int]], items: list[int]) -> Cached:
    """A batch of single sentences taken out of their cached batches, padded to the longest."""
    rows = [(b.hidden[r, : int(b.mask[r].sum())]) for b, r in (where[i] for i in items)]
    length = max(len(r) for r in rows)
    hidden = torch.zeros(len(rows), length, rows[0].shape[-1])
    mask = torch.zeros(len(rows), length, dtype=torch.long)
    for j, r in enumerate(rows):
        hidden[j, : len(r)] = r
        mask[j, : len(r)] = 1
    return Cached(items, hidden, mask)


def install(model, top: nn.ModuleList, fork: int) -> None:
    """Put the tuned layers in place of the model's own from ``fork`` up (what ``joint`` ships)."""
    for offset, layer in enumerate(top):
        for p in layer.parameters():
            p.requires_grad_(False)
        model.base.encoder.layer[fork + offset] = layer.eval()
