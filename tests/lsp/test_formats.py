"""Every format ``check`` reads, read the same way from an editor's buffer: the reader chosen by the file's
extension (else the languageId), the findings ``check`` reports, each at its UTF-16 range in the buffer."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from empathylint.cli import main

from .conftest import ROOT, text_at

EXAMPLES = sorted((ROOT / "examples" / "replies").iterdir())


def utf16_position(text: str, line: int, column: int) -> dict:
    """LSP position of ``check``'s 1-based line and code-point column."""
    line_text = text.split("\n")[line - 1]
    return {"line": line - 1, "character": len(line_text[:column - 1].encode("utf-16-le")) // 2}


def test_every_format_has_an_example():
    assert {p.suffix for p in EXAMPLES} >= {".txt", ".md", ".html", ".eml", ".json", ".jsonl", ".csv", ".yaml",
                                            ".liquid", ".hbs"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_a_buffer_gets_the_findings_check_reports_for_the_file(lsp, path):
    text = path.read_text(encoding="utf-8")
    run = CliRunner().invoke(main, ["check", "--no-model", "--no-cache", "-f", "json", str(path)])
    expected = [d for r in json.loads(run.output)["results"] for d in r["diagnostics"]]
    published = lsp.open(path.as_uri(), text)
    assert expected, "each example has findings"
    assert sorted((d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in published) \
        == sorted((d["code"], d["line"] - 1, utf16_position(text, d["line"], d["column"])["character"])
                  for d in expected)
    for want in expected:
        got = next(d for d in published if d["code"] == want["code"]
                   and d["range"]["start"] == utf16_position(text, want["line"], want["column"]))
        assert got["range"]["end"] == utf16_position(text, want["end_line"], want["end_column"])
        assert text_at(text, got["range"]) == want["text"]


def test_an_untitled_buffer_is_read_by_its_language_id(lsp):
    markdown = ("Hi Sam,\n\n```\nAs I already explained, restart it.\n```\n\n"
                "Obviously 😀 the [link](https://x.test/obviously) helps.\n")
    found = lsp.open("untitled:Untitled-1", markdown, language_id="markdown")
    assert [(d["code"], text_at(markdown, d["range"])) for d in found if d["code"].startswith("CND")] == [
        ("CND004", "Obviously")]  # the code block and the link target are not prose
    as_text = lsp.open("untitled:Untitled-2", markdown, language_id="plaintext")
    assert {"CND001", "CND004"} <= {d["code"] for d in as_text}


def test_a_template_buffer_masks_its_placeholders(lsp):
    template = "Hi {{ticket.requester.first_name}} 👋,\n\nAll you have to do is reset {{ticket.id}} yourself.\n"
    found = lsp.open("untitled:Untitled-3", template, language_id="handlebars")
    spans = [text_at(template, d["range"]) for d in found]
    assert "All you have to do" in spans
    assert not any("{{" in span or "}}" in span for span in spans)


def test_json_that_does_not_parse_is_an_error_on_its_line(lsp):
    broken = '[{"text": "Just restart it.",\n  "id": 1\n'
    (error,) = lsp.open("file:///tmp/empathylint-lsp/macros.json", broken)
    assert error["severity"] == 1 and error["source"] == "empathylint"
    assert error["range"]["start"]["line"] == 2
    assert "not valid JSON" in error["message"]


def test_a_bad_record_is_a_warning_on_its_line_and_the_others_are_linted(lsp):
    lines = '{"text": "Just restart it."}\n{"text": oops}\n{"text": "As I 😀 already explained, restart it."}\n'
    found = lsp.open("file:///tmp/empathylint-lsp/replies.jsonl", lines)
    found.sort(key=lambda d: d["range"]["start"]["line"])
    assert [(d["range"]["start"]["line"], d.get("code")) for d in found] == [
        (0, "CND005"), (1, None), (2, "CND001")]
    assert "not valid JSON" in found[1]["message"] and found[1]["severity"] == 2
    assert text_at(lines, found[2]["range"]) == "As I 😀 already explained"


def test_a_byte_order_mark_shifts_nothing(lsp):
    text = "\ufeffAs I already explained, restart the router."
    (found, *_) = lsp.open("file:///tmp/empathylint-lsp/bom.txt", text)
    assert text_at(text, found["range"]) == "As I already explained"
