"""The tone model: the base MiniLM with its top layers replaced by the fine-tuned ones shipped in
``models/``, mean pooling, and the task heads — one encoder pass gives every head.

Shipped files (written by :func:`save_model`, read by :func:`load_model`):

* ``tone-minilm.safetensors``: the fine-tuned layers ``encoder.layer.N.*`` (N >= ``first_trainable_layer``)
  and the heads ``heads.*``, in float16. Only tensors: safetensors never executes code.
* ``tone-minilm.json``: metadata (base model pin and hash, which layers are replaced, max length, the
  sha256 of the weights file, training hyper-parameters).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from ..errors import PipelineError
from .encoder import EXPECTED_SHA256, PACKAGE_PIN, load_base_encoder, sha256_file, verify_sha256
from .heads import ToneHeads
from .minilm import MiniLM, mean_pool

META_FILE = "tone-minilm.json"
WEIGHTS_FILE = "tone-minilm.safetensors"
FORMAT = 1


class ToneModel(nn.Module):
    def __init__(self, base: MiniLM, first_trainable: int, head_inner: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.base = base
        self.first_trainable = first_trainable
        hidden = base.config["hidden_size"]
        self.heads = ToneHeads(hidden, head_inner, dropout)
        self.head_inner = head_inner

    def freeze_bottom(self) -> None:
        """Only the layers from ``first_trainable`` up and the heads get gradients."""
        for name, p in self.base.named_parameters():
            p.requires_grad = self._is_trainable(name)

    def _is_trainable(self, base_param_name: str) -> bool:
        parts = base_param_name.split(".")
        return parts[0] == "encoder" and int(parts[2]) >= self.first_trainable

    def bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Hidden states entering layer ``first_trainable`` (the part that training caches)."""
        x = self.base.embeddings(input_ids)
        return self.base.run_layers(x, attention_mask, 0, self.first_trainable)

    def from_hidden(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.heads(self._pool_from_hidden(hidden, attention_mask))

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, row_multiple: int = 1) -> torch.Tensor:
        """The mean-pooled sentence vector every head reads (what the head-only stage trains on). Out of
        training the layers run on the real tokens alone (`minilm.Packed`, rows rounded up to
        ``row_multiple``): the same vectors for less arithmetic."""
        if self.training:
            return self._pool_from_hidden(self.bottom(input_ids, attention_mask), attention_mask)
        x = self.base.embeddings(input_ids)
        return mean_pool(self.base.run_layers_packed(x, attention_mask, row_multiple), attention_mask)

    def _pool_from_hidden(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        top = self.base.run_layers(hidden, attention_mask, self.first_trainable, None)
        return mean_pool(top, attention_mask)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.from_hidden(self.bottom(input_ids, attention_mask), attention_mask)

    def delta_state_dict(self) -> dict[str, torch.Tensor]:
        """What is shipped: the fine-tuned layers and the heads, float16, contiguous."""
        out = {}
        for name, p in self.base.state_dict().items():
            if self._is_trainable(name):
                out[name] = p.detach().to(torch.float16).contiguous()
        for name, p in self.heads.state_dict().items():
            out[f"heads.{name}"] = p.detach().to(torch.float16).contiguous()
        return out


def save_model(model: ToneModel, model_dir: Path | str, max_length: int, training: dict) -> Path:
    from safetensors.torch import save_file

    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    weights = model_dir / WEIGHTS_FILE
    save_file(model.delta_state_dict(), str(weights), metadata={"format": str(FORMAT)})
    meta = {
        "format": FORMAT,
        "base": {"package": PACKAGE_PIN, "file": "model.safetensors", "sha256": EXPECTED_SHA256},
        "first_trainable_layer": model.first_trainable,
        "num_layers": model.base.num_layers,
        "head_inner": model.head_inner,
        "pooling": "mean",
        "max_length": max_length,
        "sentiment_labels": ["negative", "neutral", "positive"],
        "weights": WEIGHTS_FILE,
        "weights_sha256": sha256_file(weights),
        "training": training,
    }
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return model_dir


def read_meta(model_dir: Path | str) -> dict:
    path = Path(model_dir) / META_FILE
    if not path.is_file():
        raise PipelineError(f"{path}: missing; is {model_dir} a trained empathylint model folder?")
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise PipelineError(f"{path}: unsupported model format {meta.get('format')!r} (expected {FORMAT})")
    return meta


def load_model(model_dir: Path | str, base_folder: Path | str | None = None) -> tuple[ToneModel, dict]:
    """Base encoder (hash-verified) + the shipped delta (hash-verified) -> ToneModel in eval mode."""
    from safetensors.torch import load_file

    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    weights = model_dir / meta["weights"]
    if not weights.is_file():
        raise PipelineError(f"{weights}: missing")
    verify_sha256(weights, meta["weights_sha256"])
    base = load_base_encoder(base_folder, max_length=meta["max_length"], expected_sha256=meta["base"]["sha256"])
    delta = load_file(str(weights))
    with torch.no_grad():  # not the meta device: see `MiniLM.from_state_dict`
        model = ToneModel(base.model, meta["first_trainable_layer"], meta.get("head_inner", 256))
    heads = {k[len("heads."):]: v.float() for k, v in delta.items() if k.startswith("heads.")}
    model.heads.load_state_dict(heads, assign=True)
    layer_state = {k: v.float() for k, v in delta.items() if not k.startswith("heads.")}
    expected = {k for k in base.model.state_dict() if model._is_trainable(k)}
    if set(layer_state) != expected:
        raise PipelineError(f"{weights}: layer tensors do not match first_trainable_layer="
                            f"{meta['first_trainable_layer']}")
    base.model.load_state_dict(layer_state, strict=False, assign=True)
    model.eval()
    model.tokenizer = base.tokenizer
    return model, meta
