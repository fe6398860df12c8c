"""HND005 sent-elsewhere: where the customer is sent (span and message), how serious it is (the customer's
situation, the agent staying on it), and the hand-offs that are not: the customer asked for the channel, a
private message to the same team, an owned hand-off, a fallback, a link that is the answer. Replies are in
the register of real social-care, chat and email replies, with raw @handles and links."""

from __future__ import annotations

from dataclasses import fields

import pytest

from empathylint.checks.base import Finding
from empathylint.diagnostic import Severity

PER_FINDING_SEVERITY = "severity" in {f.name for f in fields(Finding)}


def _hits(linter, text: str, customer: str | None = None, code: str = "HND005"):
    return [d for d in linter.lint(text, customer) if d.code == code]


@pytest.mark.parametrize(("text", "span", "where"), [
    ("@jkim Please submit a request with your account information through the following link so that we can "
     "investigate: https://support.example.com/categories *MS", "submit a request", "a ticket form"),
    ("Please create a support ticket so we may assist you one-on-one. https://support.example.com/categories",
     "create a support ticket", "a ticket form"),
    ("Please follow this link so that we can help you one-on-one: https://support.example.com/2fa",
     "follow this link", "a ticket form"),
    ("@Alice For technical help, please visit our Help site https://help.example.net/hc/en-us ^JS",
     "For technical help, please visit our Help site", "the help site"),
    ("For all travel questions or concerns, please visit https://example.com/travel for information.",
     "For all travel questions or concerns, please visit", "the help site"),
    ("@RReflex Please send us an email at https://help.example.net/requests/new and we will assist. ^JR",
     "send us an email", "email"),
    ("Please email us at help@example.com.", "email us at help@example.com", "email"),
    ("Hi Marissa. Due to contractual agreements, you'll need to contact AT&T for a resolution.",
     "contact AT&T", "another company"),
    ("You'll want to reach out to your carrier about the dropped calls.", "reach out to your carrier",
     "another company"),
    ("Yes, you will want to work with Microsoft to repair the Visual C++ installation.", "work with Microsoft",
     "another company"),
    ("You can reach out to our partners at @AmazonHelp for that.", "reach out to our partners",
     "another company"),
    ("Please contact your bank to confirm the charge.", "contact your bank", "another company"),
    ("You can also call 1-800-225-5935, 24 hours a day, 7 days a week.", "call 1-800-225-5935",
     "phone or chat support"),
    ("Hey there! Check out our Community forums, someone there will know.", "Check out our Community forums",
     "a community forum"),
    ("We'd recommend suggesting it in our Community where you can get support from other fans.",
     "suggesting it in our Community", "a community forum"),
    ("For help recovering your account, please contact us at the link below with your username.",
     "For help recovering your account, please contact us", "another channel"),
])
def test_span_and_destination(rules_linter, text, span, where):
    (hit,) = _hits(rules_linter, text)
    assert hit.text == span
    assert (hit.start, hit.end) == (text.index(span), text.index(span) + len(span))
    assert f"sends the customer to {where}" in hit.message


def test_refusal_in_this_channel(rules_linter):
    text = ("Hi, our apologies for the delay. For all travel questions or concerns, please visit "
            "https://example.com/travel for information. We cannot assist with travel inquiries over social media.")
    spans = [d.text for d in _hits(rules_linter, text)]
    assert spans == ["For all travel questions or concerns, please visit",
                     "We cannot assist with travel inquiries over social media"]
    assert "refuses to help in this channel" in _hits(rules_linter, text)[1].message


@pytest.mark.parametrize("text", [
    # the same hand-offs once the masking step has put a neutral "it" where the link or handle was
    "Please send us an email at it and we will assist.",
    "Please open a ticket here: it",
    "For technical help, please visit our Help site it",
    "You can reach out to our partners at it for that.",
])
def test_links_and_handles_as_stand_ins(rules_linter, text):
    assert _hits(rules_linter, text), text


@pytest.mark.skipif(not PER_FINDING_SEVERITY, reason="findings carry no severity of their own yet")
@pytest.mark.parametrize(("text", "customer", "severity"), [
    # the customer reported a problem or is upset, and the reply just sends them away: a warning
    ("For technical help, please visit our Help site https://help.example.net", "The world won't load and the "
     "game keeps crashing!! I submitted a ticket a month ago and never got a response.", Severity.WARNING),
    ("You'll need to contact AT&T for a resolution.", "WHAT did you do overnight? NONE of my passwords work!!",
     Severity.WARNING),
    # a neutral request: a hint
    ("Please send us an email at https://help.example.net/requests/new", "How would I go about buying "
     "accounts in bulk for a training course?", Severity.INFO),
    # a problem, but the agent's side says it takes it from there: a hint
    ("Please send us an email at https://help.example.net/requests/new and we will assist.",
     "My account got hacked and now I can't log in!!", Severity.INFO),
    ("We would be happy to look into that. Please submit a ticket here: https://support.example.com",
     "I won the car at the casino but it never showed up in my garage, please help", Severity.INFO),
    # without the customer's message, the reply's own apology says there was a problem
    ("Sorry for the trouble! Please submit a ticket here: https://support.example.com", None, Severity.WARNING),
    ("Please submit a ticket here: https://support.example.com", None, Severity.INFO),
])
def test_severity_follows_the_customer(rules_linter, text, customer, severity):
    (hit,) = _hits(rules_linter, text, customer)
    assert hit.severity == severity


