"""The interface of a logic check and its registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..diagnostic import Severity
from ..errors import RuleFileError
from ..rules.model import Pattern, Rule

if TYPE_CHECKING:  # spaCy is imported only when a pipeline is built, so `empathylint rules` starts fast
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..rules.matching import PatternMatch

CHECKS: dict[str, type["Check"]] = {}


@dataclass(frozen=True)
class Finding:
    """A rule hit in a reply: character offsets in the `Doc`'s text, and an optional message that
    replaces the rule's default (checks can be specific: "the customer mentioned a double charge") and an
    optional severity that replaces the rule's (a check can weigh how upset the customer is; config
    overrides still win), and the model's score when the classifier found it or agrees with it."""

    rule: Rule
    start: int
    end: int
    message: str | None = None
    severity: Severity | None = None
    score: float | None = None  # the model's probability, for a model finding or a rule it agrees with


def register_check(name: str) -> Callable[[type["Check"]], type["Check"]]:
    def register(cls: type[Check]) -> type[Check]:
        CHECKS[name] = cls
        cls.name = name
        return cls

    return register


class Check:
    """Base class: subclasses implement `findings`. ``params`` entries listed in ``pattern_params`` are
    lists of patterns in the same YAML form as a rule's ``patterns`` and are compiled here."""

    name = ""
    pattern_params: tuple[str, ...] = ()

    def __init__(self, rule: Rule, nlp: "Language") -> None:
        from ..rules.matching import PatternSet

        self.rule = rule
        self.patterns = PatternSet(nlp.vocab, nlp.make_doc)
        for group in self.pattern_params:
            self.patterns.add_all(group, self._patterns(group), rule.path)

    def _patterns(self, group: str) -> list[Pattern]:
        from ..rules.loader import parse_patterns

        raw = self.rule.params.get(group)
        if not raw:
            raise RuleFileError(self.rule.path, f"rule {self.rule.code}: check '{self.name}' needs "
                                f"params.{group}", self.rule.line)
        return parse_patterns(raw, self.rule.path, f"rule {self.rule.code} params.{group}")

    def matches(self, doc: Doc, groups: Iterable[str] | None = None, start: int = 0
                ) -> dict[str, list[PatternMatch]]:
        """This check's pattern matches in ``doc``, grouped by params key; only those of ``groups`` when given
        (a check that needs the others only after a first group matched skips matching them), and only
        within ``doc[start:]`` when ``start`` (a sentence's first token) is given."""
        wanted = tuple(self.pattern_params if groups is None else groups)
        found: dict[str, list[PatternMatch]] = {g: [] for g in wanted}
        for match in self.patterns.find(doc, None if groups is None else set(wanted), start):
            found[match.key].append(match)
        return found

    def findings(self, doc: Doc) -> Iterable[Finding]:
        raise NotImplementedError

    def param(self, key: str, default: Any) -> Any:
        return self.rule.params.get(key, default)


def customer_situation(doc: Doc) -> "Situation | None":
    """The situation of the customer a reply answers (`situation.Situation`), None without their message."""
    customer = doc._.customer
    if customer is None or not customer.has_extension("situation"):
        return None
    return customer._.situation
