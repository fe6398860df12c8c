"""Missing apology: a failure is on the table but the reply neither apologises, owns it nor repairs it.

A failure is on the table when the reply itself admits one (a delay, an error, damage, a double charge)
or when the customer's message, if given, is a complaint: the classifier's needs-apology score (when the
model is loaded) or complaint words. The reply is fine if it apologises, takes ownership or states a
repair; for pure delays "thank you for your patience" also counts (You et al. 2020).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.tokens import Doc

from .base import Check, Finding, register_check


@register_check("missing-apology")
class MissingApology(Check):
    pattern_params = ("failure", "delay", "complaint", "apology", "ownership", "repair", "patience")

    def findings(self, doc: Doc) -> Iterable[Finding]:
        found = self.matches(doc)
        failures = found["failure"] + found["delay"]
        customer = doc._.customer
        upset = customer is not None and self._customer_upset(customer)
        if not failures and not upset:
            return
        if found["apology"] or found["ownership"] or found["repair"]:
            return
        only_delays = not found["failure"]
        if found["patience"] and only_delays:
            return
        if failures:
            first = min(failures, key=lambda m: m.span.start_char).span
            yield Finding(self.rule, first.start_char, first.end_char)
            return
        sentence = next(iter(doc.sents), None)
        if sentence is not None and sentence.text.strip():
            yield Finding(self.rule, sentence.start_char, sentence.end_char,
                          "The customer is upset, and the reply has no apology, ownership or repair.")

    def _customer_upset(self, customer: Doc) -> bool:
        tone = getattr(customer._, "tone", None) if customer.has_extension("tone") else None
        threshold = self.param("needs_apology_threshold", None)
        if threshold is None:  # the threshold calibrated with the shipped model (models/thresholds.json)
            from ..classifier.thresholds import load_thresholds

            threshold = load_thresholds().needs_apology
        threshold = float(threshold)
        if tone is not None and tone.needs_apology >= threshold:
            return True
        return bool(self.matches(customer)["complaint"])
