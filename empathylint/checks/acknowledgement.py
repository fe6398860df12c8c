"""No acknowledgement: the reply could have been sent to anyone.

With the customer's message as context (``--customer``), the check collects what is specific in it: named
entities, numbers and ids, the nouns of its noun chunks and its verbs ("cancel", "refund"): the ``specific``
patterns, the parser's noun chunks and verbs, minus the rule's ``generic`` words such as "help", "question"
or "want". The reply acknowledges the
customer when it names one of them (compared by lemma, so "orders" names "order" and "cancellation" names
"cancel"; the rule's ``synonyms`` let "refund" name "reimbursement" and "agent" name "a person"), uses an
acknowledging phrase ("I understand", "thanks for letting us know", "that sounds
frustrating") or asks a clarifying question (a question to the customer that is not the closing "anything
else?"). Without a customer message, or one with nothing specific in it, the check does nothing.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

    from ..rules.model import Rule

from .base import Check, Finding, register_check

#: Lemmas compared by their first letters, so that derived forms meet ("cancel" / "cancellation").
STEM_LENGTH = 6
#: Customers misspell ("addrtess", "cat with a person"); a reply word this similar still names the thing.
TYPO_SIMILARITY = 0.8
SECOND_PERSON = {"you", "your", "yours", "u", "ur"}


@register_check("no-acknowledgement")
class NoAcknowledgement(Check):
    pattern_params = ("specific", "acknowledgement", "further_help")

    def __init__(self, rule: Rule, nlp: Language) -> None:
        super().__init__(rule, nlp)
        # Every word of a synonym group compares as the group's first word.
        self.synonyms: dict[str, str] = {}
        for group in self.param("synonyms", []):
            keys = [_word_key(str(word)) for word in group]
            self.synonyms.update({key: keys[0] for key in keys})

    def findings(self, doc: Doc) -> Iterable[Finding]:
        customer = doc._.customer
        if customer is None:
            return
        specifics = self.specifics(customer)
        if not specifics or self._named(specifics, {_key(t) for t in doc if t.is_alpha or t.like_num}):
            return
        found = self.matches(doc)
        if found["acknowledgement"] or self._asks(doc, [m.span for m in found["further_help"]]):
            return
        first = next((s for s in doc.sents if any(t.is_alpha for t in s)), None)
        if first is None:
            return
        named = ", ".join(f'"{text}"' for text in list(specifics.values())[:3])
        end = first.start_char + len(first.text.rstrip())
        yield Finding(self.rule, first.start_char, end,
                      f"The reply never mentions {named} from the customer's message, and neither "
                      "acknowledges the issue nor asks about it.")

    def specifics(self, customer: Doc) -> dict[str, str]:
        """What is specific in the customer's message: ``{comparison key: the words as they wrote them}``."""
        generic = {str(w).lower() for w in self.param("generic", [])}
        tokens: list[Token] = [t for m in self.matches(customer)["specific"] for t in m.span]
        tokens += [t for chunk in customer.noun_chunks for t in chunk if t.pos_ in {"NOUN", "PROPN"}]
        # Verbs name the issue too ("cancel", "return"), and customers' typing leaves nouns tagged as verbs.
        tokens += [t for t in customer if t.pos_ == "VERB"]
        out: dict[str, str] = {}
        for token in tokens:
            key = _key(token)
            if len(key) > 1 and not token.is_stop and key not in generic and token.lemma_.lower() not in generic:
                out.setdefault(key, token.text)
        return out

    def _named(self, specifics: dict[str, str], said: set[str]) -> bool:
        """Whether the reply's words include one of the specifics: the same word, a synonym, or a near
        spelling of it."""
        if specifics.keys() & said:
            return True
        if {self.synonyms.get(k, k) for k in specifics} & {self.synonyms.get(k, k) for k in said}:
            return True
        return any(len(key) > 2 and not key.isdigit() and abs(len(word) - len(key)) <= 2
                   and SequenceMatcher(None, key, word).ratio() >= TYPO_SIMILARITY
                   for key in specifics for word in said)

    @staticmethod
    def _asks(doc: Doc, further_help: list[Span]) -> bool:
        """Whether the reply asks the customer something other than "anything else I can help with?"."""
        closing = {m.sent.start for m in further_help}
        return any(s.text.rstrip().endswith("?") and s.start not in closing
                   and any(t.lower_ in SECOND_PERSON for t in s) for s in doc.sents)


def _key(token: Token) -> str:
    """The comparison key of a word: its lemma's `_word_key`."""
    return _word_key(token.lemma_)


def _word_key(lemma: str) -> str:
    """Lower case, letters and digits only ("item(s)" → "item"), cut to `STEM_LENGTH` unless a number."""
    word = "".join(ch for ch in lemma.lower().removesuffix("(s)") if ch.isalnum())
    return word[:STEM_LENGTH] if not word.isdigit() else word
