"""Mean-pooled sentence vectors of the (fine-tuned) encoder, computed once per text for head-only training.

Texts go through exactly the inference path of :class:`.inference.ToneClassifier` (placeholders filled,
tokenized, sorted by length, padded per batch) so a head trained on these vectors sees what it will see at
inference.
"""

from __future__ import annotations

from typing import Sequence

import torch

from .inference import pad
from .placeholders import fill_placeholders


def pooled_features(model, texts: Sequence[str], batch_size: int = 128, log=None) -> torch.Tensor:
    """``[len(texts), hidden]`` float32 mean-pooled vectors of ``model`` (a :class:`.model.ToneModel` in eval
    mode with a ``tokenizer``), in the order of ``texts``."""
    encodings = model.tokenizer.encode_batch([fill_placeholders(t) for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    out = torch.empty((len(texts), model.base.config["hidden_size"]), dtype=torch.float32)
    with torch.inference_mode():
        for n, start in enumerate(range(0, len(order), batch_size)):
            idx = order[start:start + batch_size]
            ids, mask = pad([encodings[i].ids for i in idx])
            out[idx] = model.pooled(ids, mask)
            if log is not None and n % 100 == 99:
                log(f"features: {start + len(idx)}/{len(texts)}")
    return out
