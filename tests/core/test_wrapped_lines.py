"""Hard-wrapped prose: a line break inside a sentence is read as a space, so phrases and patterns that cross
it are found, and their positions still point into the original lines."""

from __future__ import annotations

import pytest

from empathylint.nlp.segmentation import unwrap


@pytest.mark.parametrize("text, expected", [
    ("As I already\nexplained, just\nrestart it.", "As I already explained, just restart it."),
    ("for any\ninconvenience", "for any inconvenience"),
    ("wörd\nélan", "wörd élan"),
    # a break that may start a sentence stays: after punctuation, before a capital, a number or a list marker,
    # a blank line; CRLF, which `plain_text` makes LF first (the linter does, and maps the offsets back)
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



def test_windows_line_endings_give_the_same_findings_at_the_same_lines_and_columns(rules_linter):
    reply = "Hi Sam,\n\nAs I already\nexplained, the box ships today. We apologize for any\ninconvenience.\n"
    windows = reply.replace("\n", "\r\n")
    where = [(d.code, d.line, d.column, d.end_line, d.end_column) for d in rules_linter.lint(reply)]
    found = rules_linter.lint(windows)
    assert [(d.code, d.line, d.column, d.end_line, d.end_column) for d in found] == where
    assert "CND001" in {code for code, *_ in where}
    first = next(d for d in found if d.code == "CND001")
    assert windows[first.start:first.end] == first.text == "As I already\r\nexplained"


@pytest.mark.parametrize("text", ["a\r\nb\r\n\r\ncd", "no break", "\r\n", "ends\r\n", "mixed\nand\r\nboth",
                                  "\ufeffzero\u200b\u200bwidth inconven\u00adience\r\n"])
def test_plain_text_maps_every_offset_back(text):
    from bisect import bisect_left

    from empathylint.nlp.segmentation import plain_text

    plain, cut = plain_text(text)
    dropped = "\u200b\u2060\u00ad\ufeff"
    assert plain == unwrap("".join(c for c in text.replace("\r\n", "\n") if c not in dropped))
    assert len(plain) + len(cut) == len(text)
    back = [i + bisect_left(cut, i) for i in range(len(plain) + 1)]
    assert back[-1] == len(text)
    shown = [text[j:].lstrip("\r" + dropped)[0] for j in back[:-1]]
    assert all(c == o or (c == " " and o == "\n") for c, o in zip(plain, shown))  # a wrap reads as a space


def test_invisible_characters_do_not_hide_a_phrase(rules_linter):
    reply = "Thanks.\u200bAs I already explained, we apologize for any inconven\u00adience."
    found = {d.code: d for d in rules_linter.lint(reply)}
    first = found["CND001"]
    assert first.text == "As I already explained" and first.column == 9  # after the zero-width space
    assert found["APO003"].text == "any inconven\u00adience"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_a_file_with_windows_or_old_mac_line_endings_reads_like_its_lf_twin(run_check, tmp_path, newline):
    reply = ("Hi Sam,\n\nAs I already\nexplained, the box ships today.\n"
             "Like I said, no. <!-- empathylint: disable-line=CND002 -->\nLike I said, never.\n")
    (tmp_path / "lf.txt").write_bytes(reply.encode())
    (tmp_path / "other.txt").write_bytes(reply.replace("\n", newline).encode())
    lf, other = (run_check(str(tmp_path / name)) for name in ("lf.txt", "other.txt"))
    where = [(r["line"], r["column"], r["end_line"], r["end_column"], r["code"]) for r in lf]
    assert [(r["line"], r["column"], r["end_line"], r["end_column"], r["code"]) for r in other] == where
    assert (3, 1, 4, 10, "CND001") in where and (6, 1, 6, 12, "CND002") in where
    assert not any(line == 5 and code == "CND002" for line, *_, code in where)  # suppressed on its line


@pytest.fixture()
def run_check():
    import json

    from click.testing import CliRunner

    from empathylint.cli import main

    def run(path: str) -> list[dict]:
        result = CliRunner().invoke(main, ["check", "--no-model", "--no-cache", "-f", "json", path])
        assert result.exit_code in (0, 1), result.output
        return [d for r in json.loads(result.output)["results"] for d in r["diagnostics"]]

    return run
