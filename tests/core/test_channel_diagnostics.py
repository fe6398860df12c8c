"""Replies written in a channel's conventions (@handles, links, emoji, hashtags, agent initials) are linted as
the prose they hold: the marks are never a diagnostic's span nor a word the checks count, and every diagnostic
still points at the file's own characters, line and column."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from empathylint.nlp.channel import find_marks
from empathylint.source import Source


def where(diagnostic) -> tuple[str, int, int]:
    return diagnostic.code, diagnostic.line, diagnostic.column


def test_a_phrase_right_after_a_link_is_flagged_at_its_column(rules_linter):
    reply = "@Jo_B Here's how: https://example.com/a?b=c As I already explained, the box ships today."
    found = {d.code: d for d in rules_linter.lint(reply)}
    first = found["CND001"]
    assert first.text == "As I already explained"
    assert (first.line, first.column) == (1, reply.index("As I") + 1)


def test_a_phrase_right_after_an_emoji_is_flagged_at_its_column(rules_linter):
    reply = "Hi there,\nSorry \U0001F614\U0001F3FD As I already explained, just restart the router.\n"
    found = {d.code: d for d in rules_linter.lint(reply)}
    assert where(found["CND001"]) == ("CND001", 2, len("Sorry \U0001F614\U0001F3FD ") + 1)
    assert found["CND005"].text == "just"
    assert found["CND005"].column == reply.split("\n")[1].index("just") + 1


def test_positions_after_masked_marks_on_earlier_lines_are_exact(rules_linter):
    reply = "1/2 @Jo @Bo Thanks \U0001F600 for the tag!\nvisit https://x.co/a #help\n\U0001F600 Obviously, it works. ^TM"
    found = {d.code: d for d in rules_linter.lint(reply)}
    assert where(found["CND004"]) == ("CND004", 3, 3)
    assert found["CND004"].text == "Obviously"


def test_a_reply_that_is_only_marks_has_no_diagnostic(rules_linter):
    for reply in ["@handle ^TM", "@Jo_B https://example.com/x *MS", "2/2 @Jo \U0001F44D", "#RDR2 #gaming"]:
        assert rules_linter.lint(reply) == [], reply


def test_the_customers_handle_is_not_a_word_of_their_issue(rules_linter):
    customer = "@RockstarSupport @RockstarGames my RDR2 save game crashes on the PS4 #RDR2 https://t.co/abc"
    found = {d.code: d for d in rules_linter.lint("Please restart the console.", customer=customer)}
    message = found["ACK001"].message
    assert "Rockstar" not in message and "t.co" not in message and "abc" not in message
    assert "RDR2" in message or "PS4" in message


def test_a_ticket_number_and_a_mail_client_line_are_not_words_of_the_issue(rules_linter):
    customer = "My case #12345678 is still open and the refund never came.\n\nSent from my iPhone"
    found = {d.code: d for d in rules_linter.lint("Please restart the console.", customer=customer)}
    message = found["ACK001"].message
    assert "12345678" not in message and "iPhone" not in message
    assert "refund" in message


def test_a_handle_in_both_messages_is_no_acknowledgement(rules_linter):
    customer = "@AmazonHelp my parcel never arrived at the locker"
    reply = "@jo Please DM @AmazonHelp and they will check. Hope this helps! ^TM"
    assert "ACK001" in {d.code for d in rules_linter.lint(reply, customer=customer)}


def test_a_prose_hashtag_is_a_word_of_the_customers_issue(rules_linter):
    customer = "@Sony my #PS5 won't turn on"
    codes = {d.code for d in rules_linter.lint("Sorry about your PS5! Could you try another cable?", customer=customer)}
    assert "ACK001" not in codes


def test_sign_offs_are_not_sentences_of_their_own(rules_linter):
    body = "Thanks for reaching out. We have reset your password, and you can log in again now."
    for sign_off in [" ^TM", " *MS", " ~Ana", " -Suzette", "\n\u2013 Ana from Support", "\n- Ana, Support", " /YT"]:
        masked = [(d.code, d.text) for d in rules_linter.lint(body + sign_off)]
        assert masked == [(d.code, d.text) for d in rules_linter.lint(body)], sign_off


def test_a_name_at_the_end_of_a_sentence_is_kept():
    from empathylint.nlp.channel import mask

    customer = "My order never arrived and nobody answers.\nThanks, Ana"
    assert mask(customer).text == customer


PHRASES = ["As I already explained, ", "just restart the router. ", "Obviously, ", "we apologize for any "
           "inconvenience. ", "Per my last email, ", "that's our policy. ", "Thanks! "]
MARKS = ["@Jo_B ", "@AmazonHelp", "https://example.com/x?y=1 ", "www.a.io/b", "#RDR2 ", "#coffee", "\U0001F614 ",
         "\u2764\ufe0f", ":) ", "1/2 ", "(2/3) ", " ^TM", " *MS", " -Suzette", "\n\u2013 Ana from Support",
         "Case #12345678 ", "ticket 0345-22 ", "visit ", "contact ", "here: ", "\n", "\r\n", " ", "Hi, "]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=40)
@given(st.lists(st.sampled_from(PHRASES + MARKS), min_size=1, max_size=14).map("".join))
@example("@Jo visit https://example.com/x As I already explained, just restart the router. \U0001F614 ^TM")
@example("1/2 @Jo_B Obviously, #coffee Per my last email, \n\u2013 Ana from Support")
def test_every_diagnostic_maps_back_and_never_cuts_into_a_mark(rules_linter, reply):
    source = Source.from_text(reply)
    marks = [m for m in find_marks(reply) if not m.glued]
    for d in rules_linter.lint(reply):
        assert d.text == reply[d.start:d.end]
        assert (d.line, d.column) == source.file.position(d.start)
        assert (d.end_line, d.end_column) == source.file.position(d.end)
        for m in marks:
            assert not m.start < d.start < m.end and not m.start < d.end < m.end, (d.code, d.text, m)
            assert not (m.start <= d.start and d.end <= m.end), (d.code, d.text, m)  # never a mark's span alone
