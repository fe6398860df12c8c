"""Named entities on demand, sentence by sentence.

The entity recogniser of ``en_core_web_sm`` has a token-to-vector layer of its own, so it costs more than
the tagger, parser, attribute ruler and lemmatizer put together (9 of 27 ms on a 140-token reply), while
the bundled rules read entities in one condition (`time-given`) and only on the sentences where a vague
time word matched, and in one check's patterns (`ACK001`'s ``ENT_TYPE``, on the customer's message). So
the pipeline keeps the recogniser loaded but disabled (`pipeline._build`): `sentence_entities` runs it on
just the sentence that is asked about, and `ensure_entities` on a whole doc that a pattern with an ``ENT_*``
attribute is about to be matched on.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

#: The disabled recogniser of each pipeline, by its vocabulary (the docs' own `Vocab`).
_ON_DEMAND: dict[int, tuple[object, Callable[["Doc"], "Doc"]]] = {}
_USER_DATA_KEY = ("empathylint", "sentence-entities")
#: A token attribute read from the entity recogniser (``ENT_TYPE``, ``ENT_IOB`` …; not ``IS_SENT_START``).
ENTITY_ATTR = re.compile(r"(?<![A-Za-z_])ENT_[A-Z]")


def recognise_on_demand(nlp: "Language", name: str = "ner") -> None:
    """Let `sentence_entities` run ``nlp``'s disabled component ``name`` on the sentences asked about."""
    _ON_DEMAND[id(nlp.vocab)] = (nlp.vocab, nlp.get_pipe(name))


def sentence_entities(sent: "Span") -> list[tuple[int, int, str]]:
    """``(start, end, label)`` of each entity in the sentence, in doc token offsets: the doc's own entities
    when the pipeline ran the recogniser, else the on-demand recogniser's on the sentence alone (cached per
    doc), else none."""
    doc = sent.doc
    if doc.has_annotation("ENT_IOB"):
        return [(ent.start, ent.end, ent.label_) for ent in sent.ents]
    recognise = _recogniser(doc)
    if recognise is None:
        return []
    cache = doc.user_data.setdefault(_USER_DATA_KEY, {})
    ents = cache.get(sent.start)
    if ents is None:
        piece = recognise(sent.as_doc())
        ents = cache[sent.start] = [(e.start + sent.start, e.end + sent.start, e.label_) for e in piece.ents]
    return ents


def ensure_entities(doc: "Doc") -> None:
    """Run the on-demand recogniser over ``doc`` (in place) unless it has entity annotation already."""
    if doc.has_annotation("ENT_IOB"):
        return
    recognise = _recogniser(doc)
    if recognise is not None:
        recognise(doc)


def _recogniser(doc: "Doc") -> Callable[["Doc"], "Doc"] | None:
    """The on-demand recogniser of the pipeline that made ``doc`` (the same vocabulary), if it has one."""
    found = _ON_DEMAND.get(id(doc.vocab))
    return found[1] if found is not None and found[0] is doc.vocab else None
