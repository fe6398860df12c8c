"""The thinc backend the English pipeline runs on: numpy's, with a cheaper maxout for prediction.

Every ``Maxout`` layer of ``en_core_web_sm``'s tok2vec (the mixing layer and the four convolutions) ends in
``ops.maxout``: the largest of each unit's three pieces, plus which piece it was (the ``argmax``, which only
training's backward pass reads). thinc's numpy backend works both out in one Cython loop, 0.6 ms for a batch of
1,300 tokens; three vectorised ``numpy.maximum`` passes give the same largest values (``max`` is exact) in
0.15 ms. The English pipeline is never trained here, so `EnglishOps` keeps no ``argmax``, and its
`backprop_maxout` refuses to run rather than compute a wrong gradient.
"""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps, registry

#: the name `thinc.api.use_ops` takes (`pipeline.ENGLISH_OPS`)
NAME = "empathylint_numpy"


class EnglishOps(NumpyOps):
    """`NumpyOps` for prediction only: `maxout` without the argmax that training would need."""

    name = NAME

    def maxout(self, X):  # type: ignore[override]
        """The largest piece of each unit of ``X`` (rows, units, pieces), and no argmax (None)."""
        best = X[:, :, 0].copy()
        for piece in range(1, X.shape[2]):
            numpy.maximum(best, X[:, :, piece], out=best)
        return best, None

    def backprop_maxout(self, dY, which, P):  # type: ignore[override]
        raise NotImplementedError(f"{NAME} ops are for prediction only: train with thinc's NumpyOps")


registry.ops.register(NAME, func=EnglishOps)
