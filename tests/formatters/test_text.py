"""``--format text``: one ``path:line:col:`` line per diagnostic, whatever the flagged span holds."""

from __future__ import annotations

from empathylint.formatters import FormatOptions
from empathylint.linter import LintResult
from empathylint.source import OffsetMap, Source, SourceFile

from .conftest import RULES, diagnostic

WRAPPED = "Thanks for writing in.\nAs I already\n   explained, restart it.\n"


def test_a_span_across_a_line_break_keeps_its_diagnostic_on_one_line(render):
    file = SourceFile("replies/wrapped.txt", WRAPPED)
    d = diagnostic(RULES.get("CND001"), file, "As I already\n   explained", record="7", title="Refund,\ndelayed")
    result = LintResult(Source(WRAPPED, file, OffsetMap.identity(len(WRAPPED))), [d])
    output = render("text", [result], options=FormatOptions(quiet=True))
    assert output == ('replies/wrapped.txt:2:1: CND001 [warning] "As I already explained" tells the customer they '
                      'should have listened the first time. (as-already-explained) [#7 "Refund, delayed"]\n')


def _excerpt_of(render, text: str, flagged: str, **changes) -> str:
    file = SourceFile("replies/odd.txt", text)
    d = diagnostic(RULES.get("CND001"), file, flagged, **changes)
    result = LintResult(Source(text, file, OffsetMap.identity(len(text))), [d])
    return render("text", [result])


def test_control_characters_from_the_file_are_shown_not_obeyed(render):
    # (a lone CR ends a line, as in an old Mac file; a vertical tab does not)
    text = "\x1b[31mAs I\x08 already\x0bexplained\x9b, restart it.\n"
    output = _excerpt_of(render, text, "As I\x08 already\x0bexplained", record="7\x1b]0;", title="\x07title")
    assert not set(output) & {"\x1b", "\x08", "\x0b", "\x9b", "\x07"}
    assert ('"As I\ufffd already\ufffdexplained" tells the customer they should have listened the first time. '
            '(as-already-explained) [#7\ufffd]0; "\ufffdtitle"]') in output
    assert ("  1 | \ufffd[31mAs I\ufffd already\ufffdexplained\ufffd, restart it.\n"
            "    |      " + "^" * 23 + "\n") in output


def test_tabs_still_take_one_column_and_the_carets_stay_under_the_span(render):
    output = _excerpt_of(render, "\tOk.\tAs I already explained, restart it.\n", "As I already explained")
    assert "  1 |  Ok. As I already explained, restart it.\n    |      ^^^^^^^^^^^^^^^^^^^^^^\n" in output


def test_carets_after_east_asian_wide_characters_line_up_by_display_width(render):
    output = _excerpt_of(render, "ご注文 As I already explained, restart it.\n", "As I already explained")
    assert "  1 | ご注文 As I already explained, restart it.\n    |        ^^^^^^^^^^^^^^^^^^^^^^\n" in output


def test_a_file_name_that_is_not_utf8_is_written_as_utf8(render):
    # os.fsdecode(b"caf\xe9.txt"): a Latin-1 file name found by a folder walk on a UTF-8 system.
    source = Source("x", SourceFile("caf\udce9.txt", "x"), OffsetMap.identity(1), notices=["a notice"])
    output = render("text", [LintResult(source, [])])
    output.encode("utf-8")
    assert output.startswith("caf\ufffd.txt: notice: a notice\n")


def test_bidi_overrides_are_shown_not_obeyed(render):
    # An unclosed RIGHT-TO-LEFT OVERRIDE would print the rest of the line reversed ("Trojan Source").
    output = _excerpt_of(render, "Note \u202eAs I already explained, restart it.\u2066\n", "As I already explained")
    assert not set(output) & {"\u202e", "\u2066"}
    assert "  1 | Note \ufffdAs I already explained, restart it.\ufffd\n    |      " + " " + "^" * 22 + "\n" in output


def test_carets_after_combining_marks_line_up_by_display_width(render):
    # "café" spelt with a combining acute accent: five characters, four columns.
    output = _excerpt_of(render, "Cafe\u0301 As I already explained, restart it.\n", "As I already explained")
    assert "  1 | Cafe\u0301 As I already explained, restart it.\n    |      ^^^^^^^^^^^^^^^^^^^^^^\n" in output
