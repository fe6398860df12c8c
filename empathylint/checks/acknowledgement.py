"""No acknowledgement: the reply could have been sent to anyone.

With the customer's message as context (``--customer``, or a conversation), the check asks whether the reply
engages with it (`engagement.Engagement`): by meaning (with the model: the sentence embeddings of the
customer's message and the reply's sentences, threshold ``similarity_threshold``), by naming one of the
customer's specific words (compared by lemma, synonyms and typos; never the company's handle, greetings,
profanity, bare numbers or filler), by an acknowledging phrase ("I understand", "thanks for letting us know",
"sorry about that"), a take-up ("we'd be happy to look into that") or a clarifying question. Without a
customer message, or one with nothing specific in it, it does nothing. Rules only, the words, phrases and
questions decide alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..rules.model import Rule

from .base import Check, Finding, register_check
from .engagement import Engagement, IssueWords, asks, best_similarity

#: Where a reply's engagement is kept once worked out.
ENGAGEMENT_KEY = "empathylint.engagement"


@register_check("no-acknowledgement")
class NoAcknowledgement(Check):
    pattern_params = ("specific", "acknowledgement", "further_help")

    def __init__(self, rule: Rule, nlp: Language) -> None:
        super().__init__(rule, nlp)
        self.words = IssueWords({str(w).lower() for w in self.param("generic", [])}, self.param("synonyms", []))
        self.with_model = "empathylint_classifier" in nlp.pipe_names
        self.threshold = float(self.param("similarity_threshold", 0.4))

    def findings(self, doc: Doc) -> Iterable[Finding]:
        customer = doc._.customer
        if customer is None:
            return
        found = self.engagement(doc)
        if not found.specifics or found.engaged:
            return
        first = next((s for s in doc.sents if any(t.is_alpha for t in s)), None)
        if first is None:
            return
        named = ", ".join(f'"{text}"' for text in list(dict.fromkeys(found.specifics.values()))[:3])
        end = first.start_char + len(first.text.rstrip())
        yield Finding(self.rule, first.start_char, end,
                      f"The reply never mentions {named} from the customer's message, and neither "
                      "acknowledges the issue nor asks about it.")

    def engagement(self, doc: Doc) -> Engagement:
        """The reply's `Engagement` with its customer's message (worked out once per reply)."""
        cached = doc.user_data.get(ENGAGEMENT_KEY)
        if cached is not None:
            return cached
        customer = doc._.customer
        found = self.matches(customer, ("specific",))
        engagement = Engagement(specifics=self.words.specifics(customer, [t for m in found["specific"] for t in m.span]))
        if engagement.specifics:
            engagement.named = self.words.named(engagement.specifics, doc)
            reply = self.matches(doc, ("acknowledgement", "further_help"))
            engagement.acknowledged = bool(reply["acknowledgement"])
            engagement.asked = asks(doc, {m.span.sent.start for m in reply["further_help"]})
            if self.with_model and not (engagement.named or engagement.acknowledged or engagement.asked):
                engagement.similarity = best_similarity(customer, doc)
                engagement.threshold = self.threshold
        doc.user_data[ENGAGEMENT_KEY] = engagement
        return engagement
