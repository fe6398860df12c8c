"""Calibrated tone thresholds shipped with the model (``models/thresholds.json``), written by
``empathylint calibrate`` (:mod:`empathylint.classifier.calibrate`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

THRESHOLDS_FILE = "thresholds.json"


@dataclass(frozen=True)
class Thresholds:
    """A sentence is *clearly negative/hostile* when ``sentiment["negative"] >= negative``, *clearly
    impolite* when ``1 - politeness >= impolite``; a customer message needs an apology when
    ``needs_apology >= needs_apology``."""

    negative: float
    impolite: float
    needs_apology: float
    source: str = ""
    note: str = ""


# Used only when no thresholds file is shipped (e.g. a freshly trained model that was not calibrated yet).
DEFAULT = Thresholds(negative=0.9, impolite=0.9, needs_apology=0.5, source="built-in default",
                     note="not calibrated: run `empathylint calibrate`")


def thresholds_path(model_dir: Path | str | None = None) -> Path:
    if model_dir is None:
        from ..resources import models_dir

        model_dir = models_dir()
    return Path(model_dir) / THRESHOLDS_FILE


@lru_cache(maxsize=8)
def _load(path: str) -> Thresholds:
    p = Path(path)
    if not p.is_file():
        return DEFAULT
    raw = json.loads(p.read_text(encoding="utf-8"))
    t = raw["thresholds"]
    return Thresholds(negative=float(t["negative"]), impolite=float(t["impolite"]),
                      needs_apology=float(t["needs_apology"]), source=str(p), note=raw.get("note", ""))


def load_thresholds(model_dir: Path | str | None = None) -> Thresholds:
    """The calibrated thresholds of the shipped model (or of ``model_dir``)."""
    return _load(str(thresholds_path(model_dir)))
