"""Start-up stays fast because heavy libraries are imported only when needed: ``empathylint rules``
imports neither spaCy nor torch, ``check --no-model`` does not import torch, and ``check`` does not import
spaCy's command line (which stays usable)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from click.testing import CliRunner
from empathylint.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code in (0, 1), result.output
print(",".join(m for m in ("spacy", "torch", "transformers", "spacy.cli", "typer") if m in sys.modules))
"""


def loaded_after(*args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True,
                         text=True, check=True).stdout.strip()
    return set(filter(None, out.split(",")))


def test_rules_command_imports_neither_spacy_nor_torch():
    assert loaded_after("rules") == set()
    assert loaded_after("rules", "CND001") == set()


def test_check_without_the_model_does_not_import_torch(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Like I said, the refund is on its way.\n", encoding="utf-8")
    assert loaded_after("check", "--no-model", "--no-cache", str(reply)) == {"spacy"}


def test_check_with_the_model_does_not_import_spacys_command_line(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Like I said, the refund is on its way.\n", encoding="utf-8")
    assert loaded_after("check", "--no-cache", str(reply)) == {"spacy", "torch"}


CLI_AFTERWARDS = """
import sys
from empathylint.nlp.spacy_import import import_spacy
import_spacy(without_torch=True)
import spacy
assert "spacy.cli" not in sys.modules and "torch" not in sys.modules
assert spacy.info()["spacy_version"] == spacy.__version__   # imports spacy.cli.info when called
assert callable(spacy.cli.download)                         # attribute access imports the real package
import spacy.cli.train
assert sys.modules["spacy.cli"] is spacy.cli and hasattr(spacy.cli, "setup_cli")
print("ok")
"""


def test_spacys_command_line_still_imports_on_first_use():
    out = subprocess.run([sys.executable, "-c", CLI_AFTERWARDS], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
