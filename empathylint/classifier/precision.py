"""The arithmetic the tone model's encoder runs in: ``float32``, ``bfloat16``, ``int8``, or ``auto``.

* ``float32``: the reference; bit for bit the same results on every run of the same machine.
* ``bfloat16``: the encoder's matrix multiplications in bfloat16 (their weights stored as bfloat16, the rest
  under ``torch.autocast``); LayerNorm statistics, pooling and the heads stay float32. On a CPU with bfloat16
  instructions (AVX512-BF16 or AMX) it is 1.5–1.8 times as fast as float32 and leaves every dev figure within
  0.3 points (``evaluate --precision all``); elsewhere the arithmetic is emulated and slower, which is why ``auto``
  checks the CPU.
* ``int8``: the feed-forward layers quantised (:mod:`.quantize`): about as fast, but 1.4 points lower on SST-2
  and 2.8 on TweetEval (``evaluate --precision all``); for those who ask for it.
* ``auto`` (the default): ``bfloat16`` where the CPU has bfloat16 instructions, else ``float32``.

The bfloat16 matrix multiplications go through oneDNN, which compiles a kernel for every new matrix shape
and keeps up to 1,024 of them: RSS rose ~50 MB over the first ten thousand sentences. The classifier rounds
its batch shapes (`inference.SHAPE_MULTIPLE`) so that they repeat, and the cache is held to
`ONEDNN_CACHE_CAPACITY` entries unless ``ONEDNN_PRIMITIVE_CACHE_CAPACITY`` is set already.
"""

from __future__ import annotations

import contextlib
import os

# torch is imported inside the functions: the command line and the config reader take PRECISIONS from here
PRECISIONS = ("auto", "float32", "bfloat16", "int8")
ONEDNN_CACHE_CAPACITY = 256


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (what makes the bfloat16 path fast)."""
    import torch

    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(cpu, name, lambda: False)()) for name in checks)


def resolve(precision: str) -> str:
    """``precision`` with ``auto`` replaced by what this machine runs; an unknown name is a ValueError."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision '{precision}'; use one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bfloat16" if native_bfloat16() else "float32"
    return precision


def prepare(model, precision: str) -> None:
    """Convert ``model`` (a `ToneModel`) in place for a resolved ``precision``: bfloat16 weights for the
    encoder's linear layers, or int8 feed-forward layers. The heads always stay float32."""
    import torch
    from torch import nn

    if precision == "bfloat16":
        # read by oneDNN when it first compiles a kernel, which the first bfloat16 batch does
        os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(ONEDNN_CACHE_CAPACITY))
        for module in model.base.encoder.modules():
            if isinstance(module, nn.Linear):
                module.to(torch.bfloat16)
    elif precision == "int8":
        from .quantize import quantize_feed_forward

        quantize_feed_forward(model)


def encoder_context(precision: str):
    """The context the encoder runs under for a resolved ``precision``."""
    if precision == "bfloat16":
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)
    return contextlib.nullcontext()
