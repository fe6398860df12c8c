"""Fixtures of the engine tests: the report tests' invented exports, a report run over them with the
rules-only linter, and (for the Ray tests) one local Ray per module, two CPUs, no dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from empathylint.report.batch import ReportSettings
from empathylint.report.cli import run_report

DATA = Path(__file__).parents[1] / "report" / "data"
FILES = ["threads.jsonl", "zendesk.json", "tweets.csv", "bad.jsonl"]


def report_into(paths, out: Path, linter, raw_paths: bool = False, **kw) -> dict:
    """Run the report over ``paths`` (names in the report tests' ``data/``; with ``raw_paths`` as they are)
    into ``out``; the JSON document."""
    run_report(paths if raw_paths else [str(DATA / p) for p in paths], out, ReportSettings(), use_model=False, linter=linter,
               progress=False, **kw)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def outputs(out: Path) -> dict[str, bytes]:
    """What a report run wrote that must not depend on the engine: the report, the details, the shards."""
    names = ["report.json", "conversations.jsonl"] + sorted(
        str(p.relative_to(out)) for p in (out / "messages").glob("part-*.jsonl"))
    return {name: (out / name).read_bytes() for name in names}


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray for the module's tests (started once: it takes seconds)."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="warning")
    yield ray
    ray.shutdown()
