"""The report's figures equal the ones worked out by hand from the fixture threads' timestamps
(tests/report/data/threads.jsonl):

t1  c1 Mon 09:00 → a1 09:30 (30 min, first)  a1 promises "within 2 hours" (due 11:30); a2 comes 13:00: broken
    c2 12:00 → a2 13:00 (60 min)               a3 promises "by tomorrow" (due Tue 23:59:59); no agent after: broken
    c3 13:10 → a3 14:10 (60 min)
t2  c1 Tue 10:00 → a1 10:20 (20 min, first)  a1 promises "before 5 pm" (due 17:00); a2 comes 16:00: kept
t3  c1 Tue 10 Mar 08:00 → a1 11:00 (180 min, first; over the 1 h target)

First responses 20, 30, 180 min: median (nearest rank 2 of 3) 30 min, p90 (rank 3) 180 min.
All replies 20, 30, 60, 60, 180 min: median (rank 3 of 5) 60 min, p90 (rank 5) 180 min.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from empathylint.conversations.findings import Settings
from empathylint.conversations.waits import BusinessHours
from empathylint.report.batch import ReportSettings

from .conftest import details_of, report_of

SCHEMA = json.loads((Path(__file__).parents[2] / "empathylint" / "schemas" / "report-v1.json").read_text())
MIN = 60


def test_the_document_follows_its_schema(threads_report):
    document, _, _ = threads_report
    jsonschema.validate(document, SCHEMA)
    assert document["version"] == 1 and document["format"] == "empathylint-report"


def test_response_times_equal_the_hand_computed_ones(threads_report):
    times = threads_report[0]["response_times"]
    assert times["first_response"] == {"count": 3, "median_s": 30 * MIN, "p90_s": 180 * MIN, "exact": True}
    assert times["reply"] == {"count": 5, "median_s": 60 * MIN, "p90_s": 180 * MIN, "exact": True}
    weeks = {p["period"]: p for p in threads_report[0]["periods"]}
    assert weeks["2026-W10"]["reply"]["median_s"] == 30 * MIN  # 20, 30, 60, 60: rank 2
    assert weeks["2026-W11"]["first_response"]["median_s"] == 180 * MIN


def test_broken_promises_equal_the_hand_computed_ones(threads_report):
    document, details, _ = threads_report
    assert {k: document["promises"][k] for k in ("made", "kept", "broken")} == {"made": 3, "kept": 1, "broken": 2}
    broken = [f for f in details["t1"]["findings"] if f["code"] == "CNV003"]
    assert [(f["details"]["deadline"], f["details"]["next_agent_message"]) for f in broken] == [
        ("2026-03-02T11:30:00+00:00", "t1/a2"), ("2026-03-03T23:59:59+00:00", None)]
    assert broken[0]["messages"] == ["t1/a1", "t1/a2"]
    assert "1h 30m late" in broken[0]["message"]
    assert not [f for f in details["t2"]["findings"] if f["code"] == "CNV003"]


def test_conversation_findings_point_at_their_messages(threads_report):
    details = threads_report[1]
    found = {(c, f["code"]): f["messages"] for c in details for f in details[c]["findings"]}
    assert found[("t3", "CNV001")] == ["t3/c1", "t3/a1"]
    assert found[("t3", "CNV009")] == ["t3/c2"]
    assert ("t2", "CNV009") not in found  # "Thanks!" needs no answer
    assert found[("t1", "CNV005")] == ["t1/a2", "t1/a3"]  # Sam → Ana → Lee
    chases = [f for f in details["t1"]["findings"] if f["code"] == "CNV004"]
    assert [f["messages"][-1] for f in chases] == ["t1/c2", "t1/c3"]  # "Any update?", "As I said before"


def test_every_agent_message_is_linted_in_its_context(threads_report):
    document, details, _ = threads_report
    assert document["totals"]["linted"] == 6
    agent = {m["record"]: m for c in details.values() for m in c["messages"] if m["role"] == "agent"}
    assert "APO006" in {d["code"] for d in agent["t3/a1"]["diagnostics"]}  # curt reply to a furious customer
    macros = {m["macro"]: m for m in document["macros"]}
    assert macros["restart"]["uses"] == 1 and macros["restart"]["warnings"] >= 1


def test_quotes_are_masked_unless_no_redact(threads_report, rules_linter, tmp_path):
    _, details, _ = threads_report
    first = details["t1"]["messages"][0]["text"]
    assert "jo.smith@example.com" not in first and "[email]" in first and "[phone]" in first
    assert "#[order]" in first
    assert "[card]" in details["t1"]["messages"][6]["text"]
    kept = report_of(["threads.jsonl"], tmp_path, rules_linter, ReportSettings(redact=False))
    assert kept["settings"]["redacted"] is False
    assert "jo.smith@example.com" in details_of(tmp_path)["t1"]["messages"][0]["text"]


def test_business_hours_count_open_hours_only(rules_linter, tmp_path):
    hours = BusinessHours.parse("Mon-Fri 09:00-17:00")
    document = report_of(["threads.jsonl"], tmp_path, rules_linter,
                         ReportSettings(targets=Settings(3600, 4 * 3600, hours)))
    # t3: asked 08:00, before opening; answered 11:00: two business hours
    assert document["periods"][1]["first_response"]["median_s"] == 120 * MIN
    assert document["settings"]["business_hours"].startswith("Mon,Tue,Wed,Thu,Fri 09:00-17:00")


def test_csv_tables_and_terminal_summary(threads_report):
    from empathylint.report.summary import summary_text

    document, _, out = threads_report
    periods = (out / "tables" / "periods.csv").read_text().splitlines()
    assert periods[0].startswith("period,conversations,complaints")
    assert periods[1].startswith("2026-W10,2,")
    text = summary_text(document, [])
    assert "3 conversations, 15 messages" in text and "promises: 3 made, 1 kept, 2 broken" in text


def test_parquet_tables_hold_what_the_csv_tables_hold_with_fixed_types(threads_report):
    pa = pytest.importorskip("pyarrow")
    import csv

    import pyarrow.parquet as pq

    from empathylint.report.tables import COLUMNS

    folder = threads_report[2] / "tables"
    for name, columns in COLUMNS.items():
        table = pq.read_table(folder / f"{name}.parquet")
        assert [(f.name, f.type) for f in table.schema] == [(c, pa.type_for_alias(t)) for c, t in columns]
        with open(folder / f"{name}.csv", encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()]
        assert as_text == rows, name
    periods = pq.read_table(folder / "periods.parquet").to_pylist()
    assert periods[0]["period"] == "2026-W10" and periods[0]["conversations"] == 2


def test_an_empty_table_still_has_its_columns(tmp_path):
    from empathylint.report.tables import COLUMNS, write_tables

    document = {"periods": [], "topics": [], "warnings": {"rules": []}, "findings": [], "agents": [], "macros": [],
                "scripts": []}
    write_tables(document, tmp_path)
    assert (tmp_path / "scripts.csv").read_text().strip() == ",".join(c for c, _ in COLUMNS["scripts"])
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(tmp_path / "scripts.parquet")
    assert table.num_rows == 0 and table.schema.field("count").type == "int64"


def test_the_progress_bar_counts_messages_against_the_export_s_lines():
    import io

    from empathylint.engines.local import Progress

    out = io.StringIO()
    bar = Progress(out, enabled=True, total=200)
    bar.update(5, 50, force=True)
    assert "[#######" in out.getvalue() and " 25% 5 conversations, 50 messages" in out.getvalue()


def test_records_not_read_are_notices_naming_file_and_record(rules_linter, tmp_path):
    document = report_of(["bad.jsonl"], tmp_path, rules_linter)
    assert document["totals"]["bad_records"] == 3 and document["totals"]["conversations"] == 1
    boss = next(n for n in document["notices"] if "boss" in n)
    assert boss.startswith(str(Path(__file__).parent / "data" / "bad.jsonl") + ": record b1/m2, line 2")
    assert "<li>" in (tmp_path / "report.html").read_text() and "unknown role" in (tmp_path / "report.html").read_text()


@pytest.mark.parametrize("name, layout", [("threads.jsonl", None), ("zendesk.json", None),
                                          ("../../conversations/data/twitter.json", None)])
def test_the_progress_bar_s_total_is_about_the_export_s_messages(name, layout):
    from empathylint.conversations.exports import read_export
    from empathylint.conversations.model import Conversation
    from empathylint.report import cli

    path = str(Path(__file__).parent / "data" / name)
    read = [i for i in read_export(path) if isinstance(i, Conversation)]
    messages = sum(len(c.messages) for c in read)
    estimate = cli._lines([path], layout)
    assert messages <= estimate <= messages + 6  # the records not read are counted too


def test_a_marker_cut_by_a_block_s_end_is_counted_once(tmp_path):
    from empathylint.report import cli

    path = tmp_path / "t.json"
    path.write_bytes(b"[" + b" " * (2**20 - 6) + b'"tweet_ID"' * 3 + b"]")
    assert cli._lines([str(path)], "twitter-care") == 3
