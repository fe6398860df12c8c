"""The workspace's configuration: each buffer linted with the config ``check`` would find for its file
(``.empathylint.toml`` or ``[tool.empathylint]`` in ``pyproject.toml``: select, ignore, severity, exclude),
re-read when a config file changes; one pipeline for every linter of the process."""

from __future__ import annotations

from pathlib import Path

import pytest

from empathylint.config import Config
from empathylint.lsp.linting import WorkspaceLinters

from .conftest import LspClient

DRAFT = "Please do not hesitate to contact us. Send it at your earliest convenience. Just restart it.\n"


def codes(diagnostics: list[dict]) -> dict[str, int]:
    return {d["code"]: d["severity"] for d in diagnostics}


@pytest.fixture
def workspace(tmp_path: Path):
    (tmp_path / ".empathylint.toml").write_text(
        'ignore = ["CLC006"]\nexclude = ["drafts/**"]\n[severity]\nCLC004 = "error"\n', encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "pyproject.toml").write_text('[tool.empathylint]\nselect = ["CND"]\n', encoding="utf-8")
    client = LspClient("--no-model", cwd=tmp_path)
    client.initialize(root=tmp_path)
    yield tmp_path, client
    client.close()


def test_each_buffer_follows_the_nearest_config(workspace):
    root, lsp = workspace
    top = codes(lsp.open((root / "reply.txt").as_uri(), DRAFT))
    assert "CLC006" not in top  # ignored
    assert top["CLC004"] == 1  # severity override: error
    assert top["CND005"] == 2
    assert set(codes(lsp.open((root / "team" / "reply.txt").as_uri(), DRAFT))) == {"CND005"}  # pyproject select
    assert lsp.open((root / "drafts" / "wip.txt").as_uri(), DRAFT) == []  # excluded
    assert "CLC006" not in codes(lsp.open("untitled:Untitled-1", DRAFT))  # the workspace root's config


def test_a_changed_config_is_read_again_and_every_buffer_relinted(workspace):
    root, lsp = workspace
    uri = (root / "reply.txt").as_uri()
    assert "CLC006" not in codes(lsp.open(uri, DRAFT))
    (root / ".empathylint.toml").write_text('select = ["CLC006"]\n', encoding="utf-8")
    lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (root / ".empathylint.toml").as_uri(),
                                                                "type": 2}]})
    assert set(codes(lsp.wait_diagnostics(uri, 1))) == {"CLC006"}


def test_saving_a_config_in_the_editor_relints_too(workspace):
    root, lsp = workspace
    uri = (root / "reply.txt").as_uri()
    assert "CND005" in codes(lsp.open(uri, DRAFT))
    (root / ".empathylint.toml").write_text('ignore = ["CND"]\n', encoding="utf-8")
    lsp.notify("textDocument/didSave", {"textDocument": {"uri": (root / ".empathylint.toml").as_uri()}})
    assert "CND005" not in codes(lsp.wait_diagnostics(uri, 1))


def test_a_broken_config_is_shown_to_the_user(workspace):
    root, lsp = workspace
    (root / ".empathylint.toml").write_text('ignore = ["CLC006"\n', encoding="utf-8")
    lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (root / ".empathylint.toml").as_uri(),
                                                                "type": 2}]})
    assert lsp.open((root / "reply.txt").as_uri(), DRAFT) == []
    message = lsp.wait_notification("window/showMessage")
    assert message["type"] == 1  # Error
    assert ".empathylint.toml" in message["message"] and "invalid TOML" in message["message"]


def test_every_linter_of_the_process_shares_one_pipeline(tmp_path: Path, rules_linter):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".empathylint.toml").write_text('ignore = ["CLC"]\n', encoding="utf-8")
    linters = WorkspaceLinters(adjust=lambda config: config.with_(use_model=False), root=tmp_path)
    first = linters.linter_for(linters.config_for(str(tmp_path / "a" / "x.txt")))
    second = linters.linter_for(linters.config_for(str(tmp_path / "y.txt")))
    assert first is not second and first.config.ignore == ("CLC",)
    assert first.nlp is second.nlp is rules_linter.nlp
    assert linters.linter_for(linters.config_for(str(tmp_path / "a" / "z.md"))) is first
    assert isinstance(second.config, Config)
