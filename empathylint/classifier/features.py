"""Mean-pooled sentence vectors of the (fine-tuned) encoder, computed once per text for head-only training.

Texts go through the batching of :class:`.inference.ToneClassifier` itself (`inference.encoded_batches`:
placeholders filled, tokenized, sorted by length, padded per batch), so a head trained on these vectors sees
what it will see at inference.
"""

from __future__ import annotations

from typing import Sequence

import torch

from .inference import encoded_batches


def pooled_features(model, texts: Sequence[str], batch_size: int = 128, log=None,
                    max_tokens: int = 1 << 30) -> torch.Tensor:
    """``[len(texts), hidden]`` float32 mean-pooled vectors of ``model`` (a :class:`.model.ToneModel` in eval
    mode with a ``tokenizer``), in the order of ``texts``."""
    out = torch.empty((len(texts), model.base.config["hidden_size"]), dtype=torch.float32)
    done = 0
    with torch.inference_mode():
        for n, (idx, ids, mask) in enumerate(encoded_batches(model.tokenizer, texts, batch_size, max_tokens)):
            out[idx] = model.pooled(ids, mask)
            done += len(idx)
            if log is not None and n % 100 == 99:
                log(f"features: {done}/{len(texts)}")
    return out
