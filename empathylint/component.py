"""The rule engine as a spaCy component (``empathylint_rules``).

It compiles every rule's patterns into one `Matcher`, one `PhraseMatcher` and one `DependencyMatcher`
(`PatternSet`), instantiates the logic checks, and stores the hits of each reply on ``doc._.findings``.
Docs whose ``doc._.role`` is ``"customer"`` (the customer's message, parsed only as context) are skipped.
"""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .checks import CHECKS, Check, Finding
from .checks.base import customer_situation
from .checks.family_model import merge_model_findings
from .rules.matching import PatternSet
from .rules.registry import RuleSet

#: ``channel_marks``: ``(kind, text)`` of the channel's marks taken out of the parsed text (@handles, links, …);
#: ``link_spans``: ``(start, end)`` in the doc's own characters of the stand-in each link is parsed as
for _name, _default in (("findings", None), ("customer", None), ("role", "reply"), ("channel_marks", ()),
                        ("link_spans", ())):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class RuleEngine:
    """Runs pattern rules and checks on reply docs; findings are in the doc's own character offsets."""

    def __init__(self, nlp: Language, name: str, extra_rules: Iterable[str] = ()) -> None:
        self.name = name
        self.rules = RuleSet.load(extra_rules)
        self.patterns = PatternSet(nlp.vocab, nlp.make_doc)
        self.checks: list[Check] = []
        self._rule_of = {}
        for rule in self.rules:
            self._rule_of[rule.code] = rule
            self.patterns.add_all(rule.code, rule.patterns, rule.path)
            if rule.check:
                self.checks.append(CHECKS[rule.check](rule, nlp))

    def __call__(self, doc: Doc) -> Doc:
        if doc._.role == "customer":
            return doc
        situation = customer_situation(doc)
        findings = []
        for m in self.patterns.find(doc):
            rule = self._rule_of[m.key]
            # with the customer's message, some rules weigh less when their situation does not call for them
            context = rule.with_customer if situation is not None else None
            severity = context.severity if context is not None and context.applies(situation) else None
            findings.append(Finding(rule, m.span.start_char, m.span.end_char, severity=severity))
        for check in self.checks:
            findings.extend(check.findings(doc))
        doc._.findings = merge_model_findings(findings)
        return doc


@Language.factory("empathylint_rules", default_config={"extra_rules": []})
def make_rule_engine(nlp: Language, name: str, extra_rules: list[str]) -> RuleEngine:
    """spaCy factory: ``nlp.add_pipe("empathylint_rules", config={"extra_rules": ["my/rules"]})``."""
    return RuleEngine(nlp, name, extra_rules)
