"""Missing apology: a failure is on the table but the reply neither apologises, owns it nor repairs it.

A failure is on the table when the reply itself admits one (a delay, an error, damage, a double charge) or
when the customer's message reports one, or shows them upset: the customer's `situation.Situation`, read
from their message (``doc._.customer._.situation``). The reply is fine if it apologises, shows empathy or
takes ownership; when the reply admits a failure, an owned repair also does ("I've moved your order"), or
the failure already put right ("it's patched", "the charge is gone"), and for pure delays "thank you for your
patience" (You et al. 2020).

How serious a missing apology is follows how the customer feels: a reply that takes the problem on (answers
it, asks about it) without a kind word is a hint (info), unless the customer is furious or distressed. A calm
question or request is owed none. The finding sits where the apology belongs: the reply's first sentence after
a greeting ("Hi there!") and the channel's @handle. A reply that only points elsewhere (`pointer_only`: links,
a ticket form, an email address, courtesies), or a short one with nothing warm in it to a furious or
distressed customer, is curt: APO006 reports it instead (`CurtReply`), so that the reply gets one diagnostic;
a pointer the team owns is a hint to a calm customer who lost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..diagnostic import Severity
from .base import Check, Finding, customer_situation, register_check

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from ..situation import Situation

#: Where a reply's `_Verdict` is kept once worked out (missing-apology and curt-reply both read it).
VERDICT_KEY = "empathylint.missing_apology"


@dataclass(frozen=True)
class _Verdict:
    """A missing apology in a reply: where, the message (None: the rule's own), the severity the customer's
    feelings give it (None: the rule's own), and whether it is a curt reply (APO006) or not (APO005)."""

    start: int
    end: int
    message: str | None = None
    severity: Severity | None = None
    curt: bool = False


#: Problems that cost the customer something: money, purchases, data or progress.
HARM = {"billing", "loss"}

#: The intensity words a message uses.
FEELING = {"frustrated": " and is frustrated", "furious": " and is angry", "distressed": " and is distressed",
           "calm": ""}


@register_check("missing-apology")
class MissingApology(Check):
    pattern_params = ("failure", "delay", "apology", "empathy", "ownership", "repair", "resolved", "patience",
                      "warmth", "greeting", "pointer", "courtesy", "stock_help")

    #: Whether this check reports the curt replies (`CurtReply`) or the other missing apologies.
    reports_curt = False

    def findings(self, doc: Doc) -> Iterable[Finding]:
        verdict = self.verdict(doc)
        if verdict is not None and verdict.curt == self.reports_curt:
            yield Finding(self.rule, verdict.start, verdict.end, verdict.message, verdict.severity)

    def verdict(self, doc: Doc) -> _Verdict | None:
        """The reply's missing apology, curt or not (None when nothing is owed or it is given), worked out
        once per reply: APO005 and APO006 share their word lists, and each reports its own kind."""
        if VERDICT_KEY not in doc.user_data:
            doc.user_data[VERDICT_KEY] = self._verdict(doc)
        return doc.user_data[VERDICT_KEY]

    def _verdict(self, doc: Doc) -> _Verdict | None:
        found = self.matches(doc)
        if found["apology"] or found["ownership"] or found["empathy"]:
            return None
        failures = found["failure"] + found["delay"]
        if failures:
            if found["repair"] or found["resolved"] or (found["patience"] and not found["failure"]):
                return None
            first = min(failures, key=lambda m: m.span.start_char).span
            return _Verdict(first.start_char, first.end_char)
        situation = customer_situation(doc)
        if situation is None or not situation.owes_apology:
            return None
        if found["patience"] and situation.problem in {None, "delivery", "service"}:
            return None  # thanking them for their patience is the apology a wait is owed
        if situation.kind != "problem" and not situation.upset:
            return None
        sentence = self.opening(doc, {m.span.sent.start for m in found["greeting"]})
        if sentence is None:
            return None
        end = sentence.start_char + len(sentence.text.rstrip())
        if self.curt(doc, found, situation):
            # a pointer the team owns ("… so we can help you one-on-one") is only a hint to a calm customer
            # who lost nothing; upset or out of pocket, they are owed a word about it first (whichever of the
            # problems they report comes first: "I didn't get the money for it… lost 1.1mil")
            owned = bool(found["stock_help"]) and not situation.upset and HARM.isdisjoint(situation.problems)
            return _Verdict(sentence.start_char, end, self.curt_message(situation),
                            Severity.INFO if owned else None, curt=True)
        # a reply that takes the problem on (answers it, asks about it) but has no kind word is a hint; a
        # furious or distressed customer is owed the apology itself, however warmly the reply takes it on
        severity = Severity.WARNING if situation.level == 2 else Severity.INFO
        return _Verdict(sentence.start_char, end, self.message(situation), severity)

    def curt(self, doc: Doc, found: dict, situation: Situation) -> bool:
        """A reply that only points elsewhere (`pointer_only`), or a short one with nothing warm in it to a
        furious or distressed customer (apology and empathy were ruled out)."""
        if self.pointer_only(doc, found):
            return True
        words = sum(t.is_alpha for t in doc)
        return situation.level == 2 and not found["warmth"] and not found["patience"] and \
            words <= int(self.param("curt_words", 30))

    def pointer_only(self, doc: Doc, found: dict) -> bool:
        """Whether all the reply does is point somewhere: every sentence of prose links to a page or sends the
        customer to a channel (a ticket form, an email address, a DM), or is a courtesy ("Hi there.", "Hope
        this helps."), and at least one points. A stock link is not an answer to what they wrote."""
        pointers = {m.span.sent.start for m in found["pointer"]}
        pointers |= {s.start for s in doc.sents
                     if any(s.start_char < end and start < s.end_char for start, end in doc._.link_spans)}
        # "we'd be happy to look into that: …" takes the problem on; "… so we may assist you" is the pointer's own
        stock = [m.span for m in found["stock_help"]]
        pointers -= {m.span.sent.start for m in found["warmth"]
                     if not any(s.start <= m.span.start and m.span.end <= s.end for s in stock)}
        short = int(self.param("courtesy_words", 8))
        courtesy = {m.span.sent.start for m in found["courtesy"] + found["greeting"]
                    if sum(t.is_alpha for t in m.span.sent) <= short}
        prose = [s for s in doc.sents if sum(t.is_alpha for t in s) >= 2]
        return bool(pointers) and all(s.start in pointers or s.start in courtesy for s in prose)

    @staticmethod
    def curt_message(situation: Situation) -> str:
        what = f"{situation.describe()}{FEELING[situation.intensity]}" if situation.kind == "problem" \
            else f"is {situation.intensity}"
        return (f"A curt reply: the customer {what}, and the reply is a bare instruction with no empathy "
                "and no word of their problem.")

    @staticmethod
    def opening(doc: Doc, greetings: set[int]) -> Span | None:
        """The reply's first sentence with words in it, after a greeting sentence ("Hi there!", "Hello Sam,")."""
        sentences = [s for s in doc.sents if any(t.is_alpha for t in s)]
        for sentence in sentences:
            if sentence.start in greetings and len(sentences) > 1 and sum(t.is_alpha for t in sentence) <= 4:
                continue
            return sentence
        return sentences[0] if sentences else None

    @staticmethod
    def message(situation: Situation) -> str:
        if situation.kind == "problem":
            what = f"The customer {situation.describe()}{FEELING[situation.intensity]}"
            return f"{what}; the reply neither apologises nor owns it."
        markers = [m for m in situation.markers if m != "model"][:2]
        shown = f' ({", ".join(f"{chr(34)}{m}{chr(34)}" for m in markers)})' if markers else ""
        return f"The customer is {situation.intensity}{shown}; the reply shows no empathy or apology."


@register_check("curt-reply")
class CurtReply(MissingApology):
    """APO006: the missing apology of a short, cold reply to an upset customer (`MissingApology.curt`), which
    missing-apology leaves to this rule so that the reply gets one diagnostic."""

    reports_curt = True
