"""Template reply: the reply suggests the very thing the customer says they tried or that fails for them.

"I've tried all the ways to recover my account" answered with "Have you already tried recovering your
account using the steps here?" is the clearest sign of a canned reply: it was chosen by topic, not written
for this customer, who now has to say everything again. The check reads the customer's sentences that report
an attempt or a failure (a negated verb, "tried", "unable", "struggling", "keeps", "error", …) and the
reply's suggestions (a "have you tried / did you try" question, an imperative, "please …", "you can …", "we
suggest …"). It fires when a suggestion's action is one of the customer's failed ones ("recover" / "tried to
recover"), or when the reply asks whether they tried something about the same thing ("did you try resetting
your password?" to "I can't get into my account, I don't remember the password"), and the suggestion adds no
step of its own ("… after clearing your cookies" is a new idea, not a template).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from .base import Check, Finding, register_check
from .engagement import token_key, word_key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from ..rules.model import Rule

CONTENT_POS = {"VERB", "NOUN", "PROPN"}


@register_check("template-reply")
class TemplateReply(Check):
    pattern_params = ("effort", "suggestion", "asked_if_tried")

    def __init__(self, rule: Rule, nlp: Language) -> None:
        super().__init__(rule, nlp)
        self.generic = {word_key(str(w)) for w in self.param("generic", [])}

    def findings(self, doc: Doc) -> Iterable[Finding]:
        customer = doc._.customer
        if customer is None:
            return
        tried = self._tried(customer)
        if not tried:
            return
        generic = self.generic
        found = self.matches(doc, ("suggestion", "asked_if_tried"))
        asked = {m.span.sent.start for m in found["asked_if_tried"]}
        for sent in dict.fromkeys(m.span.sent for m in found["suggestion"] + found["asked_if_tried"]):
            ordered = list(dict.fromkeys(token_key(t) for t in sent
                                         if t.pos_ == "VERB" and token_key(t) not in generic))
            verbs = set(ordered)
            nouns = {token_key(t) for t in sent if t.pos_ in {"NOUN", "PROPN"} and token_key(t) not in generic}
            # "I can't reset it" alone may mean "I don't know how": it counts only against a "did you try" question
            same_action = verbs & (tried["verbs"] | (tried["failed"] if sent.start in asked else set()))
            same_thing = sent.start in asked and nouns & tried["nouns"]
            # the suggestion's own action may be new ("did you try resetting…"); a second one is a new step
            new_steps = set(ordered[1:]) - tried["verbs"]
            if (same_action or same_thing) and not new_steps:
                what = sorted(same_action or same_thing)[0]
                quote = tried["quotes"].get(what, "")
                end = sent.start_char + len(sent.text.rstrip())
                yield Finding(self.rule, sent.start_char, end,
                              f'The reply suggests what the customer says they tried or what fails for them '
                              f'("{quote}"): a template that ignores what they wrote.')
                return

    def _tried(self, customer: Doc) -> dict:
        """The lemma keys of the verbs and nouns in the customer's sentences that report an attempt or a
        failure, and a quote of each sentence by key."""
        generic = self.generic
        attempts = {m.span.sent for m in self.matches(customer, ("effort",))["effort"]}
        failures = {t.sent for t in customer if t.dep_ == "neg" and t.head.pos_ in {"VERB", "AUX"}} - attempts
        out: dict = {"verbs": set(), "failed": set(), "nouns": set(), "quotes": {}}
        # attempts first, each in the customer's order: a set of spans iterates in an order of their doc's address,
        # which differs between processes, and the first sentence naming a key is the one quoted
        for sent, verbs in sorted([(s, "verbs") for s in attempts] + [(s, "failed") for s in failures],
                                  key=lambda pair: (pair[1] != "verbs", pair[0].start)):
            for t in sent:
                key = token_key(t)
                if t.pos_ not in CONTENT_POS or key in generic or t.is_stop or len(key) < 3:
                    continue
                out[verbs if t.pos_ == "VERB" else "nouns"].add(key)
                out["quotes"].setdefault(key, _quote(sent))
        return out if out["verbs"] or out["failed"] or out["nouns"] else {}


def _quote(sent: Span) -> str:
    words = " ".join(sent.text.split())
    return words if len(words) <= 90 else words[:87].rsplit(" ", 1)[0] + "…"
