"""Channel conventions (`nlp.channel`): what a tweet, chat or mail reply is parsed as once its @handles, links,
hashtags, emoji, thread numbers, ticket numbers and agent sign-offs are masked, and how every offset of the
parsed text maps back onto the original."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from empathylint.nlp.channel import KINDS, find_marks, mask

TWEET = ("@CinVakas Thanks for the tag \u2013 if you believe the suspension was done in error, you can appeal. "
         "Here's how: https://example.com/x Also, please delete this tweet. Hope this helps! ^TM")


@pytest.mark.parametrize("text, parsed", [
    # the handles that address a tweet, thread numbers and sign-offs are taken out
    (TWEET, "Thanks for the tag \u2013 if you believe the suspension was done in error, you can appeal. "
            "Here's how: it. Also, please delete this tweet. Hope this helps!"),
    ("1/2 @Jo_B Hi there! We can help. -Suzette", "Hi there! We can help."),
    ("(2/3) @Jo @Bo Thanks! \U0001F44D\U0001F3FD", "Thanks!"),
    ("Hi @Jo, sorry for that", "Hi, sorry for that"),
    ("Thank you @Jo for the tag", "Thank you for the tag"),
    ("Thanks! @Jo @Bo", "Thanks!"),
    ("@handle ^TM", ""),
    # where a word is needed, a handle or a link reads "it" ("it." when a new sentence follows)
    ("Please contact @AmazonHelp for that.", "Please contact it for that."),
    ("Please DM @AmazonHelp They can check.", "Please DM it. They can check."),
    ("Visit www.example.com/help.", "Visit it."),
    ("See (https://example.com/a_(b)) for more", "See (it) for more"),
    ("Here's how:\nhttps://example.com/x", "Here's how:\n"),
    ("Thanks for asking. https://example.com/x", "Thanks for asking."),
    ("https://example.com/x has the steps.", "it has the steps."),
    ("@Jo https://example.com/x just restart it", "just restart it"),
    # emoji and emoticons: taken out, or the full stop they stand for
    ("Sorry about that \U0001F614 Let me check.", "Sorry about that. Let me check."),
    ("sorry \U0001F614 for the wait :)", "sorry for the wait"),
    ("thanks\U0001F60Asee you", "thanks see you"),
    ("\u2764\ufe0f Love it", "Love it"),
    ("Family: \U0001F468\u200d\U0001F469\u200d\U0001F467 ok", "Family: ok"),
    # hashtags: a word in prose, a trailing block is taken out
    ("I love #coffee", "I love coffee"),
    ("My #PS5 won't start", "My PS5 won't start"),
    ("Great game! #RDR2", "Great game!"),
    ("Loving it #RDR2 #gaming", "Loving it"),
    ("Issue #42 is fixed", "Issue #42 is fixed"),
    # ticket numbers: the number goes, the word stays
    ("Your case #12345678 has been escalated. *MS", "Your case has been escalated."),
    ("Please quote ticket 0345-22 when you reply ~Ana", "Please quote ticket when you reply"),
    ("SR#12345 is closed", "SR is closed"),
    ("Incident number: INC0012345 is open", "Incident number is open"),
    ("We will refund123 you", "We will refund123 you"),
    # sign-offs
    ("Hope this helps /YT", "Hope this helps"),
    ("Thanks so much! ^Stephanie", "Thanks so much!"),
    ("Thx. -Massiel", "Thx."),
    ("Thanks - Ana", "Thanks"),
    ("Thanks for reaching out.\n\u2013 Ana from Support", "Thanks for reaching out.\n"),
    ("Thanks for reaching out.\n- Ana, Support", "Thanks for reaching out.\n"),
    ("Line one ^JS\n2/2 @Jo more here ^JS", "Line one\nmore here"),
    ("Hello,\r\n@Jo check https://x.co/a\r\n^JS", "Hello,\r\ncheck it\r\n"),
    # what the email reader takes off a message: the signature after "-- ", the mail client's line
    ("My order never came.\n\nSent from my iPhone", "My order never came.\n\n"),
    ("Thanks,\nAna\n-- \nAna Smith\nAcme | https://acme.com", "Thanks,\nAna\n"),
])
def test_a_reply_is_parsed_with_its_channel_marks_masked(text, parsed):
    assert mask(text).text == parsed


@pytest.mark.parametrize("text", [
    "Thanks, Ana",  # a name in a sentence is prose; the closing check reads sign-offs of this kind
    "Best regards,\nAna",
    "We will call from Monday - Tuesday",
    "Options:\n- Refund\n- Replacement",  # a list, not a sign-off
    "Please see pages 3-Five",
    "AC/DC tickets",
    "we refund 1/2 the price",
    "open 24/7",
    "Email alex@example.com or call 1-800-FLOWERS.",
    "Your order with the reference number 370795561790 ships today.",  # the customer's own number
    "In case 2 items are missing, tell us.",
    "Open a case\n12345 people did",
    "The ratio is 3:2, see amazon.com for details.",
    "Press \u2192 to go on",
    "Sent via DHL on Monday.\nSent from my desk, twice.",
    "As I already explained, just restart the router.",
    "",
])
def test_prose_is_left_alone(text):
    assert mask(text).text == text
    assert find_marks(text) == []


def test_marks_say_what_they_are():
    text = "1/2 @Jo Case #12345 see https://a.b/c \U0001F600 #tag #two :) ^TM"
    assert [m.kind for m in find_marks(text)] == ["thread", "handle", "ticket", "url", "emoji", "hashtag",
                                                   "hashtag", "emoticon", "sign-off"]
    assert {m.kind for m in find_marks(text)} <= set(KINDS)


def test_offsets_after_a_mark_map_back_exactly():
    text = "@Jo Hi \U0001F600 there, visit https://example.com/x now"
    masked = mask(text)
    assert masked.text == "Hi there, visit it now"
    now = masked.text.index("now")
    assert masked.back(now, now + 3) == (text.index("now"), len(text))
    there = masked.text.index("there")
    assert masked.back(there, there + 5) == (text.index("there"), text.index("there") + 5)
    # a span that starts or ends in a stand-in covers the whole link
    visit = masked.text.index("visit")
    assert masked.back(visit, visit + 8) == (text.index("visit"), text.index(" now"))
    # a span that holds nothing but the stand-in is no span at all
    it = masked.text.index(" it ") + 1
    assert masked.back(it, it + 2) is None
    assert masked.back(0, 2) == (text.index("Hi"), text.index("Hi") + 2)  # the handle taken out stays out


def test_a_prose_hashtag_keeps_its_sign():
    text = "My #PS5 won't start"
    masked = mask(text)
    ps5 = masked.text.index("PS5")
    assert masked.back(ps5, ps5 + 3) == (3, 7)  # "#PS5"
    assert masked.back(0, 2) == (0, 2)


def test_a_text_without_marks_is_its_own_map():
    masked = mask("Just restart it.")
    assert masked.marks == () and masked.back(0, 4) == (0, 4)


FRAGMENTS = ["@Jo_B", "@AmazonHelp", " ", "\n", "\r\n", "Hi there!", "please contact ", "visit ", "here: ",
             "https://example.com/x", "www.a.io/b", "amzn.to/3xYz", "#coffee", "#RDR2", "\U0001F614",
             "\u2764\ufe0f", "\U0001F44D\U0001F3FD", ":)", "1/2", "(2/3)", "^TM", "*MS", "/YT", "~Ana", "-Suzette",
             "\u2013 Ana from Support", "- Ana, Support", "Case #12345678", "ticket 0345-22", "Thanks, Ana",
             "just restart it", ". ", "! ", "Let me check", "As I already explained", ",", "-", "x"]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=20).map("".join))
@example("visit https://example.com/x Hi \U0001F614 there #tag ^TM")
@example("@a\n#b\u2013 A")
@example("Your case\n12345 is open")
def test_every_offset_maps_back_onto_the_original(text):
    masked = mask(text)
    marks = masked.marks
    assert all(0 <= m.start < m.end <= len(text) for m in marks)
    assert all(a.end <= b.start for a, b in zip(marks, marks[1:]))
    stand_ins = masked.stand_in_spans()
    inside = [False] * (len(masked.text) + 1)
    for s, e in stand_ins:
        inside[s:e] = [True] * (e - s)
    # every parsed character outside a stand-in is the original character it maps to (with its "#", the
    # first letter of a prose hashtag)
    for i, char in enumerate(masked.text):
        span = masked.back(i, i + 1)
        if inside[i]:
            continue
        assert span is not None and text[span[0]:span[1]] in (char, "#" + char), (i, char, span)
    # no span starts or ends inside a mark, and every span maps in order
    for start in range(len(masked.text) + 1):
        for end in range(start, min(len(masked.text), start + 12) + 1):
            span = masked.back(start, end)
            if span is None:
                assert any(s < end and start < e for s, e in stand_ins)
                continue
            s, e = span
            assert 0 <= s <= e <= len(text)
            for m in marks:
                assert not m.start < s < m.end and not m.start < e < m.end, (start, end, span, m)
