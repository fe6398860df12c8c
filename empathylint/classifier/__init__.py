"""The tone classifier: sentiment, politeness and needs-apology scores from one MiniLM encoder pass.

Importing this package is cheap (no torch / transformers); :func:`load_classifier` loads the model on first
use and keeps it for the process.

Public names: :func:`load_classifier`, :class:`ToneScores`, :class:`Thresholds`, :func:`load_thresholds`,
:class:`ModelIntegrityError`. The spaCy component is ``empathylint_classifier``
(:mod:`empathylint.classifier.component`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from .scores import SENTIMENT_LABELS, TASKS, ToneScores
from .thresholds import Thresholds, load_thresholds

__all__ = ["load_classifier", "ToneScores", "Thresholds", "load_thresholds", "ModelIntegrityError",
           "SENTIMENT_LABELS", "TASKS"]

_CACHE: dict[tuple, object] = {}
_LOCK = threading.RLock()


def __getattr__(name: str):
    if name == "ModelIntegrityError":
        from .encoder import ModelIntegrityError

        return ModelIntegrityError
    raise AttributeError(name)


def _is_tone_model_dir(path: str) -> bool:
    from .model import META_FILE

    return (Path(path) / META_FILE).is_file()


def load_classifier(model: str | None = None, label_map: dict | None = None,
                    model_dir: str | Path | None = None, precision: str = "auto"):
    """The classifier for this process (loaded once per distinct arguments, then cached).

    * ``model=None``: the shipped tone model (``models/``), or the one in ``model_dir``.
    * ``model`` = a folder written by ``empathylint train``: that tone model.
    * ``model`` = any other Hugging Face sequence-classification model (local folder or hub name): it
      replaces the sentiment head, with ``label_map`` mapping its labels to negative / neutral / positive.

    ``precision`` is the tone model's arithmetic (:mod:`.precision`): ``auto`` (bfloat16 on CPUs with bfloat16
    instructions, else float32), ``float32``, ``bfloat16`` or ``int8``.
    The returned object has ``predict(texts) -> list[ToneScores]`` and ``predict_task(texts, task)``.
    """
    if model is not None and label_map is None and _is_tone_model_dir(model):
        model_dir, model = model, None
    key = (model, tuple(sorted((label_map or {}).items())), str(model_dir) if model_dir else None, precision)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        from .inference import ToneClassifier

        if model is None:
            clf = ToneClassifier.load(model_dir, precision=precision)
        else:
            from .hf import HFSentiment, SwappedSentimentClassifier

            clf = SwappedSentimentClassifier(HFSentiment(model, label_map),
                                             lambda: load_classifier(None, None, model_dir, precision))
        _CACHE[key] = clf
        return clf
