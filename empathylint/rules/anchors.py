"""The words a pattern cannot match without, and the words a `Doc` contains.

A token of a `Matcher` pattern that must appear (no ``OP``, or ``+``, or ``{n}``/``{n,m}`` with n ≥ 1) and
whose ``LOWER``, ``ORTH``/``TEXT``, ``LEMMA`` or ``NORM`` is a string or an ``IN`` list can only match a doc
that has a token with one of those values; every node of a `DependencyMatcher` pattern must appear. Those
are a pattern's `Requirement`\\ s: a doc that misses one cannot match the pattern, so the matcher need not
run on it. Patterns with no such token (only ``POS``, ``REGEX``, ``NOT_IN`` …) have none and always run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..nlp.parsing import PIECES_KEY

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

#: Pattern keys whose values are compared for equality with a token attribute, and that attribute.
ANCHOR_ATTRS = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "LEMMA": "LEMMA", "NORM": "NORM"}
#: The token attributes a `DocIndex` reads, in its column order (`Requirement.attr` indexes this).
ATTRS = ("LOWER", "ORTH", "LEMMA", "NORM")
_REQUIRED_OP = re.compile(r"\{[1-9]\d*(?:,\d*)?\}")
_USER_DATA_KEY = ("empathylint", "vocabulary")


@dataclass(frozen=True)
class Requirement:
    """The doc must contain a token whose ``attr`` is one of ``values`` (string-store hashes)."""

    attr: int  # index into `ATTRS`
    values: frozenset[int]

    def met(self, present: tuple[set[int], ...]) -> bool:
        return not present[self.attr].isdisjoint(self.values)


def requirements(vocab: "Vocab", specs: Iterable[Mapping[str, Any]]) -> tuple[Requirement, ...]:
    """The requirements of a pattern given as its token specs (a `Matcher` pattern, or the ``RIGHT_ATTRS`` of
    each node of a dependency pattern, which are all required)."""
    out: list[Requirement] = []
    for spec in specs:
        if not _required(spec):
            continue
        for key, value in spec.items():
            attr = ANCHOR_ATTRS.get(key.upper())
            if attr is None:
                continue
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                words = value["IN"]
            else:
                continue
            if words and all(isinstance(w, str) for w in words):
                out.append(Requirement(ATTRS.index(attr), frozenset(vocab.strings.add(w) for w in words)))
    # the rarest-looking (fewest values) first, so that a doc without it is turned away soonest
    return tuple(sorted(set(out), key=lambda r: len(r.values)))


def _required(spec: Mapping[str, Any]) -> bool:
    op = spec.get("OP")
    return op is None or op in ("1", "+") or bool(_REQUIRED_OP.fullmatch(str(op)))


def word_columns(doc: "Doc") -> list[list[int]]:
    """The values of `ATTRS` of ``doc``'s tokens, one list per attribute (what `Requirement.met` reads, as
    sets)."""
    from spacy.attrs import IDS

    return doc.to_array([IDS[a] for a in ATTRS]).T.tolist() if len(doc) else [[] for _ in ATTRS]


class DocIndex:
    """Where each word of a doc is: the values of `ATTRS` and the sentences that hold them. Built once per
    doc (`index_of`) and shared by every `PatternSet` that looks at the doc. It keeps no reference to the
    doc (it is stored in the doc's ``user_data``, and a cycle would keep docs alive until the next GC)."""

    def __init__(self, doc: "Doc") -> None:
        self.length = len(doc)
        columns = word_columns(doc)
        self.present: tuple[set[int], ...] = tuple(map(set, columns))
        self._columns = columns
        self._positions: dict[int, dict[int, list[int]]] = {}
        self._sentences_of: dict[Requirement, set[int]] = {}
        self._bounds: list[tuple[int, int]] | None = None
        self._sent_of: list[int] = []
        self._sent_docs: dict[int, "Doc"] = {}
        self._pieces: dict[int, "Doc"] = dict(doc.user_data.get(PIECES_KEY, ()))

    def allows(self, needs: tuple[Requirement, ...]) -> bool:
        """Whether the doc has a word for every requirement."""
        return all(req.met(self.present) for req in needs)

    def sentences_with(self, doc: "Doc", needs: tuple[Requirement, ...]) -> list["Span"]:
        """The sentences of ``doc`` that contain a word meeting every requirement of ``needs``, in order: the
        only ones a pattern with those requirements can match in, since a pattern matches within a sentence."""
        bounds = self._sentence_bounds(doc)
        ids: set[int] | None = None
        for requirement in needs:
            found = self._sentence_ids(requirement)
            ids = found if ids is None else ids & found
            if not ids:
                return []
        return [doc[bounds[k][0]:bounds[k][1]] for k in sorted(ids or ())]

    def _sentence_ids(self, requirement: Requirement) -> set[int]:
        """The indexes of the sentences holding a word that meets ``requirement`` (after `_sentence_bounds`)."""
        ids = self._sentences_of.get(requirement)
        if ids is None:
            positions = self._positions.get(requirement.attr)
            if positions is None:
                positions = self._positions[requirement.attr] = {}
                for i, value in enumerate(self._columns[requirement.attr]):
                    positions.setdefault(value, []).append(i)
            present = requirement.values.intersection(self.present[requirement.attr])
            ids = self._sentences_of[requirement] = {self._sent_of[i] for value in present for i in positions[value]}
        return ids

    def sentence_doc(self, sent: "Span") -> "Doc":
        """The sentence as a `Doc` of its own (what a `DependencyMatcher` matches a span on): the piece it was
        parsed as when it is one whole piece (`parsing.PIECES_KEY`) and the doc has no entities the piece
        lacks, else a copy (`Span.as_doc`, which took 29 % of the rules' time on the Bitext replies)."""
        doc = self._sent_docs.get(sent.start)
        if doc is None:
            piece = self._pieces.get(sent.start)
            if piece is None or len(piece) != len(sent) or sent.doc.has_annotation("ENT_IOB"):
                piece = sent.as_doc()
            doc = self._sent_docs[sent.start] = piece
        return doc

    def _sentence_bounds(self, doc: "Doc") -> list[tuple[int, int]]:
        if self._bounds is None:
            self._bounds = [(sent.start, sent.end) for sent in doc.sents]
            self._sent_of = [0] * len(doc)
            for k, (start, end) in enumerate(self._bounds):
                self._sent_of[start:end] = [k] * (end - start)
        return self._bounds


def index_of(doc: "Doc") -> DocIndex:
    """The doc's `DocIndex`, built on first use."""
    index = doc.user_data.get(_USER_DATA_KEY)
    if index is None or index.length != len(doc):
        index = doc.user_data[_USER_DATA_KEY] = DocIndex(doc)
    return index
