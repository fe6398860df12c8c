"""`english_ops.EnglishOps`: the English pipeline's thinc backend gives thinc's maxout values without the argmax,
and refuses the backward pass it cannot do."""

from __future__ import annotations

import numpy
import pytest
from thinc.api import NumpyOps, get_ops

from empathylint.nlp.english_ops import NAME, EnglishOps
from empathylint.pipeline import ENGLISH_OPS, load_english


def test_maxout_takes_the_largest_piece_as_thinc_does():
    rng = numpy.random.default_rng(7)
    for pieces in (1, 2, 3, 4):
        X = rng.standard_normal((257, 96, pieces)).astype("float32")
        X[:5] = X[:5, :, :1]  # ties between pieces
        best, which = EnglishOps(use_blis=False).maxout(X)
        expected, _ = NumpyOps(use_blis=False).maxout(X)
        assert best.dtype == expected.dtype and best.shape == expected.shape == (257, 96)
        numpy.testing.assert_array_equal(best, expected)
        assert which is None


def test_backprop_refuses_to_run():
    with pytest.raises(NotImplementedError, match="prediction only"):
        EnglishOps().backprop_maxout(numpy.zeros((2, 3), dtype="float32"), None, 3)


def test_the_english_pipeline_runs_on_it():
    assert ENGLISH_OPS[0] == NAME and isinstance(get_ops(NAME), EnglishOps)
    nlp = load_english(exclude=("ner",))
    assert isinstance(nlp.get_pipe("tok2vec").model.ops, EnglishOps)