@pytest.mark.parametrize(("text", "customer"), [
    # the customer asked for the channel
    ("You can submit a ticket at https://support.example.com/categories and include your Gamertag.",
     "Who can I speak to regarding a legal claim involving your company? I'm requesting an email address please"),
    ("Sure! You can email us at help@example.com.", "what's your email?"),
    ("You can call us on 0800 123 456 from 8 am to 8 pm.", "is there a number I can call?"),
    ("Hi, You can access our live chat here: https://example.com/help/contact-us ^Lisi",
     "hello, do you still have a chat service? I'm not able to find it"),
    ("If you have found a site that violates our terms please report it through our Abuse page: "
     "https://example.com/abuse", "how can I report a website that is committing fraud on your platform?"),
    ("Please send us an email at https://help.example.net/requests/new and we will assist.",
     "How would I contact a member of the team to ask a question about the game's development?"),
    # the agent owns it, or moves to a private message with the same team
    ("I've passed this to the courier with your order details; they'll email you by Friday.", None),
    ("Send us a DM with your order number and we'll check your account.", None),
    ("We'll look into it once you DM us the email address on the account.", None),
    ("Shoot us a DM and we'd be more than happy to ensure we're helping all we can. ^Ray", None),
    ("If you need further assistance please feel free to send your account number to me in a private message.", None),
    # fallbacks and offers of more help
    ("This bonus can take up to 72 hours. If it does not appear after that, please contact us for support: "
     "https://support.example.com", None),
    ("Try these steps: https://help.example.com/playback If those don't work, call/chat us here: "
     "https://help.example.com/contact", None),
    ("Please try a different browser. If this doesn't work, you can contact us here "
     "https://help.example.net/requests/new and we'll assist as soon as possible.", None),
    ("I would check back in later on and if it's still happening, send us an email at "
     "https://help.example.net/requests/new", None),
    ("If you have any questions or encounter any difficulties, our support team is available to assist you. "
     "You can reach us at 0800 123 456 or through the live chat on our website.", None),
    ("Glad it's sorted! More questions? Visit our Help Center.", None),
    # the link is the answer
    ("Here's how to change your password: https://help.example.com/password", None),
    ("Visit our Help Center for the steps to reset your password.", None),
    ("Please try the troubleshooting here: https://support.example.com/articles/123", None),
    ("1. Go to our Help Center.\n2. Open Settings > Privacy.\n3. Turn off Smart Sync.", None),
    # questions, and the agent doing it
    ("Have you already submitted this as a feature request? That's the best place to send it!", None),
    ("Would you like me to open a ticket for you?", None),
    ("We'll send you an email with the replacement label today.", None),
    # team referrals are HND002/HND004's, not a second finding here
    ("You'll need to contact the billing team about that.", None),
    ("We encourage you to reach out to our developers so that they can add the option in a future update.", None),
])
def test_not_a_hand_off(rules_linter, text, customer):
    assert not _hits(rules_linter, text, customer), text


def test_a_conditional_goal_is_still_a_hand_off(rules_linter):
    """"If you'd like a refund, contact the seller" sends the customer away for what they want."""
    assert [d.text for d in _hits(rules_linter, "If you'd like a refund, please contact the seller directly.")] \
        == ["contact the seller"]


def test_team_referral_in_other_words_is_hnd002(rules_linter):
    text = "It's best to get in touch with our customer support so they can check in on this."
    assert [d.text for d in _hits(rules_linter, text, code="HND002")] == ["get in touch with our customer support"]
    assert not _hits(rules_linter, text)


def test_team_referral_passes_when_the_customer_asked_for_the_team(rules_linter):
    text = "Hi Ann! You can contact our Support team here: https://example.com/support"
    assert _hits(rules_linter, text, code="HND004")
    assert not _hits(rules_linter, text, "do you have a customer service dept? No way to ask questions", "HND004")


REPLY = "Please send us an email at help@example.com with your order number."


@pytest.mark.parametrize("customer", [
    "how do I contact customer service?",
    "What's your email address?",
    "is there a number I can call",
    "Can I speak to a real person please",
    "I want to talk to a manager",
    "what's the best way to contact a live person about mail issues?",
    "I have got to get in touch with customer support",
    "where can I report a scam account?",
    "customer support email",
])
def test_the_customer_asked_for_a_channel(rules_linter, customer):
    assert not _hits(rules_linter, REPLY, customer), customer


@pytest.mark.parametrize("customer", [
    "My phone number changed and now I can't log in.",
    "Is there any way to get my account back?",
    "Why is your support so slow??",
    "can someone help me? my order never arrived",
    "I opened a support ticket a week ago and nobody answered.",
    "How do I change the email on my account?",
])
def test_the_customer_asked_for_help_not_a_channel(rules_linter, customer):
    assert _hits(rules_linter, REPLY, customer), customer


@pytest.mark.parametrize(("customer", "problem"), [
    ("My order never arrived and I'm furious!!", True),
    ("I can't log in since the update", True),
    ("It is not on my account even though I paid", True),
    ("FIX. THE. APP. NOW.", True),
    ("my account got hacked", True),
    ("How do I set the audience for my videos?", False),
    ("I'm not sure which plan I'm on, can you tell me?", False),
    ("I don't know how to add a second user", False),
    ("Can I pre-order the game on my PS4?", False),
])
def test_problem_words_of_the_customer(rules_linter, customer, problem):
    """The hand-off pack's own reading of the customer's message (used with the situation, when the pipeline
    reads one: either saying "problem" makes it a warning)."""
    from empathylint.rules.handoff_conditions import _problem_words

    assert _problem_words(rules_linter.nlp(customer)) is problem
