"""Rule selection by code, prefix, name and category, the way --select/--ignore work."""

from __future__ import annotations

import pytest

from empathylint.errors import ConfigError
from empathylint.rules.model import CATEGORIES
from empathylint.rules.registry import RuleSet

RULES = RuleSet.load()


def test_codes_and_names_are_unique_and_stable():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert RULES.get("CND001").name == "as-already-explained"
    assert RULES.get("as-already-explained").code == "CND001"
    assert RULES.get("cnd001").code == "CND001"


def test_prefix_name_and_category_selection():
    assert RULES.select(["CND"]) == {r.code for r in RULES if r.code.startswith("CND")}
    assert RULES.select(["CND001", "did-you-even"]) == {"CND001", "CND007"}
    assert RULES.select(["apology"]) == {r.code for r in RULES if r.category == "apology"}
    everything = RULES.select(None)
    assert RULES.select(["ALL"]) == everything == {r.code for r in RULES}
    assert RULES.select(None, ["CND", "tone"]) == {r.code for r in RULES
                                                    if not r.code.startswith("CND") and r.category != "tone"}


def test_unknown_selector_is_an_error_not_an_empty_selection():
    with pytest.raises(ConfigError, match="unknown rule selector 'XYZ'"):
        RULES.select(["XYZ"])


def test_every_rule_is_documented():
    for rule in RULES:
        assert rule.category in CATEGORIES
        assert rule.reason and rule.message and rule.suggestions
        assert any(e.flags for e in rule.examples) and any(not e.flags for e in rule.examples)
