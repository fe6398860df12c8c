"""The installed package finds its rule packs and schema from any working directory."""

from __future__ import annotations

import json
import subprocess
import sys


def test_rules_and_schema_are_found_outside_the_repository(tmp_path):
    probe = ("import json, empathylint.resources as r, pathlib;"
             "print(json.dumps([str(r.rules_dir()), len(list(r.rules_dir().glob('*.yml')))]))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True)
    folder, packs = json.loads(out.stdout)
    assert packs >= 5, folder


def test_cli_runs_from_any_directory(tmp_path):
    (tmp_path / "reply.txt").write_text("Like I said, it shipped.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "empathylint", "check", "--no-model", "-f", "json", "reply.txt"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["results"][0]["diagnostics"][0]["code"] == "CND002"
