"""Fixtures of the report tests: the invented exports in ``data/`` and a report run over them with the
rules-only linter (no encoder: topics by the kind of problem), once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from empathylint.report.batch import ReportSettings
from empathylint.report.cli import run_report

DATA = Path(__file__).parent / "data"


def report_of(paths, out: Path, linter, settings: ReportSettings = ReportSettings(), **kw) -> dict:
    """Run the report over ``paths`` (names in ``data/``) into ``out``; the JSON document."""
    run_report([str(DATA / p) for p in paths], out, settings, use_model=False, linter=linter, progress=False, **kw)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def details_of(out: Path) -> dict[str, dict]:
    """Each conversation's details from the run's conversations.jsonl."""
    lines = (out / "conversations.jsonl").read_text(encoding="utf-8").splitlines()
    return {c["id"]: c for c in map(json.loads, lines)}


@pytest.fixture(scope="session")
def threads_report(rules_linter, tmp_path_factory):
    """(document, details, folder) of the report over threads.jsonl."""
    out = tmp_path_factory.mktemp("threads")
    return report_of(["threads.jsonl"], out, rules_linter), details_of(out), out
