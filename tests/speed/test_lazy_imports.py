"""Start-up stays fast because heavy libraries are imported only when needed: ``empathylint rules``
imports neither spaCy nor torch, and ``check --no-model`` does not import torch."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from click.testing import CliRunner
from empathylint.cli import main
result = CliRunner().invoke(main, {args!r})
assert result.exit_code in (0, 1), result.output
print(",".join(m for m in ("spacy", "torch", "transformers") if m in sys.modules))
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
