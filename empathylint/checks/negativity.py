"""Negative phrasing: a refusal with nothing offered in its place.

"We can't refund digital items" leaves the customer at a dead end; "We can't refund digital items, but I can
exchange it for any other title" does not. A refusal (the ``negative`` patterns of the rule) is reported
unless an alternative (the ``alternative`` patterns: "but I can", "instead", "what I can do", "I've …",
"you can …", a next step) sits in the same sentence, the one before or the one after. Sentences that match
an ``exempt`` pattern are left alone ("I can't wait to hear how it goes", "I'm sorry you can't log in":
the second acknowledges the customer's problem rather than refusing them).

Several rules can use this check, each with its own refusals; the alternatives are shared in the packs
with a YAML anchor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

from .base import Check, Finding, register_check


@register_check("no-alternative")
class NoAlternative(Check):
    pattern_params = ("negative", "alternative", "exempt")

    def findings(self, doc: Doc) -> Iterable[Finding]:
        refusals = self.matches(doc, ["negative"])["negative"]
        if not refusals:  # most replies: the alternatives need not be looked for
            return
        found = self.matches(doc, ["alternative", "exempt"])
        offers = [m.span for m in found["alternative"]]
        exempt = {m.span.sent.start for m in found["exempt"]}
        sentences = [s for s in doc.sents if any(t.is_alpha for t in s)]
        index = {s.start: i for i, s in enumerate(sentences)}
        for match in refusals:
            span = match.span
            where = index.get(span.sent.start)
            if where is None or span.sent.start in exempt:
                continue
            near = sentences[max(where - 1, 0):where + 2]
            if not any(_within(offer, near) and not _overlaps(offer, span) for offer in offers):
                yield Finding(self.rule, span.start_char, span.end_char)


def _within(span: Span, sentences: list[Span]) -> bool:
    return any(s.start <= span.start and span.end <= s.end for s in sentences)


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
