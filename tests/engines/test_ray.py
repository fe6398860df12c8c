"""`--engine ray` gives what `--engine local` gives, and so does a run whose actor is killed mid-run or
whose driver stops and is resumed: no conversation lost, none counted twice. One local Ray for the module."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from empathylint.cli import main
from empathylint.linter import Linter
from empathylint.source import Source

from .conftest import DATA, FILES, outputs, report_into

pytest.importorskip("ray")

from empathylint.engines.ray import BATCHES_DIR, Fault, RayEngine, RayFindingsPool  # noqa: E402

EXAMPLES = DATA.parents[2] / "examples" / "replies"


@pytest.fixture(scope="module")
def local_report(rules_linter, tmp_path_factory):
    """The local engine's outputs over the report tests' exports, in batches of two."""
    out = tmp_path_factory.mktemp("local")
    report_into(FILES, out, rules_linter, batch_size=2)
    return outputs(out)


def test_the_ray_engine_writes_the_local_engines_report(local_ray, rules_linter, local_report, tmp_path):
    report_into(FILES, tmp_path, rules_linter, batch_size=2, engine=RayEngine(workers=2))
    assert outputs(tmp_path) == local_report
    names = sorted(p.name for p in (tmp_path / BATCHES_DIR).glob("*.json"))
    assert len(names) > 2 and names == [f"{i:06d}.json" for i in range(len(names))]  # one per batch id


def test_a_killed_actor_changes_nothing(local_ray, rules_linter, local_report, tmp_path):
    marker = tmp_path / "kill-me"
    marker.touch()
    engine = RayEngine(workers=2, window=4, fault=Fault(str(marker), after=1))  # and batches in windows of 4
    report_into(FILES, tmp_path / "out", rules_linter, batch_size=2, engine=engine)
    assert not marker.exists()  # an actor took it, and killed its own process (SIGKILL) mid-batch
    assert outputs(tmp_path / "out") == local_report


def test_a_resumed_driver_computes_only_the_missing_batches(local_ray, rules_linter, local_report, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        report_into(FILES, tmp_path, rules_linter, batch_size=2, engine=RayEngine(workers=2), stop_after=2)
    assert not (tmp_path / "report.json").exists()
    committed = {p.name: p.stat().st_mtime_ns for p in (tmp_path / BATCHES_DIR).glob("*.json")}
    assert len(committed) >= 2
    report_into(FILES, tmp_path, rules_linter, batch_size=2, engine=RayEngine(workers=2), resume=True)
    assert {name: (tmp_path / BATCHES_DIR / name).stat().st_mtime_ns for name in committed} == committed
    assert len(list((tmp_path / BATCHES_DIR).glob("*.json"))) > len(committed)  # the rest, computed now
    assert outputs(tmp_path) == local_report


def test_a_run_not_resumed_starts_over(local_ray, rules_linter, local_report, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        report_into(FILES, tmp_path, rules_linter, batch_size=2, engine=RayEngine(workers=2), stop_after=2)
    stale = min((tmp_path / BATCHES_DIR).glob("[0-9]*.json"))  # the batches commit in any order
    committed = json.loads(stale.read_text())
    assert committed["details"]
    stale.write_text(json.dumps(dict(committed, details=[])))  # a batch of another run, say
    report_into(FILES, tmp_path, rules_linter, batch_size=2, engine=RayEngine(workers=2))
    assert outputs(tmp_path) == local_report


def _sources() -> list[Source]:
    texts = [line for path in sorted(EXAMPLES.glob("*.txt")) for line in path.read_text().split("\n\n")] * 8
    sources = []
    for i, text in enumerate(texts):
        source = Source.from_text(text, f"reply-{i}.txt")
        source.record = str(i)
        sources.append(source)
    return sources


def _plain(results) -> list[tuple]:
    return [(r.source.record, [(d.code, d.start, d.end, d.message) for d in r.diagnostics]) for r in results]


def test_check_on_ray_actors_finds_what_the_linter_finds_even_when_one_dies(local_ray, rules_linter, tmp_path):
    marker = tmp_path / "kill-me"
    marker.touch()
    linter = Linter(rules_linter.config, cache=False)  # every text goes to the actors
    expected = _plain(linter.lint_sources(_sources(), batch_size=4))
    assert sum(len(found) for _, found in expected) > 5
    pool = RayFindingsPool(linter.config, 2, fault=Fault(str(marker), after=1))
    assert _plain(linter.lint_sources(_sources(), batch_size=4, pool=pool)) == expected
    assert not marker.exists()


def test_check_engine_ray_prints_what_the_local_engine_prints(local_ray, tmp_path):
    runs = {}
    for engine in ("local", "ray"):
        result = CliRunner().invoke(main, ["check", "--no-model", "--no-cache", "--format", "json", "--engine",
                                           engine, "-j", "2", str(EXAMPLES)])
        assert result.exit_code == 1, result.output  # problems found
        runs[engine] = json.loads(result.output)
    assert runs["ray"] == runs["local"] and runs["local"]["results"]


def test_report_joins_a_running_cluster_by_its_address(local_ray, rules_linter, local_report, tmp_path):
    import subprocess
    import sys

    address = local_ray.get_runtime_context().gcs_address  # what `ray start --head` prints, here the module's Ray
    command = [sys.executable, "-m", "empathylint", "report", *(str(DATA / f) for f in FILES), "-o", str(tmp_path),
               "--no-model", "--no-progress", "--batch-size", "2", "--engine", "ray", "--ray-address", address, "-j", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert outputs(tmp_path) == local_report
