"""The language server as an editor sees it, over stdio: initialize, didOpen, didChange, publishDiagnostics at
the right UTF-16 ranges, hover with the rule's page, code actions whose edits fix the draft."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from empathylint.cli import main

from ..conftest import model_available
from .conftest import LspClient, apply_edits, text_at, utf16_range

# Non-ASCII and emoji before each span, on the span's own line: UTF-16 columns differ from code points there.
DRAFT = ("Olá Zoë 👋, obrigado! 😀 Please do not hesitate to contact us.\n"
         "We apologize for any inconvenience 🙏 this may have caused. Send it at your earliest convenience.\n")
URI = "file:///tmp/empathylint-lsp/draft.txt"


def by_code(diagnostics: list[dict]) -> dict[str, dict]:
    return {d["code"]: d for d in diagnostics}


def test_initialize_announces_what_the_server_does(lsp):
    client = LspClient("--no-model")
    try:
        result = client.initialize()
    finally:
        client.close()
    capabilities = result["capabilities"]
    assert result["serverInfo"]["name"] == "empathylint"
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert capabilities["textDocumentSync"]["openClose"] is True
    assert capabilities["hoverProvider"]
    assert {"quickfix", "source.fixAll.empathylint"} <= set(capabilities["codeActionProvider"]["codeActionKinds"])
    registration = client.server_requests[0]["params"]["registrations"][0]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert {"**/.empathylint.toml", "**/pyproject.toml"} <= {w["globPattern"] for w in
                                                             registration["registerOptions"]["watchers"]}


def test_did_open_publishes_each_finding_at_its_utf16_range(lsp):
    found = by_code(lsp.open(URI, DRAFT))
    hesitate = found["CLC006"]
    start = DRAFT.index("do not hesitate to")
    assert hesitate["range"] == utf16_range(DRAFT, start, start + len("do not hesitate to"))
    assert hesitate["range"]["start"]["character"] == start + 2  # 👋 and 😀 are two UTF-16 units each
    assert text_at(DRAFT, hesitate["range"]) == "do not hesitate to"
    inconvenience = DRAFT.index("any inconvenience")  # a span with an emoji inside it
    assert found["APO003"]["range"] == utf16_range(DRAFT, inconvenience, DRAFT.index(". Send"))
    assert text_at(DRAFT, found["APO003"]["range"]) == "any inconvenience 🙏 this may have caused"
    assert text_at(DRAFT, found["CLC004"]["range"]) == "at your earliest convenience"
    assert hesitate["source"] == "empathylint"
    assert hesitate["severity"] == 3  # info → Information
    assert found["APO003"]["severity"] == 2  # warning → Warning
    assert hesitate["codeDescription"]["href"].endswith("/rules/cliche.yml")
    assert hesitate["message"].startswith('"do not hesitate to" is filler')


def test_did_change_applies_incremental_edits_and_moves_the_ranges(lsp):
    uri = URI.replace("draft", "change")
    lsp.open(uri, DRAFT)
    # two emoji and a space before everything on line 0: three code points, five UTF-16 units
    inserted = lsp.change(uri, 2, [{"range": {"start": {"line": 0, "character": 0},
                                              "end": {"line": 0, "character": 0}}, "text": "🎉🎉 "}])
    text = "🎉🎉 " + DRAFT
    start = text.index("do not hesitate to")
    assert by_code(inserted)["CLC006"]["range"] == utf16_range(text, start, start + len("do not hesitate to"))
    # deleting the phrase (its UTF-16 range) clears its finding and leaves the others where they are
    where = by_code(inserted)["CLC006"]["range"]
    removed = lsp.change(uri, 3, [{"range": where, "text": "feel free to"}])
    assert "CLC006" not in by_code(removed)
    text = text.replace("do not hesitate to", "feel free to")
    assert text_at(text, by_code(removed)["CLC004"]["range"]) == "at your earliest convenience"
    # a whole-document change (no range) is read as the new text
    assert lsp.change(uri, 4, [{"text": "Thanks, the refund is on its way."}]) == []


def test_hover_over_a_finding_shows_the_rules_page(lsp):
    uri = URI.replace("draft", "hover")
    found = by_code(lsp.open(uri, DRAFT))
    inside = dict(found["CLC006"]["range"]["start"])
    inside["character"] += 4
    answer = lsp.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": inside})
    page = CliRunner().invoke(main, ["rules", "CLC006"]).output.rstrip("\n")
    assert answer["contents"]["kind"] == "markdown"
    assert page in answer["contents"]["value"]
    assert answer["range"] == found["CLC006"]["range"]
    nothing = lsp.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 0, "character": 1}})
    assert nothing is None


def test_a_quick_fix_edits_exactly_the_flagged_words(lsp):
    uri = URI.replace("draft", "fix")
    found = by_code(lsp.open(uri, DRAFT))
    actions = lsp.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": found["CLC006"]["range"],
        "context": {"diagnostics": [found["CLC006"]], "only": ["quickfix"]}})
    assert [a["title"] for a in actions] == ["CLC006: delete “do not hesitate to”"]
    assert actions[0]["kind"] == "quickfix" and actions[0]["isPreferred"]
    assert actions[0]["diagnostics"][0]["code"] == "CLC006"
    fixed = apply_edits(DRAFT, actions[0]["edit"]["changes"][uri])
    assert fixed == DRAFT.replace("do not hesitate to ", "")
    # the edited buffer is linted again: the finding is gone
    assert "CLC006" not in by_code(lsp.change(uri, 2, [{"text": fixed}]))


def test_fix_all_applies_every_safe_fix_and_no_other(lsp):
    uri = URI.replace("draft", "fixall")
    found = by_code(lsp.open(uri, DRAFT))
    everywhere = {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}
    actions = lsp.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": everywhere,
                                                      "context": {"diagnostics": list(found.values())}})
    titles = [a["title"] for a in actions]
    assert "CLC004: replace with “when you can”" in titles
    assert not any(t.startswith("APO003") for t in titles)  # its fix needs a human: not offered
    fix_all = next(a for a in actions if a["kind"] == "source.fixAll.empathylint")
    assert apply_edits(DRAFT, fix_all["edit"]["changes"][uri]) == (
        DRAFT.replace("do not hesitate to ", "").replace("at your earliest convenience", "when you can"))
    only_source = lsp.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": everywhere,
                                                          "context": {"diagnostics": [], "only": ["source"]}})
    assert [a["kind"] for a in only_source] == ["source.fixAll.empathylint"]


def test_edits_are_debounced_and_only_the_latest_version_is_published():
    client = LspClient("--no-model")
    try:
        client.initialize(options={"debounceMs": 300})
        uri = URI.replace("draft", "debounce")
        client.open(uri, DRAFT)
        started = time.monotonic()
        for version in (2, 3, 4):
            client.change(uri, version, [{"text": DRAFT + "x" * version}], wait=False)
        seen = []
        while True:
            params = client.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
            seen.append(params["version"])
            if params["version"] == 4:
                break
        assert seen == [4]
        assert time.monotonic() - started >= 0.3
    finally:
        client.close()


def test_a_client_that_counts_in_utf8_gets_byte_columns():
    client = LspClient("--no-model")
    try:
        assert client.initialize(encodings=["utf-8", "utf-16"])["capabilities"]["positionEncoding"] == "utf-8"
        found = by_code(client.open(URI.replace("draft", "utf8"), DRAFT))
        start = DRAFT.index("do not hesitate to")
        assert found["CLC006"]["range"]["start"] == {"line": 0,
                                                     "character": len(DRAFT[:start].encode("utf-8"))}
    finally:
        client.close()


def test_closing_a_buffer_clears_its_diagnostics(lsp):
    uri = URI.replace("draft", "close")
    assert lsp.open(uri, DRAFT)
    lsp.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert lsp.wait_diagnostics(uri) == []


def test_without_no_model_the_tone_models_findings_are_published():
    if not model_available():
        pytest.skip("the classifier weights are not in models/ yet")
    client = LspClient()
    try:
        client.initialize()
        text = "Hi 👋 Jo,\nHonestly, this is the dumbest question I have had all week."
        found = by_code(client.open(URI.replace("draft", "model"), text))
        assert text_at(text, found["TON001"]["range"]) == text.split("\n")[1]
        again = by_code(client.open(URI.replace("draft", "model-2"), text + " Thanks."))
        assert "TON001" in again
    finally:
        client.close()


def test_incremental_edits_count_lines_as_lsp_does():
    """A form feed or U+2028 (pasted from a word processor) ends no line for LSP, though str.splitlines
    breaks there: edits after one must land where the client put them."""
    client = LspClient("--no-model")
    try:
        client.initialize()
        uri = URI.replace("draft", "separators")
        text = "Hi Jo,\u2028thanks\x0c for writing.\nPlease send the receipt soon 😀 thanks.\n"
        assert client.open(uri, text) == []
        where = {"start": {"line": 1, "character": 24}, "end": {"line": 1, "character": 28}}
        assert text_at(text, where) == "soon"
        changed = client.change(uri, 2, [{"range": where, "text": "at your earliest convenience"}])
        text = text.replace("soon", "at your earliest convenience")
        assert [text_at(text, d["range"]) for d in changed] == ["at your earliest convenience"]
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": changed[0]["range"]["start"]})
        assert "CLC004" in hover["contents"]["value"]
    finally:
        client.close()
