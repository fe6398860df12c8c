"""The customer's situation: read from their message, on the result and in the JSON output, and the missing
apology that follows it (severity by how upset the customer is, placed after the greeting)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from empathylint.cli import main
from empathylint.diagnostic import Severity
from empathylint.situation import load_situation_data
from empathylint.source import Source

EXAMPLES = load_situation_data().examples


def situation_of(linter, customer: str):
    result = next(linter.lint_sources([Source.from_text("Thanks for getting in touch.", "<t>", customer)]))
    return result.situation


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_every_example_in_the_situation_file_reads_as_declared(rules_linter, example):
    situation = situation_of(rules_linter, example["text"])
    assert situation.kind == example["kind"]
    assert situation.intensity == example["intensity"]
    if "problem" in example:
        assert situation.problem == example["problem"]
    if "problems" in example:  # every problem read, in order
        assert list(situation.problems) == example["problems"]
    assert situation.waiting == example.get("waiting", False)


def test_a_problem_is_quoted_in_the_customers_own_words(rules_linter):
    situation = situation_of(rules_linter, "Hi. I was charged twice for my May invoice.")
    assert situation.problem == "billing" and "charged twice" in situation.quote
    assert situation.describe() == f'reports a billing problem ("{situation.quote}")'


def test_no_customer_no_situation(rules_linter):
    result = next(rules_linter.lint_sources([Source.from_text("Thanks for getting in touch.")]))
    assert result.situation is None


def missing_apology(linter, reply: str, customer: str):
    return [d for d in linter.lint(reply, customer=customer) if d.code == "APO005"]


LONG_STEPS = (" If that does not help, reinstall it from the store, sign in again and check that background refresh"
              " is on, then tell us which version of the app and the phone you have.")


def test_severity_follows_how_upset_the_customer_is(rules_linter):
    reply = "Hi there! Please clear the cache and restart the app." + LONG_STEPS
    calm = missing_apology(rules_linter, reply, "When I open the app it gives me an error code.")
    upset = missing_apology(rules_linter, reply, "The app keeps crashing, I've tried everything and it's ridiculous.")
    assert [d.severity for d in calm] == [Severity.INFO]
    assert [d.severity for d in upset] == [Severity.WARNING]
    # placed on the first sentence after the greeting, and saying what the customer reported
    assert upset[0].text == "Please clear the cache and restart the app."
    assert upset[0].message.startswith("The customer reports something not working (")
    assert upset[0].message.endswith("; the reply neither apologises nor owns it.")


def test_a_calm_question_or_request_is_owed_no_apology(rules_linter):
    reply = "Go to Settings > Account and choose Change email."
    assert not missing_apology(rules_linter, reply, "How do I change the email address on my account?")
    assert not missing_apology(rules_linter, reply, "I want to cancel my order.")


def test_warmth_softens_a_frustrated_customer_but_not_a_furious_one(rules_linter):
    reply = "We'd be happy to look into that. Please send us your order number." + LONG_STEPS
    frustrated = missing_apology(rules_linter, reply, "My order never arrived and I've been waiting for weeks.")
    furious = missing_apology(rules_linter, reply, "My order never arrived. Worst service ever, this is a disgrace.")
    assert [d.severity for d in frustrated] == [Severity.INFO]
    assert [d.severity for d in furious] == [Severity.WARNING]


def test_a_severity_override_in_the_config_still_wins(rules_linter):
    from empathylint.config import Config
    from empathylint.linter import Linter

    strict = Linter(Config(use_model=False, severity={"APO005": Severity.ERROR}), nlp=rules_linter.nlp)
    found = missing_apology(strict, "Please clear the cache.", "When I open the app it gives me an error code.")
    assert [d.severity for d in found] == [Severity.ERROR]


def test_json_output_carries_the_customers_situation(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Please clear the cache and restart the app.\n", encoding="utf-8")
    customer = tmp_path / "ticket.txt"
    customer.write_text("I was charged twice and nobody answers my emails. Ridiculous.\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["check", "--no-model", "--format", "json", str(reply),
                                    "--customer", str(customer)])
    document = json.loads(out.output)
    assert document["version"] == 2
    situation = document["results"][0]["customer"]["situation"]
    assert (situation["kind"], situation["problem"], situation["intensity"]) == ("problem", "billing", "furious")
    assert "Ridiculous" in situation["markers"]


def test_a_short_cold_reply_to_an_upset_customer_is_curt_and_reported_once(rules_linter):
    customer = "I've been waiting 4 days for the discount I paid for and nobody answers. Ridiculous."
    found = rules_linter.lint("@Sam Please create a support ticket here: https://example.com/t ^SR", customer=customer)
    assert [d.code for d in found if d.code.startswith("APO")] == ["APO006"]
    (curt,) = [d for d in found if d.code == "APO006"]
    assert curt.text == "Please create a support ticket here: https://example.com/t"
    assert curt.message.startswith("A curt reply: the customer reports")
    # the same reply to a calm question is fine, and a warm one to the upset customer is not curt
    assert not [d for d in rules_linter.lint("Please create a support ticket here: https://example.com/t",
                                             customer="How do I ask for a refund?") if d.code.startswith("APO")]
    warm = rules_linter.lint("We'd be happy to look into that: please create a ticket here https://example.com/t",
                             customer=customer)
    assert "APO006" not in [d.code for d in warm]


def test_a_failure_the_reply_admits_is_one_missing_apology_not_a_curt_reply_too(rules_linter):
    found = rules_linter.lint("We charged you twice for the May invoice. The extra charge will drop off in 5 days.")
    assert [(d.code, d.text) for d in found if d.code.startswith("APO")] == [("APO005", "charged you twice")]
