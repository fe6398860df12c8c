"""Swap in any Hugging Face sequence-classification model for the sentiment head.

``--model NAME_OR_PATH``: a local folder is loaded offline (``local_files_only``); a hub name needs
internet. Only safetensors weights are accepted (no pickle) and no remote code is trusted. The model's
labels are mapped onto negative / neutral / positive: automatically when its labels already carry those
names (any case, also ``neg``/``neu``/``pos``), else with a label map such as
``LABEL_0=negative,LABEL_1=positive`` (keys: label names or class indices). Several model labels may map to
the same sentiment (their probabilities are added); sentiments no model label maps to get 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import ConfigError, PipelineError
from .placeholders import fill_placeholders
from .scores import SENTIMENT_LABELS, ToneScores

_ALIASES = {"neg": "negative", "neu": "neutral", "pos": "positive"}


def parse_label_map(text: str | None) -> dict[str, str] | None:
    """``"LABEL_0=negative,LABEL_1=positive"`` -> ``{"LABEL_0": "negative", "LABEL_1": "positive"}``."""
    if text is None or not text.strip():
        return None
    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError(f"--label-map: '{item.strip()}' is not MODEL_LABEL=SENTIMENT")
        out[key.strip()] = value.strip()
    return out


def resolve_label_map(id2label: dict[int, str], label_map: dict[str, str] | None) -> list[str]:
    """For each class index of the model, the sentiment it counts towards."""
    targets = []
    for i in sorted(id2label):
        name = str(id2label[i])
        if label_map is not None:
            value = label_map.get(name, label_map.get(str(i)))
            if value is None:
                raise ConfigError(f"--label-map does not map the model's label {name!r} (class {i}); the "
                                  f"model's labels are {[id2label[k] for k in sorted(id2label)]}")
        else:
            value = _ALIASES.get(name.lower(), name.lower())
            if value not in SENTIMENT_LABELS:
                raise ConfigError(f"the model's labels {[id2label[k] for k in sorted(id2label)]} are not "
                                  f"sentiments; pass --label-map, e.g. LABEL_0=negative,LABEL_1=positive")
        value = _ALIASES.get(value.lower(), value.lower())
        if value not in SENTIMENT_LABELS:
            raise ConfigError(f"--label-map: {value!r} is not one of {', '.join(SENTIMENT_LABELS)}")
        targets.append(value)
    if label_map is not None:
        known = {str(v) for v in id2label.values()} | {str(k) for k in id2label}
        unknown = sorted(set(label_map) - known)
        if unknown:
            raise ConfigError(f"--label-map names labels the model does not have: {unknown}")
    return targets


class HFSentiment:
    """A Hugging Face sequence-classification model used as the sentiment head."""

    def __init__(self, name_or_path: str, label_map: dict[str, str] | None = None, max_length: int = 128,
                 batch_size: int = 32) -> None:
        path = Path(name_or_path).expanduser()
        local = path.exists()
        if not local and (path.is_absolute() or name_or_path.startswith((".", "~"))):
            raise PipelineError(f"could not load {name_or_path!r}: no such folder (a Hugging Face model folder, "
                                f"a tone model written by `empathylint train`, or a hub name)")
        name_or_path = str(path) if local else name_or_path
        try:
            import torch  # noqa: F401
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - transformers is a dependency
            raise PipelineError(f"--model needs transformers: {exc}") from exc
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(name_or_path, local_files_only=local)
            self.model = AutoModelForSequenceClassification.from_pretrained(
                name_or_path, local_files_only=local, use_safetensors=True, trust_remote_code=False)
        except (OSError, ValueError) as exc:
            hint = "" if local else " (a hub name needs internet access; pass a local folder offline)"
            raise PipelineError(f"could not load sequence-classification model {name_or_path!r}{hint}: "
                                f"{exc}") from exc
        self.model.eval()
        self.name = name_or_path
        self.max_length = max_length
        self.batch_size = batch_size
        self.targets = resolve_label_map(dict(self.model.config.id2label), label_map)

    def predict_sentiment(self, texts: Sequence[str]) -> list[dict[str, float]]:
        import torch

        out: list[dict[str, float]] = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = [fill_placeholders(t) for t in texts[start:start + self.batch_size]]
                enc = self.tokenizer(batch, padding=True, truncation=True, max_length=self.max_length,
                                     return_tensors="pt")
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).tolist()
                for row in probs:
                    d = dict.fromkeys(SENTIMENT_LABELS, 0.0)
                    for p, target in zip(row, self.targets):
                        d[target] += p
                    out.append(d)
        return out


class SwappedSentimentClassifier:
    """Sentiment from a Hugging Face model; politeness and needs-apology from the built-in model (loaded
    only when asked for)."""

    def __init__(self, sentiment: HFSentiment, builtin_loader) -> None:
        self.sentiment = sentiment
        self._builtin_loader = builtin_loader
        self._builtin = None

    @property
    def builtin(self):
        if self._builtin is None:
            self._builtin = self._builtin_loader()
        return self._builtin

    def predict(self, texts: Sequence[str]) -> list[ToneScores]:
        texts = list(texts)
        own = self.builtin.predict(texts)
        return [ToneScores(s, o.politeness, o.needs_apology, o.families)
                for s, o in zip(self.sentiment.predict_sentiment(texts), own)]

    def predict_task(self, texts: Sequence[str], task: str) -> list[dict[str, float]]:
        if task == "sentiment":
            return self.sentiment.predict_sentiment(list(texts))
        return self.builtin.predict_task(texts, task)
