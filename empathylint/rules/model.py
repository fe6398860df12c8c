"""The shape of a rule, as the YAML packs in ``rules/`` declare it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostic import Severity

#: The fixed set of categories; every rule belongs to exactly one.
CATEGORIES: dict[str, str] = {
    "condescension": "Talking down to the customer: implying they should have known or listened.",
    "blame": "Putting the fault on the customer.",
    "excuse": "Shifting blame to policy, systems, colleagues or circumstance instead of owning it.",
    "apology": "Hollow, conditional or missing apologies.",
    "tone": "Sentences that read as hostile, cold or impolite (from the classifier).",
    "promise": "Over-promising: guarantees and absolutes the agent cannot check.",
    "timeline": "Vague timelines: 'soon', 'shortly', 'ASAP' with no concrete window.",
    "handoff": "Shuffling the customer to someone else without owning the hand-off.",
    "rudeness": "Dismissive or rude phrasing, unsoftened commands.",
    "negativity": "Saying what cannot be done without offering what can.",
    "acknowledgement": "Not naming the customer's issue or feelings.",
    "closing": "No thanks and no offer of further help at the end.",
    "cliche": "Scripted, robotic phrases.",
    "pronoun": "'We' where the agent's own 'I' would read as ownership.",
}

PATTERN_KINDS = ("tokens", "phrases", "dependency")


@dataclass(frozen=True)
class Pattern:
    """One spaCy pattern of a rule.

    ``kind`` is ``tokens`` (a `Matcher` pattern), ``phrases`` (strings for a `PhraseMatcher`, compared
    by lower case) or ``dependency`` (a `DependencyMatcher` pattern). ``report`` names the dependency
    nodes (or token indexes) whose tokens form the reported span; by default the whole match.
    ``when``/``unless`` name conditions (``empathylint.rules.conditions``) that must hold / must not hold.
    """

    kind: str
    value: Any
    report: tuple[Any, ...] = ()
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Example:
    """A support reply the rule must flag (``flags=True``) or must leave alone.

    For flagging examples ``span``, when given, is the exact text the diagnostic must cover.
    ``customer`` is the customer's message, for rules that compare the two.
    """

    text: str
    flags: bool
    span: str | None = None
    customer: str | None = None
    line: int = 0


@dataclass(frozen=True)
class FixTemplate:
    """A mechanical replacement for the matched span; ``safe`` ones are applied by ``check --fix``."""

    replacement: str
    safe: bool = False


#: What a customer's situation can show that keeps a rule at its own severity (`CustomerSeverity.unless`).
SITUATION_TRAITS = ("upset", "problem", "waiting")


@dataclass(frozen=True)
class CustomerSeverity:
    """A rule's severity when the reply is linted with the customer's message: ``severity`` unless their
    situation shows one of ``unless`` (`SITUATION_TRAITS`): then the rule's own. "Sorry for any inconvenience"
    to a calm question is a hint; to a customer whose order is lost it is the hollow apology it warns about."""

    severity: Severity
    unless: tuple[str, ...]

    def describe(self) -> str:
        """In words, for the rule's page: 'info, unless the customer is waiting or upset'."""
        traits = {"upset": "upset", "problem": "reporting a problem", "waiting": "waiting on it"}
        return f"{self.severity}, unless the customer is {' or '.join(traits[t] for t in self.unless)}"

    def applies(self, situation: Any) -> bool:
        """Whether ``severity`` replaces the rule's own for a customer in ``situation`` (a `Situation`)."""
        shown = {"upset": situation.upset, "problem": situation.kind == "problem",
                 "waiting": situation.waiting}
        return not any(shown[trait] for trait in self.unless)


@dataclass(frozen=True)
class Rule:
    """A rule from a pack: identity, documentation, patterns or a named check, and examples."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    reason: str
    suggestions: tuple[str, ...]
    examples: tuple[Example, ...]
    pack: str
    path: str
    line: int
    patterns: tuple[Pattern, ...] = ()
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    fix: FixTemplate | None = None
    description: str = ""
    precision: str = ""
    with_customer: "CustomerSeverity | None" = None

    def format_message(self, text: str) -> str:
        return self.message.replace("{text}", text)
