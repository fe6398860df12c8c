"""Inputs and outputs at scale, whatever the engine: folders of JSONL/CSV/Parquet shards, URIs, the
per-message shards; and a clear word when Ray is asked for but not installed. (No Ray needed here.)"""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from empathylint.cli import main
from empathylint.engines.sources import expand_inputs
from empathylint.errors import ConfigError, InputError

from .conftest import DATA, report_into


def _split_threads(folder, parquet: bool) -> None:
    """threads.jsonl as two shards: its first conversations as JSONL, the others as Parquet (or JSONL)."""
    lines = (DATA / "threads.jsonl").read_text(encoding="utf-8").splitlines()
    first = [line for line in lines if json.loads(line)["conversation_id"] in ("t1", "t2")]
    rest = [line for line in lines if line not in first]
    folder.mkdir()
    (folder / "part-0.jsonl").write_text("\n".join(first) + "\n", encoding="utf-8")
    if parquet:
        pa = pytest.importorskip("pyarrow")
        import pyarrow.parquet as pq

        rows = [json.loads(line) for line in rest]
        names = list(dict.fromkeys(name for row in rows for name in row))  # from_pylist keeps the first row's
        pq.write_table(pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows]),
                       folder / "part-1.parquet")
    else:
        (folder / "part-1.jsonl").write_text("\n".join(rest) + "\n", encoding="utf-8")


@pytest.mark.parametrize("parquet", [False, True], ids=["jsonl", "parquet"])
def test_a_folder_of_shards_reports_as_the_whole_file(rules_linter, tmp_path, parquet):
    _split_threads(tmp_path / "shards", parquet)
    whole = report_into(["threads.jsonl"], tmp_path / "whole", rules_linter)
    sharded = report_into([str(tmp_path / "shards")], tmp_path / "sharded", rules_linter)
    assert sharded["inputs"] == ["part-0.jsonl", "part-1.parquet" if parquet else "part-1.jsonl"]
    for key in ("totals", "findings", "promises", "warnings"):
        assert sharded[key] == whole[key], key


def test_a_file_uri_reads_as_the_path(rules_linter, tmp_path):
    pytest.importorskip("pyarrow")
    uri = (DATA / "threads.jsonl").as_uri()
    assert expand_inputs([uri]) == [uri]
    whole = report_into(["threads.jsonl"], tmp_path / "path", rules_linter)
    through = report_into([uri], tmp_path / "uri", rules_linter, raw_paths=True)
    assert through["totals"] == whole["totals"] and through["findings"] == whole["findings"]


def test_a_missing_input_or_an_empty_folder_is_an_error_naming_it(tmp_path):
    with pytest.raises(InputError, match="nowhere.jsonl: no such file or folder"):
        expand_inputs([str(tmp_path / "nowhere.jsonl")])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a shard")
    with pytest.raises(InputError, match="empty: a folder without shards"):
        expand_inputs([str(tmp_path / "empty")])
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nowhere.jsonl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "nowhere.jsonl: no such file or folder" in result.output


def test_a_broken_parquet_shard_is_a_notice_and_the_others_are_counted(rules_linter, tmp_path):
    pytest.importorskip("pyarrow")
    _split_threads(tmp_path / "shards", parquet=False)
    (tmp_path / "shards" / "part-2.parquet").write_bytes(b"PAR1 this is not parquet")
    whole = report_into(["threads.jsonl"], tmp_path / "whole", rules_linter)
    document = report_into([str(tmp_path / "shards")], tmp_path / "out", rules_linter)
    assert document["totals"]["conversations"] == whole["totals"]["conversations"]
    notices = json.dumps(document["notices"])
    assert "part-2.parquet" in notices and "not a Parquet file" in notices


def test_the_message_shards_hold_every_agent_message_with_its_diagnostics(rules_linter, tmp_path):
    document = report_into(["threads.jsonl"], tmp_path, rules_linter)
    rows = [json.loads(line) for line in (tmp_path / "messages" / "part-00000.jsonl").read_text().splitlines()]
    assert len(rows) == document["totals"]["agent_messages"]
    assert {r["record"] for r in rows} == {
        m["record"] for line in (tmp_path / "conversations.jsonl").read_text().splitlines()
        for m in json.loads(line)["messages"] if m["role"] == "agent"}
    codes = sorted(d["code"] for r in rows for d in r["diagnostics"])
    counted = document["warnings"]["rules"] + document["warnings"]["hints"]
    assert codes and codes == sorted(rule["code"] for rule in counted for _ in range(rule["count"]))
    pq = pytest.importorskip("pyarrow.parquet")
    assert pq.read_table(tmp_path / "messages" / "part-00000.parquet").to_pylist() == rows


def test_the_ray_engine_without_ray_says_how_to_install_it(monkeypatch, tmp_path):
    from empathylint.engines.ray import import_ray

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    with pytest.raises(ConfigError, match=r'pip install "empathylint\[ray\]"'):
        import_ray()
    for command in (["report", str(DATA / "threads.jsonl"), "-o", str(tmp_path)],
                    ["check", "--no-model", str(DATA.parents[2] / "examples" / "replies" / "router-reset.txt")]):
        result = CliRunner().invoke(main, [*command, "--engine", "ray"])
        assert result.exit_code == 2, result.output
        assert 'empathylint: error: the Ray engine needs Ray: pip install "empathylint[ray]"' in result.output


def test_a_cluster_that_is_not_there_is_an_error_naming_its_address(tmp_path):
    pytest.importorskip("ray")
    result = CliRunner().invoke(main, ["report", str(DATA / "threads.jsonl"), "-o", str(tmp_path), "--no-model",
                                       "--engine", "ray", "--ray-address", "127.0.0.1:1"])
    assert result.exit_code == 2, result.output
    assert "empathylint: error: cannot join the Ray cluster at 127.0.0.1:1" in result.output
