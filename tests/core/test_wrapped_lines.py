"""Hard-wrapped prose: a line break inside a sentence is read as a space, so phrases and patterns that cross
it are found, and their positions still point into the original lines."""

from __future__ import annotations

import pytest

from empathylint.segmentation import unwrap


@pytest.mark.parametrize("text, expected", [
    ("As I already\nexplained, just\nrestart it.", "As I already explained, just restart it."),
    ("for any\ninconvenience", "for any inconvenience"),
    ("wörd\nélan", "wörd élan"),
    # a break that may start a sentence stays: after punctuation, before a capital, a number or a list marker,
    # a blank line, CRLF (two characters cannot become one space without moving every offset after them)
    ("Hi Sam,\nthanks for writing.", "Hi Sam,\nthanks for writing."),
    ("Thanks.\nnext steps", "Thanks.\nnext steps"),
    ("Follow these steps\n1. Log in", "Follow these steps\n1. Log in"),
    ("Steps\n- log in", "Steps\n- log in"),
    ("Hello\nThere", "Hello\nThere"),
    ("one\n\ntwo", "one\n\ntwo"),
    ("one \ntwo", "one \ntwo"),
    ("one\r\ntwo", "one\r\ntwo"),
])
def test_only_breaks_inside_a_sentence_become_spaces(text, expected):
    assert unwrap(text) == expected
    assert len(unwrap(text)) == len(text)


def test_a_phrase_wrapped_across_lines_is_flagged_where_it_is(rules_linter):
    reply = "Hi Sam,\n\nAs I already\nexplained, the box ships today. We apologize for any\ninconvenience.\n"
    found = {d.code: d for d in rules_linter.lint(reply)}
    first = found["CND001"]
    assert (first.line, first.column, first.end_line, first.end_column) == (3, 1, 4, 10)
    assert first.text == "As I already\nexplained"  # the file's own characters
    hollow = found["APO003"]
    assert reply[hollow.start:hollow.end].split() == ["any", "inconvenience"]
    assert (hollow.line, hollow.end_line) == (4, 5)

