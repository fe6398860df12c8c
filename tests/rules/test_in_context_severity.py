"""Rules weighed against the customer's message: a vague time or a generic apology is a hint to a calm
customer who is not waiting on anything, and keeps its warning for one who is (``with_customer`` in the
pack); a reply that only points elsewhere is curt to a customer owed an apology (APO006)."""

from __future__ import annotations

import pytest

from empathylint.diagnostic import Severity
from empathylint.errors import RuleFileError
from empathylint.checks import CHECKS
from empathylint.rules.conditions import CONDITIONS
from empathylint.rules.loader import load_pack

SOON = "Thanks for the details. We'll fix the export soon."


def severities(linter, reply: str, customer: str | None) -> dict[str, Severity]:
    return {d.code: d.severity for d in linter.lint(reply, customer)}


@pytest.mark.parametrize("customer, expected", [
    (None, Severity.WARNING),  # no customer: the rule's own severity
    ("Could you add an export to CSV?", Severity.INFO),  # calm, not waiting on anything
    ("When will the CSV export be fixed? It's been broken for weeks.", Severity.WARNING),  # waiting
    ("The CSV export is broken AGAIN, this is ridiculous!", Severity.WARNING),  # upset
])
def test_vague_time_weighs_what_the_customer_waits_for(rules_linter, customer, expected):
    assert severities(rules_linter, SOON, customer)["TML001"] == expected


def test_any_inconvenience_is_a_hint_to_a_calm_customer_and_a_warning_to_an_upset_one(rules_linter):
    reply = "We apologize for any inconvenience. You can change the address under Orders > Edit."
    assert severities(rules_linter, reply, "How do I change my delivery address?")["APO003"] == Severity.INFO
    upset = "This is ridiculous, I asked three times to change the address and nobody listens."
    assert severities(rules_linter, reply, upset)["APO003"] == Severity.WARNING


def test_with_customer_must_name_known_traits(tmp_path):
    pack = """
family: timeline
prefix: TML
description: d
rules:
  - code: TML001
    name: vague-time
    category: timeline
    severity: warning
    message: m
    reason: r
    suggestions: [s]
    with_customer: {severity: info, unless: [sleepy]}
    patterns:
      - phrases: ["soon"]
    examples:
      flag: ["It ships soon."]
      pass: ["It ships on Friday."]
"""
    with pytest.raises(RuleFileError, match="with_customer: 'unless' must list traits"):
        path = tmp_path / "timeline.yml"
        path.write_text(pack, encoding="utf-8")
        load_pack(path, set(CONDITIONS), set(CHECKS))


LOST = "I traded in my office and never got the money for it, I lost 1.1 million."


@pytest.mark.parametrize("reply", [
    "Please create a support ticket so we may assist you one-on-one. https://support.example.com/categories *TB",
    "Hi there. We suggest adding extra layers of security with these tips: https://example.com/tips Hope this helps.",
    "@Sam Please send us an email at https://help.example.com/requests/new and we will assist. ^JR",
])
def test_a_reply_that_only_points_elsewhere_is_curt_to_a_customer_who_reports_a_loss(rules_linter, reply):
    found = severities(rules_linter, reply, LOST)
    assert found.get("APO006") == Severity.WARNING and "APO005" not in found


def test_the_same_pointer_is_fine_for_a_question_and_an_answer_that_engages_is_a_hint(rules_linter):
    pointer = "Please create a support ticket so we may assist you one-on-one. https://support.example.com *TB"
    assert not {"APO005", "APO006"} & set(severities(rules_linter, pointer, "How do I get a refund for a game?"))
    engaged = ("Thanks for the details – did the trade-in show up in your transaction log under Settings? "
               "If it did, we can check the payout from there.")
    assert severities(rules_linter, engaged, LOST).get("APO005") == Severity.INFO


def test_courtesy_sentences_do_not_make_a_pointer_reply_an_answer(rules_linter):
    reply = "Hi there! Thanks for reaching out. Please refer to the following help article: https://example.com/kb -TC"
    assert severities(rules_linter, reply, "I can't get into my email since you forced a password change.")[
        "APO006"] == Severity.WARNING


def test_the_rule_page_says_how_the_customer_changes_the_severity():
    from click.testing import CliRunner

    from empathylint.cli import main

    page = CliRunner().invoke(main, ["rules", "TML001"]).output
    assert "With the customer's message: info, unless the customer is waiting on it or upset." in page


def test_an_owned_pointer_is_a_hint_to_a_calm_customer_who_lost_nothing(rules_linter):
    reply = "Please follow this link so that we can help you one-on-one: https://support.example.com/2sv *MS"
    calm = "I have a problem with my 2-Step Verification, it doesn't send the code."
    assert severities(rules_linter, reply, calm).get("APO006") == Severity.INFO
    assert severities(rules_linter, reply, LOST).get("APO006") == Severity.WARNING
    # out of pocket, whichever problem they name first
    failure_first = "The trade-in doesn't work, I didn't get the money for it and lost 1.1 million."
    assert severities(rules_linter, reply, failure_first).get("APO006") == Severity.WARNING
