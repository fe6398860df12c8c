"""Markdown: prose only; code, quotes, link targets and markup skipped; offsets exact."""

from __future__ import annotations


def test_prose_only(read, maps_back):
    text = ("---\ntitle: reply\n---\n# Your refund\n\nHi **Sam**,\n\n> Where is my refund?\n> > older quote\n\n"
            "Run `refresh --all` then see [the guide](https://x.example/guide \"Guide\").\n"
            "![screenshot](shot.png)\n\n```bash\njust restart\n```\n\n    indented code\n\n"
            "- First _step_\n- Second step\n\n| a | b |\n|---|---|\n| one | two |\n\n[ref]: https://x\n"
            "Snake_case_name stays, 2 * 3 stays, \\*escaped\\* &amp; done.<br>Next line<!-- note -->.\n")
    [source] = read(text, "reply.md")
    maps_back(source)
    assert "title" not in source.text and "older quote" not in source.text and "just restart" not in source.text
    assert "indented code" not in source.text and "https" not in source.text and "shot" not in source.text
    assert "Your refund\n\nHi Sam,\n\n" in source.text
    assert "Run it then see the guide.\n" in source.text
    assert "First step\n\nSecond step" in source.text
    assert "one\n\ntwo" in source.text
    assert "Snake_case_name stays, 2 * 3 stays, *escaped* & done.\nNext line." in source.text


def test_emphasis_inside_a_hit_maps_to_the_original_span(read, locate):
    [source] = read("Hello,\r\n\r\n**As I already explained**, the fix is live.\r\n", "reply.md")
    assert locate(source, "As I already explained") == ((3, 3), (3, 25), "As I already explained")


def test_quote_lines_at_any_depth_are_skipped(read, maps_back):
    [source] = read("Thanks!\n> I said\n>> they said\n> > > deeper\nLike I said, it's done.\n", "r.md")
    maps_back(source)
    assert source.text == "Thanks!\n\nLike I said, it's done.\n"


def test_unclosed_fence_skips_the_rest_with_a_notice(read):
    [source] = read("Hello.\n\n```\ncode\nJust restart it.\n", "r.md")
    assert source.text.strip() == "Hello."
    assert source.notices == ["line 3, column 1: a code fence is never closed: the rest was not linted"]


def test_multibyte_and_placeholders(read, locate):
    [source] = read("## Привет 👋\n\n{{customer.first_name}}, obviously it works.\n", "r.md")
    assert source.text == "Привет 👋\n\nAlex, obviously it works.\n"
    assert locate(source, "obviously") == ((3, 26), (3, 35), "obviously")


def test_lints_prose_at_the_right_place(rules_linter, read):
    [source] = read("# Update\n\n> As I already explained (the customer quoting us)\n\n"
                    "1. *Just* restart the router.\n", "r.md")
    [result] = rules_linter.lint_sources([source])
    codes = [(d.code, d.line, d.column, d.text) for d in result.diagnostics]
    assert ("CND005", 5, 5, "Just") in codes
    assert not any(code == "CND001" for code, *_ in codes)
