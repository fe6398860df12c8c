"""Training batches from cached hidden states: the frozen bottom of the encoder runs once per text, and
each epoch mixes the sources (with oversampling) into length-bucketed, shuffled batches."""

from __future__ import annotations

import random

import torch

from .inference import pad


class HiddenCache:
    """Frozen-bottom hidden states of every training text, in one flat float16 tensor."""

    def __init__(self, model, tokenizer, texts: list[str], batch: int = 128) -> None:
        encs = tokenizer.encode_batch(texts)
        self.lengths = [len(e.ids) for e in encs]
        self.offsets = [0] * len(texts)
        total = 0
        for i, n in enumerate(self.lengths):
            self.offsets[i] = total
            total += n
        hidden = model.base.config["hidden_size"]
        self.states = torch.empty((total, hidden), dtype=torch.float16)
        order = sorted(range(len(texts)), key=lambda i: self.lengths[i])
        with torch.inference_mode():
            for s in range(0, len(order), batch):
                idx = order[s:s + batch]
                ids, mask = pad([encs[i].ids for i in idx])
                h = model.bottom(ids, mask)
                for j, i in enumerate(idx):
                    o, n = self.offsets[i], self.lengths[i]
                    self.states[o:o + n] = h[j, :n].to(torch.float16)

    def batch(self, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """(hidden states, attention mask) of these examples, padded to the longest."""
        n = max(self.lengths[i] for i in idx)
        x = torch.zeros((len(idx), n, self.states.shape[1]), dtype=torch.float32)
        mask = torch.zeros((len(idx), n), dtype=torch.long)
        for row, i in enumerate(idx):
            o, k = self.offsets[i], self.lengths[i]
            x[row, :k] = self.states[o:o + k].float()
            mask[row, :k] = 1
        return x, mask


def epoch_batches(sources: dict[str, list[int]], oversample: dict, batch_size: int, rng: random.Random,
                  lengths: list[int]) -> list[list[int]]:
    """One epoch: each source's indices repeated by its oversampling factor, shuffled, then bucketed by
    length inside windows of 50 batches, and the batch order shuffled."""
    pool: list[int] = []
    for name in sorted(sources):
        idx = sources[name]
        factor = oversample.get(name, 1.0)
        whole = int(factor)
        pool.extend(idx * whole)
        frac = factor - whole
        if frac > 0:
            pool.extend(rng.sample(idx, round(len(idx) * frac)))
    rng.shuffle(pool)
    window = batch_size * 50
    batches = []
    for s in range(0, len(pool), window):
        chunk = sorted(pool[s:s + window], key=lambda i: lengths[i])
        batches.extend(chunk[k:k + batch_size] for k in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches
