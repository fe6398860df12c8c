"""Model findings: the behaviour-family head flags a behaviour however it is worded, with the family's code,
the sentence span and its score; where one of the family's rules flags the same sentence the user sees that
rule's diagnostic with the model's score; an uncalibrated family only hints; rules-only mode has none."""

from __future__ import annotations

import pytest

from empathylint.classifier.families import load_thresholds
from empathylint.diagnostic import Severity


def test_a_paraphrase_no_rule_lists_gets_the_familys_model_code(model_linter):
    reply = "Thanks for writing in. Head office sets these rules, not me."
    (found,) = [d for d in model_linter.lint(reply) if d.code.startswith("EXC")]
    assert (found.code, found.source, found.text) == ("EXC100", "model", "Head office sets these rules, not me.")
    assert found.score >= load_thresholds()["excuse"].value
    assert found.reason and found.suggestions


def test_a_rule_and_the_model_on_the_same_sentence_give_one_diagnostic_the_rules(model_linter):
    found = [d for d in model_linter.lint("We're sorry if you feel let down by the service.")
             if d.code.startswith("APO")]
    assert [d.code for d in found] == ["APO001"]
    assert found[0].score is not None and found[0].score >= load_thresholds()["apology"].value


def test_a_family_below_its_dev_precision_target_only_hints(model_linter):
    uncalibrated = [f for f, t in load_thresholds().items() if not t.calibrated]
    if "condescension" not in uncalibrated:
        pytest.skip("the shipped condescension threshold reached its precision target")
    (found,) = [d for d in model_linter.lint("Maybe read the instructions properly this time.")
                if d.code == "CND100"]
    assert found.severity == Severity.INFO


def test_rules_only_mode_has_no_model_findings(rules_linter):
    found = rules_linter.lint("Head office sets these rules, not me. Case closed.")
    assert not [d for d in found if d.code.endswith("100")]
