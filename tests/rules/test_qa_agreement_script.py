"""scripts/qa_agreement.py and the second judge's verdicts: the agreement figures add up, and the second
verdicts are well formed, name only dev pairs of the first set, and never the held-out split."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"


@pytest.fixture(scope="module")
def script():
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("qa_agreement", SCRIPTS / "qa_agreement.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.path.remove(str(SCRIPTS))


def test_confusion_counts_the_other_against_the_reference(script):
    reference = [True, True, False, False, True]
    other = [True, False, True, False, True]
    assert script.confusion(reference, other) == (2, 1, 1, 1)


def test_kappa_is_one_for_identical_judges_and_zero_at_chance(script):
    assert script.kappa(10, 0, 0, 30) == pytest.approx(1.0)
    # both judges warn on half the pairs, independently: agreement 0.5 is what chance gives
    assert script.kappa(25, 25, 25, 25) == pytest.approx(0.0)
    assert script.kappa(43, 6, 4, 147) == pytest.approx(0.863, abs=0.001)


def test_behaviours_ignore_hints_and_no_warn_verdicts(script):
    assert script.behaviours({"warn": True, "behaviours": ["curt", "hint:cliche"]}) == {"curt"}
    assert script.behaviours({"warn": False, "behaviours": ["hint:missing-apology"]}) == set()


def test_second_verdicts_are_dev_pairs_of_the_first_set():
    first = {v["id"]: v for v in map(json.loads, (ROOT / "benchmarks/qa/verdicts.jsonl").read_text().splitlines())}
    second = [json.loads(line) for line in (ROOT / "benchmarks/qa/verdicts-second.jsonl").read_text().splitlines()]
    assert len(second) == len({v["id"] for v in second}) == 200
    for verdict in second:
        assert set(verdict) == {"id", "split", "warn", "behaviours", "why"}
        assert verdict["id"] in first and first[verdict["id"]]["split"] == verdict["split"] == "dev"
        assert isinstance(verdict["warn"], bool) and verdict["why"].strip()
        if not verdict["warn"]:
            assert all(b.startswith("hint:") for b in verdict["behaviours"])
