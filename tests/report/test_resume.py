"""A run killed halfway and resumed from its checkpoint writes the same report.json, byte for byte."""

from __future__ import annotations

import pytest

from empathylint.report.batch import ReportSettings

from .conftest import DATA, report_of

FILES = ["threads.jsonl", "zendesk.json", "tweets.csv", "bad.jsonl"]


def test_a_killed_run_resumes_to_the_same_bytes(rules_linter, tmp_path):
    whole = tmp_path / "whole"
    report_of(FILES, whole, rules_linter, batch_size=2, checkpoint_every=1)
    resumed = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        report_of(FILES, resumed, rules_linter, batch_size=2, checkpoint_every=1, stop_after=3)
    assert (resumed / "checkpoint.json").exists() and not (resumed / "report.json").exists()
    report_of(FILES, resumed, rules_linter, batch_size=2, checkpoint_every=1, resume=True)
    assert (resumed / "report.json").read_bytes() == (whole / "report.json").read_bytes()
    assert (resumed / "conversations.jsonl").read_bytes() == (whole / "conversations.jsonl").read_bytes()


def test_a_checkpoint_of_other_settings_is_not_resumed_from(rules_linter, tmp_path):
    with pytest.raises(KeyboardInterrupt):
        report_of(FILES, tmp_path, rules_linter, batch_size=2, checkpoint_every=1, stop_after=2)
    document = report_of(FILES, tmp_path, rules_linter, ReportSettings(period="day"), batch_size=2, resume=True)
    assert document["totals"]["conversations"] == 8  # counted from the start, not on top of the checkpoint
    assert DATA.exists()


def test_worker_processes_write_the_same_report(rules_linter, tmp_path):
    report_of(FILES, tmp_path / "one", rules_linter, batch_size=2, jobs=1)
    report_of(FILES, tmp_path / "two", rules_linter, batch_size=2, jobs=2)
    assert (tmp_path / "two" / "report.json").read_bytes() == (tmp_path / "one" / "report.json").read_bytes()
