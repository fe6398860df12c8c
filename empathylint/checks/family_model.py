"""Model findings: a sentence the behaviour-family head reads as the rule's family, however it is worded.

Each rule family's pack has one rule with ``check: family-model`` (CND100 sounds-condescending, BLM100 …). The
classifier scores every reply sentence for every family in the pass it already makes for tone (`Span._.tone`
``.families``); a sentence at or above the family's threshold, calibrated on the written dev set
(``models/family-heads.json``), is a finding with the score attached. A family whose dev precision stayed
below the target at every threshold reports hints (info) only. When one of the pack's own rules flags words in
the same sentence, the engine keeps the rule's finding (it knows the exact words) and gives it the model's
score instead (`merge_model_findings`). Needs the model: silent with ``--no-model``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from ..diagnostic import Severity
from .base import Check, Finding, register_check

if TYPE_CHECKING:
    from spacy.tokens import Doc

CHECK_NAME = "family-model"


@register_check(CHECK_NAME)
class FamilyModel(Check):
    def findings(self, doc: Doc) -> Iterable[Finding]:
        if not doc.has_extension("tone") or doc._.tone is None:
            return
        from ..classifier.families import load_thresholds

        family = str(self.param("family", self.rule.pack))
        threshold = load_thresholds().get(family)
        if threshold is None:
            return
        severity = None if threshold.calibrated else Severity.INFO
        for sent in doc.sents:
            scores = sent._.tone
            if scores is None or not scores.families or sum(t.is_alpha for t in sent) < 2:
                continue
            score = scores.families.get(family, 0.0)
            if score >= threshold.value:
                text = sent.text.rstrip()
                yield Finding(self.rule, sent.start_char, sent.start_char + len(text), severity=severity,
                              score=score)


def merge_model_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per behaviour: a model finding on a sentence where a rule of the same family flagged words
    is dropped, and that rule's finding carries the model's score."""
    model = [f for f in findings if f.rule.check == CHECK_NAME]
    if not model:
        return findings
    out = [f for f in findings if f.rule.check != CHECK_NAME]
    for found in model:
        agreeing = [i for i, f in enumerate(out)
                    if f.rule.pack == found.rule.pack and f.start < found.end and found.start < f.end]
        for i in agreeing:
            out[i] = replace(out[i], score=max(out[i].score or 0.0, found.score or 0.0))
        if not agreeing:
            out.append(found)
    return out
