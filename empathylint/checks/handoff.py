"""Sent elsewhere (HND005): the reply sends the customer to another place to get the help they asked for here —
a ticket form, an email address, phone or chat support, the help site or a community forum, or another company.

The patterns are data (``rules/handoff.yml``, one group per destination); this check adds what a pattern
cannot: one finding per hand-off even when two destinations' patterns overlap ("For technical help, please
visit our Help site"), a message that names where the customer is sent, and a severity that follows the
customer: a warning when they reported a problem or are upset (``customer-reported-problem``), a hint (info)
for a neutral request or when the agent's side says it takes the case from there ("… and we will assist",
``agent-follows-up``). Team referrals ("contact our billing team") are HND002/HND004.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..diagnostic import Severity
from ..errors import RuleFileError
from ..rules.conditions import CONDITIONS
from .base import Check, Finding, register_check

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from ..rules.matching import PatternMatch
    from ..rules.model import Rule

@register_check("sent-elsewhere")
class SentElsewhere(Check):
    """``params.messages``: destination group → message (``{text}`` is the matched words), in priority order;
    each group is a list of patterns under its own key. ``unless``: conditions that drop a match;
    ``warn_when``: conditions that must all hold for a warning (else info); ``hint_when``: conditions any of
    which makes it info."""

    def __init__(self, rule: Rule, nlp: Language) -> None:
        messages = rule.params.get("messages")
        if not isinstance(messages, dict) or not messages:
            raise RuleFileError(rule.path, f"rule {rule.code}: check 'sent-elsewhere' needs params.messages",
                                rule.line)
        self.messages: dict[str, str] = {str(k): str(v) for k, v in messages.items()}
        self.pattern_params = tuple(self.messages)
        super().__init__(rule, nlp)
        self.unless = self._conditions("unless")
        self.warn_when = self._conditions("warn_when")
        self.hint_when = self._conditions("hint_when")

    def _conditions(self, key: str) -> tuple[str, ...]:
        names = self.param(key, [])
        unknown = [n for n in names if n not in CONDITIONS]
        if unknown:
            raise RuleFileError(self.rule.path, f"rule {self.rule.code}: params.{key}: unknown condition "
                                f"'{unknown[0]}'", self.rule.line)
        return tuple(names)

    def findings(self, doc: Doc) -> Iterable[Finding]:
        found = self.matches(doc)
        order = {group: k for k, group in enumerate(self.messages)}
        hits: list[tuple[Span, str]] = []
        for group, matches in found.items():
            hits.extend((m.span, group) for m in matches if not self._dropped(m))
        # one finding per hand-off: overlapping matches merge, the first destination (in params order) names it
        hits.sort(key=lambda h: (h[0].start, -h[0].end))
        merged: list[tuple[int, int, str, Span]] = []
        for span, group in hits:
            if merged and span.start < merged[-1][1]:
                start, end, best, where = merged[-1]
                if order[group] < order[best]:
                    best, where = group, span
                merged[-1] = (start, max(end, span.end), best, where)
            else:
                merged.append((span.start, span.end, group, span))
        for start, end, group, span in merged:
            words = doc[start:end]
            message = self.messages[group].replace("{text}", words.text)
            yield Finding(self.rule, words.start_char, words.end_char, message, self.severity(span))

    def _dropped(self, match: PatternMatch) -> bool:
        return any(CONDITIONS[name](match.span) for name in self.unless)

    def severity(self, span: Span) -> Severity:
        """Warning when the customer reported a problem or is upset and the agent does not take it from there;
        info otherwise."""
        if all(CONDITIONS[n](span) for n in self.warn_when) and not any(CONDITIONS[n](span) for n in self.hint_when):
            return Severity.WARNING
        return Severity.INFO
