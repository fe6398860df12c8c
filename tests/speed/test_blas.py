"""The English pipeline multiplies through numpy's BLAS instead of thinc's bundled BLIS (`pipeline.ENGLISH_OPS`)
and annotates exactly as the pipeline built the default way; forked workers run one BLAS thread each."""

from __future__ import annotations

import spacy
import threadpoolctl
from thinc.api import NumpyOps

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


def test_workers_run_one_blas_thread(rules_linter):
    with FindingsPool(rules_linter, 2) as pool:
        infos = pool._pool.apply(threadpoolctl.threadpool_info)
    blas = [info for info in infos if info["user_api"] == "blas"]
    assert blas, "numpy's BLAS is not visible to threadpoolctl"
    assert all(info["num_threads"] == 1 for info in blas)
