"""Sentence embeddings from all-MiniLM-L6-v2 as its authors trained it: mean-pooled, unit length, so that the
dot product of two is their cosine similarity. The acknowledgement check compares the customer's message
with the reply's sentences this way (paraphrases and synonyms count, not only repeated words).

The tone model fine-tunes the encoder's top layers, so its pooled vector is no longer this space; the
embeddings come from the base weights (the same hash-verified file), loaded once per process on first use.

    encoder = load_sentence_encoder()
    vectors = encoder.embed(["Speeds are terrible in the evening", "Sorry the evenings have been so slow"])
    float(vectors[0] @ vectors[1])  # ~0.6
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Sequence

import torch

from ..nlp.memory import trim_heap
from .encoder import load_base_encoder
from .inference import encoded_batches
from .minilm import mean_pool

_LOCK = threading.Lock()
_ENCODERS: dict[str | None, "SentenceEncoder"] = {}
#: Model batches between two `trim_heap` calls in one `embed`.
TRIM_EVERY = 4


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence vectors (float32, unit length), with a cache of texts already embedded."""

    def __init__(self, folder: Path | str | None = None, cache_size: int = 20_000, batch_size: int = 64,
                 max_batch_tokens: int = 1024) -> None:
        base = load_base_encoder(folder)
        self.model = base.model.eval()
        self.tokenizer = base.tokenizer
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self._cache: OrderedDict[str, torch.Tensor] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> torch.Tensor:
        """One unit vector per text (rows in order); repeated texts are embedded once."""
        with self._lock:
            todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if todo:
                with torch.inference_mode():
                    for number, (idx, ids, mask) in enumerate(encoded_batches(self.tokenizer, todo, self.batch_size,
                                                                              self.max_batch_tokens), 1):
                        if number % TRIM_EVERY == 0:
                            trim_heap()  # a long call's freed activations back to the OS (`nlp.memory`)
                        hidden = self.model.run_layers_packed(self.model.embeddings(ids), mask)
                        vectors = torch.nn.functional.normalize(mean_pool(hidden, mask).float(), dim=-1)
                        for row, i in enumerate(idx):
                            self._cache[todo[i]] = vectors[row].clone()
            out = [self._cache[t] for t in texts]
            for t in texts:
                self._cache.move_to_end(t)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return torch.stack(out) if out else torch.zeros((0, self.model.config["hidden_size"]))

    def similarity(self, left: Sequence[str], right: Sequence[str]) -> torch.Tensor:
        """``[len(left), len(right)]`` cosine similarities."""
        vectors = self.embed([*left, *right])
        return vectors[: len(left)] @ vectors[len(left):].T


def load_sentence_encoder(folder: Path | str | None = None) -> SentenceEncoder:
    """The process's sentence encoder (the base package's weights, or those in ``folder``), loaded once."""
    key = str(folder) if folder is not None else None
    with _LOCK:
        if key not in _ENCODERS:
            _ENCODERS[key] = SentenceEncoder(folder)
        return _ENCODERS[key]
