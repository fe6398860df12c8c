"""Targeted tests for the promise, timeline, handoff, cliche, pronoun and closing packs: exact spans, the
entity-based timeline logic, fixes, and the context the conditions read (neighbouring sentences, the
customer's message, the end of the reply)."""

from __future__ import annotations

import pytest


def _hits(linter, text: str, code: str, customer: str | None = None):
    return [d for d in linter.lint(text, customer) if d.code == code]


@pytest.mark.parametrize(("text", "code", "phrase"), [
    ("Thanks for waiting! We'll get back to you as soon as possible.", "TML001", "as soon as possible"),
    ("Hi Ana,\nYour refund will be processed shortly.", "TML001", "shortly"),
    ("Sorry about that. This will never happen again.", "PRM002", "will never happen again"),
    ("Hello. Please reach out to our billing team.", "HND002", "reach out to our billing team"),
    ("Ok. We'll check your account and email you by 5 pm.", "PRN001", "We"),
    ("Send it over at your earliest convenience, please.", "CLC004", "at your earliest convenience"),
])
def test_span_covers_exactly_the_phrase(rules_linter, text, code, phrase):
    (hit,) = _hits(rules_linter, text, code)
    assert (hit.start, hit.end) == (text.index(phrase), text.index(phrase) + len(phrase))
    assert hit.text == phrase


def test_span_line_and_column_after_multibyte_and_crlf(rules_linter):
    text = "Héllo 😀 Zoë,\r\nYour parcel will arrive soon.\r\n"
    (hit,) = _hits(rules_linter, text, "TML001")
    assert text[hit.start:hit.end] == "soon"
    assert (hit.line, hit.column) == (2, len("Your parcel will arrive ") + 1)


@pytest.mark.parametrize("text", [
    "I'll email you by 5 pm today.",
    "Your refund will arrive within 2 business days.",
    "You'll hear from me within 24 hours.",
    "The replacement will arrive soon, on Friday at the latest.",
    "We'll reply shortly, by noon tomorrow.",
    "Our courier will collect it soon after 10 am.",
])
def test_concrete_time_in_the_sentence_passes(rules_linter, text):
    assert not [d for d in rules_linter.lint(text) if d.code.startswith("TML")]


@pytest.mark.parametrize(("text", "phrase"), [
    # Vague DATE entities do not count as a time.
    ("You should receive the card in the coming days.", "in the coming days"),
    ("We will update you within a few business days.", "within a few business days"),
    ("The team will look at it in the near future.", "in the near future"),
    # A time in another sentence does not make this one concrete.
    ("It's Monday today. Your refund will be processed shortly.", "shortly"),
])
def test_vague_time_without_a_concrete_one_flags(rules_linter, text, phrase):
    assert [d.text for d in _hits(rules_linter, text, "TML001")] == [phrase]


@pytest.mark.parametrize("text", [
    "Please reply as soon as possible.",  # a request to the customer, not a commitment
    "I'll send the tracking number as soon as it ships.",  # timed by an event
    "Could you let me know soon which colour you'd like?",
    "To see how soon you can expect your order, open the Orders page.",
])
def test_vague_words_outside_commitments_pass(rules_linter, text):
    assert not _hits(rules_linter, text, "TML001")


def test_vague_time_offers_an_unsafe_placeholder_fix(rules_linter):
    (hit,) = _hits(rules_linter, "Your refund will be processed shortly.", "TML001")
    assert hit.fix is not None and hit.fix.replacement == "by [date]" and not hit.fix.safe
    assert (hit.fix.start, hit.fix.end) == (hit.start, hit.end)


def test_untimed_follow_up_only_when_nothing_says_when(rules_linter):
    assert _hits(rules_linter, "We'll get back to you.", "TML002")
    for text in ("We'll get back to you soon.", "We'll get back to you by Friday.",
                 "We'll get back to you once the courier replies."):
        assert not _hits(rules_linter, text, "TML002"), text


def test_safe_fixes_are_only_the_mechanical_ones(rules_linter):
    rules = {r.code: r for r in rules_linter.rules}
    safe = {code for code, r in rules.items() if r.fix and r.fix.safe and code[:3] in
            {"PRM", "TML", "HND", "CLC", "PRN", "CLO"}}
    assert safe == {"CLC004", "CLC006"}


def test_owned_handoff_in_the_next_sentence_passes(rules_linter):
    text = "Refunds are handled by a different team. I've passed your request to them with the details."
    assert not _hits(rules_linter, text, "HND001")
    assert _hits(rules_linter, "Refunds are handled by a different team.", "HND001")


def test_referral_passes_when_the_customer_asked_for_a_person(rules_linter):
    text = "Please call our support team on 0800 123 456; they're there from 8 am to 8 pm."
    assert _hits(rules_linter, text, "HND002")
    assert not _hits(rules_linter, text, "HND002", customer="How can I speak to a real person?")


def test_hedged_never_again_passes(rules_linter):
    assert not _hits(rules_linter, "I can't promise it won't happen again, but I've added a note.", "PRM002")
    assert not _hits(rules_linter, "We'll try to make sure it never happens again.", "PRM002")


class TestWeakClose:
    def test_reports_the_last_sentence_of_the_body(self, rules_linter):
        text = "Hi Sam,\n\nI've moved your delivery. The driver will call first. The slot is 9 to 1.\n\nBest regards,\nAlex"
        (hit,) = _hits(rules_linter, text, "CLO001")
        assert hit.text == "The slot is 9 to 1."

    @pytest.mark.parametrize("text", [
        "Your refund went out today.",
        "Done. The address is updated.",
        "I've moved your delivery. The driver will call first. Does 9 to 1 work for you?",
        "I've moved your delivery. The driver will call first. The slot is 9 to 1.\n\nThanks,\nAlex",
        "I've moved your delivery. The driver will call first. Please confirm the slot works for you.",
    ])
    def test_short_replies_questions_requests_and_thanks_in_the_signoff_pass(self, rules_linter, text):
        assert not _hits(rules_linter, text, "CLO001")

    def test_an_offer_earlier_in_the_reply_does_not_count(self, rules_linter):
        text = ("Let me know if the link doesn't work. The voucher is valid for a year. "
                "It is on your account. It works on any product.")
        assert _hits(rules_linter, text, "CLO001")
