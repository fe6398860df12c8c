"""The English pipeline multiplies through numpy's BLAS instead of thinc's bundled BLIS (`pipeline.ENGLISH_OPS`)
and annotates exactly as the pipeline built the default way; loading it leaves one BLAS thread in the process
(`pipeline.one_blas_thread`), so the linter and its forked workers parse with one."""

from __future__ import annotations

import spacy
import threadpoolctl
from thinc.api import NumpyOps

from empathylint.nlp.parsing import SegmentParser
from empathylint.pipeline import english_pipeline_name, load_english
from empathylint.workers import FindingsPool

from .test_parse_cache import CANNED


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.is_sent_start, str(t.morph)) for t in doc]


def test_english_models_are_built_on_numpy_without_blis():
    nlp = load_english(exclude=("ner",))
    for name in ("tok2vec", "tagger", "parser"):
        ops = nlp.get_pipe(name).model.ops
        assert isinstance(ops, NumpyOps) and ops.use_blis is False, name


def test_annotations_are_those_of_the_default_build():
    ours = load_english(exclude=("ner",))
    default = spacy.load(english_pipeline_name(), exclude=["ner"])
    assert getattr(default.get_pipe("tok2vec").model.ops, "use_blis", True) is True  # really the other backend
    for text in CANNED + ["Honestly, you should have checked the FAQ before writing to us again."]:
        assert _annotations(ours(text)) == _annotations(default(text))


def _blas_threads() -> list[int]:
    return [info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]


def _threads_while_parsing() -> list[int]:
    """numpy's BLAS threads seen by a component while the pipeline parses, in the calling process."""
    from empathylint import workers

    linter = workers._LINTER
    seen: list[int] = []

    def probe(doc):
        seen.extend(_blas_threads())
        return doc

    SegmentParser(linter.nlp, [*linter.parser.components, ("probe", probe)], cache_size=0)(CANNED[:2])
    return seen


def test_loading_the_english_pipeline_leaves_one_blas_thread():
    assert _blas_threads(), "numpy's BLAS is not visible to threadpoolctl"
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        load_english(exclude=("ner",))
        assert set(_blas_threads()) == {1}


def test_the_linter_and_its_workers_parse_with_one_blas_thread(rules_linter):
    with FindingsPool(rules_linter, 2) as pool:  # sets workers._LINTER
        assert set(_threads_while_parsing()) == {1}
        assert set(pool._pool.apply(_threads_while_parsing)) == {1}
