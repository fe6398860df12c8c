"""Parsing replies with the English pipeline piece by piece, each distinct piece once.

Canned replies share whole sentences ("Please follow these steps:", "Log in to your account on our
website."). A reply is tokenized, cut where a sentence starts anyway (`segmentation.segment_starts`), and
every piece not parsed recently goes through the English components in one batch; the reply's own `Doc`
then takes the pieces' annotations, token for token (what `Doc.from_docs` would rebuild, without its
per-token Python). Its text is the reply's text character for character, with the pieces' tags,
dependencies, lemmas, entities and sentence starts.

Parsing every reply this way, with or without cache hits, is what keeps results independent of the cache:
a piece is always parsed on its own, so a cached piece is exactly what a fresh parse would give.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Where a rebuilt reply `Doc` keeps its pieces, in its ``user_data``: ``[(first token, piece Doc), ...]``. A
#: piece that is one whole sentence is that sentence as a `Doc` of its own, with the same tokens and annotations,
#: which `rules.anchors.DocIndex.sentence_doc` hands to the dependency matcher instead of copying the sentence.
PIECES_KEY = ("empathylint", "pieces")
#: The token annotations a reply takes from its pieces: what `Doc.from_docs` copies, less the words and
#: spaces the reply's own tokenization already has.
ANNOTATIONS = ["NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA", "MORPH", "POS",
               "SENT_START"]
#: Parsed pieces kept per process. A piece's Doc (without its tensor) takes about 6 KB (measured on the Bitext
#: replies), so the cache holds at most about 60 MB.
DEFAULT_CACHE_SIZE = 10_000


class SegmentParser:
    """The English part of a pipeline (`pipeline.split_pipeline`), run piece by piece with an LRU cache of
    parsed pieces keyed by their text. Thread-safe."""

    def __init__(self, nlp: "Language", components: list[tuple[str, Any]],
                 cache_size: int = DEFAULT_CACHE_SIZE, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.components = components
        self.cache_size = cache_size
        self.batch_size = batch_size
        self._cache: OrderedDict[str, Doc] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __call__(self, texts: Iterable[str]) -> list["Doc"]:
        """One annotated Doc per text (whose ``.text`` is that text)."""
        import numpy

        from .segmentation import segment_starts

        nlp = self.nlp
        plans: list[tuple[Doc, list[str]]] = []
        for text in texts:
            doc = nlp.make_doc(text)
            bounds = [doc[i].idx for i in segment_starts(doc)] if len(doc) else [0]
            bounds.append(len(text))
            pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            plans.append((doc, [_without_space(p) for p in pieces[:-1]] + pieces[-1:]))
        parsed = self._lookup({piece for _, plan in plans for piece in plan})
        for doc, plan in plans:
            # The reply's own tokens are the pieces' tokens one after another (pieces are cut where the
            # tokenizer split at whitespace); they take the pieces' annotations in one `from_array`.
            pieces = [parsed[piece] for piece in plan]
            doc.from_array(ANNOTATIONS, numpy.concatenate([piece.to_array(ANNOTATIONS) for piece in pieces]))
            doc.user_data[PIECES_KEY] = list(zip(accumulate((len(p) for p in pieces), initial=0), pieces))
        return [doc for doc, _ in plans]

    def _lookup(self, pieces: set[str]) -> dict[str, "Doc"]:
        found: dict[str, Doc] = {}
        with self._lock:
            for piece in pieces:
                doc = self._cache.get(piece)
                if doc is not None:
                    self._cache.move_to_end(piece)
                    found[piece] = doc
            self.hits += len(found)
            self.misses += len(pieces) - len(found)
        missing = sorted(pieces.difference(found), key=len)  # similar lengths batch together
        if not missing:
            return found
        fresh = self._parse(missing)
        found.update(zip(missing, fresh))
        if self.cache_size > 0:
            with self._lock:
                self._cache.update(zip(missing, fresh))
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return found

    def _parse(self, pieces: list[str]) -> list["Doc"]:
        import numpy

        docs: Iterable[Doc] = (self.nlp.make_doc(p) for p in pieces)
        for _, proc in self.components:
            if hasattr(proc, "pipe"):
                docs = proc.pipe(docs, batch_size=self.batch_size)
            else:
                docs = map(proc, docs)
        out = list(docs)
        empty = numpy.zeros((0, 0), dtype="float32")
        for doc in out:
            doc.tensor = empty  # the token vectors are not used after parsing; they would dominate memory
        return out

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()


def _without_space(piece: str) -> str:
    """``piece`` less the one space after its last word, so that "Log in to your account. " mid-reply and
    "Log in to your account." at the end of another reply are one cached piece."""
    if len(piece) > 1 and piece[-1] == " " and not piece[-2].isspace():
        return piece[:-1]
    return piece
