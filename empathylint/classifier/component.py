"""spaCy component ``empathylint_classifier``: tone scores per sentence and per message.

    import empathylint.classifier.component  # registers the factory
    nlp.add_pipe("empathylint_classifier")  # after the parser / senter
    for doc in nlp.pipe(texts):
        doc._.tone                # ToneScores for the whole message
        [s._.tone for s in doc.sents]  # ToneScores per sentence (None for whitespace-only sentences)

Extensions (registered idempotently on import):

* ``Doc._.tone``: :class:`ToneScores` of the message, or None when not classified.
* ``Doc._.sentence_tones``: ``{(start_char, end_char): ToneScores}`` for the sentences of ``doc.sents``.
* ``Span._.tone`` (getter): the entry of ``doc._.sentence_tones`` for this span's offsets, or None.

``nlp.pipe`` batches: all sentences (and message chunks) of a batch of docs go to the classifier in one
call, which sorts them by length and runs the encoder in a few padded batches. The message score is one
pass over the whole text when it is short (<= ``message_chars`` characters); longer messages are cut at
sentence boundaries into chunks of at most that size: sentiment and politeness are the length-weighted mean
over chunks, needs-apology the maximum (one upset paragraph is enough to owe an apology).

A doc whose ``_.role`` (when something registered that extension) is in ``aggregate_roles`` gets no message
pass: its message score is the same combination over its sentences' scores. The linter configures this for
replies, which are judged sentence by sentence; the message pass (as long as all the sentences together)
then runs only for the customer's message, whose needs-apology score is read as a whole.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from .scores import SENTIMENT_LABELS, ToneScores


def _span_tone(span: Span) -> ToneScores | None:
    table = span.doc._.sentence_tones
    if not table:
        return None
    return table.get((span.start_char, span.end_char))


def register_extensions() -> None:
    if not Doc.has_extension("tone"):
        Doc.set_extension("tone", default=None)
    if not Doc.has_extension("sentence_tones"):
        Doc.set_extension("sentence_tones", default=None)
    if not Span.has_extension("tone"):
        Span.set_extension("tone", getter=_span_tone)


register_extensions()


def _sentences(doc: Doc) -> list[Span]:
    if doc.has_annotation("SENT_START"):
        return list(doc.sents)
    return [doc[:]] if len(doc) else []


def _chunks(doc: Doc, sents: list[Span], limit: int) -> list[str]:
    """The message as one text, or cut at sentence boundaries into pieces of at most ``limit`` chars."""
    text = doc.text.strip()
    if len(text) <= limit or not sents:
        return [text] if text else []
    out, start, end = [], None, None
    for s in sents:
        if start is not None and s.end_char - start > limit:
            out.append(doc.text[start:end].strip())
            start = None
        if start is None:
            start = s.start_char
        end = s.end_char
    if start is not None:
        out.append(doc.text[start:end].strip())
    return [c for c in out if c]


def combine(parts: list[ToneScores], weights: list[float]) -> ToneScores:
    """Merge chunk scores: weighted mean for sentiment and politeness, max for needs-apology."""
    if len(parts) == 1:
        return parts[0]
    total = sum(weights) or 1.0
    sentiment = {k: sum(p.sentiment[k] * w for p, w in zip(parts, weights)) / total for k in SENTIMENT_LABELS}
    politeness = sum(p.politeness * w for p, w in zip(parts, weights)) / total
    return ToneScores(sentiment, politeness, max(p.needs_apology for p in parts))


class ToneComponent:
    def __init__(self, nlp: Language, name: str, model: str | None, label_map: dict | None, batch_size: int,
                 classify_message: bool, message_chars: int, model_dir: str | None,
                 aggregate_roles: Iterable[str] = (), precision: str = "auto") -> None:
        self.name = name
        self.model = model
        self.label_map = dict(label_map) if label_map else None
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.classify_message = classify_message
        self.message_chars = message_chars
        self.aggregate_roles = frozenset(aggregate_roles)
        self.precision = precision
        self._classifier = None

    @property
    def classifier(self):
        if self._classifier is None:
            from . import load_classifier

            self._classifier = load_classifier(self.model, self.label_map, self.model_dir, self.precision)
        return self._classifier

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        docs = iter(docs)
        size = batch_size or self.batch_size
        while True:
            batch = list(islice(docs, size))
            if not batch:
                return
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        texts: list[str] = []
        plan = []
        for doc in docs:
            sents = _sentences(doc)
            sent_items = []
            for s in sents:
                t = s.text.strip()
                if t:
                    sent_items.append(((s.start_char, s.end_char), len(texts)))
                    texts.append(t)
            chunk_items = []
            if self.classify_message and self._aggregates(doc):
                chunk_items = [(i, float(end - start)) for (start, end), i in sent_items]
            elif self.classify_message:
                if len(sent_items) == 1 and doc.text.strip() == texts[sent_items[0][1]]:
                    chunk_items = [(sent_items[0][1], 1.0)]
                else:
                    for c in _chunks(doc, sents, self.message_chars):
                        chunk_items.append((len(texts), float(len(c))))
                        texts.append(c)
            plan.append((sent_items, chunk_items))
        scores = self.classifier.predict(texts) if texts else []
        for doc, (sent_items, chunk_items) in zip(docs, plan):
            doc._.sentence_tones = {key: scores[i] for key, i in sent_items}
            if chunk_items:
                doc._.tone = combine([scores[i] for i, _ in chunk_items], [w for _, w in chunk_items])
            else:
                doc._.tone = None

    def _aggregates(self, doc: Doc) -> bool:
        return bool(self.aggregate_roles) and Doc.has_extension("role") and doc._.role in self.aggregate_roles


@Language.factory(
    "empathylint_classifier",
    default_config={"model": None, "label_map": None, "batch_size": 64, "classify_message": True,
                    "message_chars": 450, "model_dir": None, "aggregate_roles": [], "precision": "auto"},
)
def make_tone_component(nlp: Language, name: str, model: str | None, label_map: dict | None, batch_size: int,
                        classify_message: bool, message_chars: int, model_dir: str | None,
                        aggregate_roles: list[str], precision: str) -> ToneComponent:
    return ToneComponent(nlp, name, model, label_map, batch_size, classify_message, message_chars, model_dir,
                         aggregate_roles, precision)
