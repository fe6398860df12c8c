"""Every example in every rule pack runs: flag examples must produce the rule's diagnostic (on exactly
the ``span`` text when one is given), pass examples must not. Rules that need the classifier run their
examples with the model."""

from __future__ import annotations

import pytest

from empathylint.rules.registry import RuleSet

RULES = list(RuleSet.load())
CASES = [pytest.param(rule, example, id=f"{rule.code}-{'flag' if example.flags else 'pass'}-{i}")
         for rule in RULES for i, example in enumerate(rule.examples)]


def _needs_model(rule) -> bool:
    return bool(rule.check and (rule.check.startswith("tone-") or rule.check == "family-model"))


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule, example, request):
    linter = request.getfixturevalue("model_linter" if _needs_model(rule) else "rules_linter")
    hits = [d for d in linter.lint(example.text, example.customer) if d.code == rule.code]
    if example.flags:
        assert hits, f"{rule.code} should flag: {example.text!r}"
        if example.span:
            assert example.span in [d.text for d in hits], (
                f"{rule.code} flagged {[d.text for d in hits]}, expected {example.span!r}")
    else:
        assert not hits, f"{rule.code} should pass {example.text!r} but flagged {[d.text for d in hits]}"


@pytest.mark.parametrize("family", sorted({r.pack for r in RULES}))
def test_every_family_has_flag_and_pass_examples(family):
    examples = [e for r in RULES if r.pack == family for e in r.examples]
    assert sum(e.flags for e in examples) >= 8, f"{family}: fewer than 8 must-flag examples"
    assert sum(not e.flags for e in examples) >= 8, f"{family}: fewer than 8 must-pass examples"


@pytest.mark.parametrize("family", sorted({r.pack for r in RULES}))
def test_every_family_has_ten_patterns(family):
    rules = [r for r in RULES if r.pack == family]
    patterns = sum(len(r.patterns) for r in rules) + sum(
        len(v) for r in rules for v in r.params.values() if isinstance(v, list))
    assert patterns >= 10 or any(_needs_model(r) for r in rules), f"{family}: fewer than 10 patterns"
