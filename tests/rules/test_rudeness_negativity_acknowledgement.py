"""Targeted tests for the rudeness, negativity and acknowledgement packs: where a command counts as a command,
what counts as an alternative to a "no", and what counts as naming the customer's issue."""

from __future__ import annotations

import pytest


def _codes(linter, text: str, prefix: str, customer: str | None = None) -> list[str]:
    return [d.code for d in linter.lint(text, customer) if d.code.startswith(prefix)]


# --- rudeness -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Send me the receipt.",
    "Stop emailing us about this.",
    "Wait for the confirmation.",
    "Read the manual first.",
])
def test_bare_demand_flags(rules_linter, text):
    assert "RUD003" in _codes(rules_linter, text, "RUD") or "RUD002" in _codes(rules_linter, text, "RUD")


@pytest.mark.parametrize("text", [
    # Instructions towards the customer's own goal are not demands.
    "Click Save and you're done — I've checked it works.",
    "Go to Settings and choose Billing.",
    # Softened requests.
    "Send me the receipt when you have a moment.",
    "Could you send me the receipt?",
    "Kindly send the receipt and I'll refund you today.",
    # Numbered steps, even when the list marker ends up in a sentence of its own.
    "Here's how:\n\n1. Open the app.\n2. Send us the code shown on screen.",
    "Here's how:\n4. Open the app.\n5. Send the form.",
    # Offers.
    "Please let me know if that helps.",
    "Let me know which size you'd like.",
])
def test_instructions_offers_and_soft_requests_pass(rules_linter, text):
    assert not [c for c in _codes(rules_linter, text, "RUD") if c in {"RUD002", "RUD003"}]


def test_why_questions_are_graded_by_negation(rules_linter):
    assert _codes(rules_linter, "Why didn't you attach the photo?", "RUD") == ["RUD004"]
    assert _codes(rules_linter, "Why did you attach two photos?", "RUD") == ["RUD005"]


def test_why_about_a_thing_not_the_customer_passes(rules_linter):
    assert not _codes(rules_linter, "Why did the parcel go to the depot? The label was smudged.", "RUD")


# --- negativity -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "We can't refund it. Instead, I've added store credit.",        # next sentence
    "I've added store credit. We can't refund it to the card.",     # previous sentence
    "We can't refund it, though you can exchange it for any size.",  # same sentence
    "We can't refund it. Would you like a replacement?",             # an offer as a question
    "We can't refund it. Try the exchange form on our website.",     # a next step for the customer
])
def test_a_refusal_with_an_alternative_nearby_passes(rules_linter, text):
    assert not _codes(rules_linter, text, "NEG")


def test_an_alternative_two_sentences_away_does_not_count(rules_linter):
    text = "We can't refund it. The item was opened. The seal is broken. Instead, I've added credit."
    assert _codes(rules_linter, text, "NEG") == ["NEG001"]


@pytest.mark.parametrize("text", [
    "We won't charge you for the return.",           # good news
    "We can't thank you enough for your patience.",  # emphasis
    "I'm sorry you can't log in right now.",         # the customer's problem, with sympathy
    "If we can't deliver on Friday, we'll call you.",
])
def test_negatives_that_are_not_refusals_pass(rules_linter, text):
    assert not _codes(rules_linter, text, "NEG")


# --- acknowledgement ------------------------------------------------------------------------------------

GENERIC_REPLY = "Thank you for contacting us. We will look into it."


def test_no_customer_message_means_no_acknowledgement_check(rules_linter):
    assert not _codes(rules_linter, GENERIC_REPLY, "ACK")


def test_generic_customer_message_has_nothing_to_name(rules_linter):
    assert not _codes(rules_linter, GENERIC_REPLY, "ACK", customer="Hi, can someone help me please?")


@pytest.mark.parametrize(("reply", "customer"), [
    ("Your order 88123 left the warehouse this morning.", "Where is order #88123?"),            # an id
    ("I've refunded the £12.50 to your card.", "You took £12.50 twice from my account."),      # an amount
    ("The chargers ship tomorrow.", "The charger was missing from the box."),                  # lemma
    ("I've cancelled it, as you asked.", "I'd like a cancellation, please."),                  # derived form
    ("I can put you through to a live agent in the chat.", "i want to cat with a person"),     # a typo
    ("Here's how to request a reimbursement.", "I want my money back for the blender"),         # a synonym
])
def test_naming_a_specific_of_the_customer_message_passes(rules_linter, reply, customer):
    assert not _codes(rules_linter, reply, "ACK", customer=customer)


@pytest.mark.parametrize("reply", [
    "I see what happened. We will look into it.",
    "Thanks for flagging this. We will look into it.",
    "Which email address did you use? We will look into it.",
])
def test_acknowledging_or_asking_passes(rules_linter, reply):
    assert not _codes(rules_linter, reply, "ACK", customer="My Acme X200 blender stopped working.")


def test_closing_question_is_not_a_clarifying_question(rules_linter):
    reply = "We will look into it. Is there anything else I can help you with?"
    (hit,) = [d for d in rules_linter.lint(reply, "My Acme X200 blender stopped working.") if d.code == "ACK001"]
    assert hit.text == "We will look into it."
    assert '"Acme"' in hit.message and "blender" in hit.message


def test_a_paraphrase_of_the_issue_counts_as_acknowledgement_with_the_model(rules_linter, model_linter):
    customer = "My internet is really slow at night."
    reply = "Broadband gets congested in your area after dark; we are adding capacity on Friday."
    # no word in common: rules only, the reply reads as unacknowledged; by meaning it engages
    assert "ACK001" in [d.code for d in rules_linter.lint(reply, customer=customer)]
    assert "ACK001" not in [d.code for d in model_linter.lint(reply, customer=customer)]


def test_the_missing_words_are_the_customers_issue_not_the_company_or_filler(rules_linter):
    customer = "@RockstarSupport Hi there, Grand Theft Auto keeps crashing at 280 fps, so fuckin annoying"
    (hit,) = [d for d in rules_linter.lint("Please visit our help site.", customer=customer) if d.code == "ACK001"]
    assert '"Grand Theft Auto"' in hit.message
    for word in ("Rockstar", "Support", '"Hi"', '"280"', "fuckin", '"Grand"'):
        assert word not in hit.message
