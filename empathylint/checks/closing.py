"""Weak close: the end of the reply neither thanks the customer nor offers more help.

The close is what the customer reads last and what a QA reviewer scores as "closing". The check looks at
the last few sentences before the sign-off ("Best regards, / Alex"); thanks or a further-help offer there
(or thanks in the sign-off itself, "Thanks, Alex") is a good close. Short replies (one-liners, quick
confirmations) and replies whose last sentences ask the customer something (a question, "please send …")
are left alone: they already invite the reply that a help offer would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

from .base import Check, Finding, register_check


@register_check("weak-close")
class WeakClose(Check):
    pattern_params = ("thanks", "offer", "request", "signoff")

    def findings(self, doc: Doc) -> Iterable[Finding]:
        sentences = [s for s in doc.sents if any(t.is_alpha for t in s)]
        if not sentences:
            return
        max_words, tail_size = int(self.param("signoff_words", 6)), int(self.param("tail_sentences", 2))
        # Only the trailing short sentences can be the sign-off, and the tail comes just before it: match there
        # alone (matching the whole reply took a fifth of the rules' time)
        short = _trailing_short(sentences, max_words)
        found = self.matches(doc, start=sentences[max(short - tail_size, 0)].start)
        signoffs = {m.span.sent.start for m in found["signoff"]}
        body, closing = _split_signoff(sentences, signoffs, short)
        if len(body) < int(self.param("min_sentences", 3)):
            return
        if any(s.text.rstrip().endswith("?") for s in body[-int(self.param("question_sentences", 3)):]):
            return
        tail = body[-tail_size:]
        starts = {s.start for s in tail + closing}
        if any(m.span.sent.start in starts for m in found["thanks"] + found["offer"] + found["request"]):
            return
        last = body[-1]
        yield Finding(self.rule, last.start_char, last.end_char)


def _trailing_short(sentences: list[Span], max_words: int) -> int:
    """Where the trailing run of sentences of at most ``max_words`` words starts (``len(sentences)`` if the last
    one is longer)."""
    k = len(sentences)
    while k > 0 and sum(t.is_alpha for t in sentences[k - 1]) <= max_words:
        k -= 1
    return k


def _split_signoff(sentences: list[Span], signoffs: set[int], short: int) -> tuple[list[Span], list[Span]]:
    """``(body, sign-off)``: trailing sentences that are a sign-off phrase ("Kind regards,") or only a name
    ("Alex", "The Acme Support Team") go to the sign-off; a longer sentence (before ``short``, where the
    trailing short ones start) or an ordinary one ends the scan."""
    cut = len(sentences)
    while cut > short:
        sent = sentences[cut - 1]
        words = [t for t in sent if t.is_alpha]
        if sent.start not in signoffs and not all(t.pos_ == "PROPN" or t.lower_ in {"team", "the"} for t in words):
            break
        cut -= 1
    return sentences[:cut], sentences[cut:]
