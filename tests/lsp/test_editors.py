"""The VS Code client in editors/vscode asks for the documents the server reads, and is valid JavaScript."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from empathylint.lsp.documents import LANGUAGE_FORMATS
from empathylint.readers import known_extensions

from .conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"


def test_every_language_the_client_sends_has_a_reader():
    script = (VSCODE / "extension.js").read_text(encoding="utf-8")
    languages = json.loads(re.search(r"const LANGUAGES = (\[.*?\]);", script).group(1))
    activation = [e.split(":", 1)[1] for e in json.loads((VSCODE / "package.json").read_text())["activationEvents"]
                  if e.startswith("onLanguage:")]
    assert sorted(activation) == sorted(languages)
    assert set(languages) <= set(LANGUAGE_FORMATS)


def test_every_file_pattern_the_client_sends_is_a_format_check_reads():
    script = (VSCODE / "extension.js").read_text(encoding="utf-8")
    extensions = re.search(r'const FILES = "\*\*/\*\.\{(.*?)\}";', script).group(1).split(",")
    assert {f".{e}" for e in extensions} <= known_extensions()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_extension_is_valid_javascript():
    subprocess.run(["node", "--check", str(VSCODE / "extension.js")], check=True)
