"""Tone warnings from the classifier: clearly negative/hostile or clearly impolite reply sentences.

Sentiment models read empathy as negativity ("I'm so sorry, that sounds frustrating"), so sentences whose
negative words are all inside apology or acknowledgement spans (the ``exclude`` patterns) are skipped.
Active only when the classifier is in the pipeline (not with ``--no-model``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc

from .base import Check, Finding, register_check


class _ToneCheck(Check):
    pattern_params = ("exclude",)
    score_name = ""

    def findings(self, doc: Doc) -> Iterable[Finding]:
        if not doc.has_extension("tone") or doc._.tone is None:
            return
        thresholds = self._thresholds()
        excluded = [(m.span.sent.start, m.span.sent.end) for m in self.matches(doc)["exclude"]]
        for sent in doc.sents:
            scores = sent._.tone
            if scores is None or (sent.start, sent.end) in excluded or len(sent) < 3:
                continue
            if self.fires(scores, thresholds):
                text = sent.text.rstrip()
                yield Finding(self.rule, sent.start_char, sent.start_char + len(text))

    def _thresholds(self):
        from ..classifier.thresholds import load_thresholds

        return load_thresholds()

    def fires(self, scores, thresholds) -> bool:
        raise NotImplementedError


@register_check("tone-negative")
class NegativeTone(_ToneCheck):
    def fires(self, scores, thresholds) -> bool:
        return scores.sentiment["negative"] >= thresholds.negative


@register_check("tone-impolite")
class ImpoliteTone(_ToneCheck):
    def fires(self, scores, thresholds) -> bool:
        return (1.0 - scores.politeness) >= thresholds.impolite
