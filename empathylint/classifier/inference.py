"""The in-memory classifier: ``predict(texts) -> list[ToneScores]`` with one encoder pass for all heads.

``{{Placeholder}}`` slots are filled with neutral stand-ins first (:mod:`.placeholders`). Texts are tokenized
together, sorted by length and run in batches padded to the longest text of the batch, under
``torch.inference_mode()``; the encoder's matrix products skip the padding (`minilm.Packed`). Results are cached
per text (canned replies repeat the same sentences).

The encoder runs in the arithmetic ``precision`` names (:mod:`.precision`): by default bfloat16 where the CPU
has bfloat16 instructions (1.5–1.8 times as fast, dev figures within 0.3 points), else float32.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Iterator, Sequence

import torch

from .heads import probabilities
from .minilm import round_up
from .model import ToneModel, load_model
from .placeholders import fill_placeholders
from .precision import encoder_context, prepare, resolve
from .scores import SENTIMENT_LABELS, ToneScores


class ToneClassifier:
    """The shipped tone model (or one trained into ``model_dir``)."""

    def __init__(self, model: ToneModel, meta: dict, batch_size: int = 64, cache_size: int = 20000,
                 precision: str = "auto", max_batch_tokens: int = 1024) -> None:
        self.precision = resolve(precision)
        prepare(model, self.precision)
        self.model = model
        self.meta = meta
        self.tokenizer = model.tokenizer
        self.max_length = int(meta["max_length"])
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self._cache: OrderedDict[str, ToneScores] = OrderedDict()
        self._cache_size = cache_size
        self.family_head = None  # `families.FamilyHead` reading the same pooled vector, when one is shipped

    @classmethod
    def load(cls, model_dir: Path | str | None = None, **kwargs) -> "ToneClassifier":
        """The tone model in ``model_dir`` (default: the shipped ``models/``); ``kwargs`` go to the constructor."""
        if model_dir is None:
            from ..resources import models_dir

            model_dir = models_dir()
        model, meta = load_model(model_dir)
        classifier = cls(model, meta, **kwargs)
        from . import families

        if (Path(model_dir) / families.META).is_file():
            classifier.family_head, _ = families.load(Path(model_dir))
        return classifier

    def predict(self, texts: Sequence[str], batch_size: int | None = None) -> list[ToneScores]:
        """Scores for each text, in order. Repeated texts (in the call or seen before) are computed once."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            for text, scores in zip(todo, self._run(todo, batch_size or self.batch_size)):
                self._cache[text] = scores
        out = []
        for t in texts:
            s = self._cache[t]
            self._cache.move_to_end(t)
            out.append(s)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return out

    def pooled(self, texts: Sequence[str], batch_size: int | None = None) -> Iterator[tuple[list[int], torch.Tensor]]:
        """``(indices, float32 pooled vectors)`` per length-bucketed batch: the one encoder pass every head
        reads (tone here, behaviour families in `families`)."""
        with torch.inference_mode():
            for idx, ids, mask in encoded_batches(self.tokenizer, list(texts), batch_size or self.batch_size,
                                                  self.max_batch_tokens, SHAPE_MULTIPLE.get(self.precision, 1)):
                with encoder_context(self.precision):
                    pooled = self.model.pooled(ids, mask, ROW_MULTIPLE.get(self.precision, 1))
                yield idx, pooled.float()

    def _run(self, texts: list[str], batch_size: int) -> list[ToneScores]:
        results: list[ToneScores | None] = [None] * len(texts)
        with torch.inference_mode():
            for idx, pooled in self.pooled(texts, batch_size):
                probs = probabilities(self.model.heads(pooled))
                sent = probs["sentiment"].tolist()
                pol = probs["politeness"].tolist()
                apo = probs["apology"].tolist()
                fam = self._families(pooled)
                for j, i in enumerate(idx):
                    results[i] = ToneScores(dict(zip(SENTIMENT_LABELS, sent[j])), pol[j], apo[j],
                                            fam[j] if fam else None)
        return results  # type: ignore[return-value]

    def _families(self, pooled: torch.Tensor) -> list[dict[str, float]] | None:
        if self.family_head is None:
            return None
        from .families import FAMILIES

        rows = torch.sigmoid(self.family_head(pooled)).tolist()
        return [dict(zip(FAMILIES, row)) for row in rows]

    def predict_task(self, texts: Sequence[str], task: str) -> list[dict[str, float]]:
        return [s.scores(task) for s in self.predict(texts)]


#: Batch shapes are rounded up to multiples of this (rows and length) per precision. oneDNN, which runs the
#: bfloat16 matrix multiplications, compiles and caches a kernel per shape: with every length and every
#: last-batch size a new shape, its cache grew by ~25 MB per 500 replies; on multiples of 8 it stays flat.
#: The matrix products skip the padding (`ROW_MULTIPLE`), so it costs only attention. A batch of a few
#: sentences (one new sentence in a pre-send check) keeps its rows: eight rows for one would make it slower than
#: float32. float32 goes through kernels that are not cached per shape.
SHAPE_MULTIPLE = {"bfloat16": 8}
#: The encoder's matrix products run on a batch's real tokens alone (`minilm.Packed`), their row count rounded
#: up to a multiple of this per precision, for the same reason: 16 shapes at most for batches of up to 1,024
#: tokens.
ROW_MULTIPLE = {"bfloat16": 64}


def encoded_batches(tokenizer, texts: Sequence[str], batch_size: int, max_tokens: int, multiple: int = 1
                    ) -> Iterator[tuple[list[int], torch.Tensor, torch.Tensor]]:
    """``(indexes into texts, input_ids, attention_mask)`` per batch: the texts with their template slots
    ({{Order Number}}) filled by neutral stand-ins (the model never saw template syntax), tokenized together,
    sorted by length and padded per batch (`_batches`), rows and length to a ``multiple`` (the rows past
    ``len(indexes)`` are padding: one [CLS] token each)."""
    encodings = tokenizer.encode_batch([fill_placeholders(t) for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    lengths = [len(encodings[i].ids) for i in order]
    for idx in _batches(order, lengths, batch_size, max_tokens):
        ids, mask = pad([encodings[i].ids for i in idx], multiple)
        yield idx, ids, mask


def _batches(order: list[int], lengths: list[int], batch_size: int, max_tokens: int) -> list[list[int]]:
    """Cut ``order`` (sorted by ``lengths``, ascending) into batches of at most ``batch_size`` texts and at
    most ``max_tokens`` padded tokens: sentences of up to 16 word pieces go 64 at a time, longer ones fewer,
    so that the activations of one batch (and the peak memory) stay bounded (1,024: peak RSS over 10,000
    replies 622 MB, against 675 MB at 2,048, at the same classifier speed)."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, n in zip(order, lengths):
        if current and (len(current) == batch_size or (len(current) + 1) * n > max_tokens):
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    return out


def pad(sequences: list[list[int]], multiple: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad token id lists to the longest; returns (input_ids, attention_mask) int64 tensors. With
    ``multiple`` > 1 the length is rounded up to a multiple of it, and so is the number of rows when there are
    more than ``multiple``; each extra row holds the first token of the first sequence alone (a row with no
    token would attend to nothing)."""
    n = round_up(max(len(s) for s in sequences), multiple)
    rows = round_up(len(sequences), multiple) if len(sequences) > multiple else len(sequences)
    ids = torch.zeros((rows, n), dtype=torch.long)
    mask = torch.zeros((rows, n), dtype=torch.long)
    for row, seq in enumerate(sequences):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    ids[len(sequences):, 0] = sequences[0][0]
    mask[len(sequences):, 0] = 1
    return ids, mask
