"""``--format json`` keeps its versioned schema and carries every field of a diagnostic."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

OUTPUT_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "empathylint" / "schemas" / "output-v2.json").read_text(encoding="utf-8"))


def test_sample_validates_against_the_output_schema(render):
    jsonschema.validate(json.loads(render("json")), OUTPUT_SCHEMA)


def test_results_carry_diagnostics_errors_and_a_summary(render, stream):
    document = json.loads(render("json"))
    results = document["results"]
    assert [r["path"] for r in results] == [
        "replies/refund.txt", "macros/export.json", "replies/quoted.eml", "replies/huge.txt"]
    assert results[0]["diagnostics"] == [d.to_dict() for d in stream[0].diagnostics]
    fix = results[0]["diagnostics"][1]["fix"]
    assert stream[0].source.file.text[fix["start"]:fix["end"]] == "Sorry if you feel"
    assert fix["replacement"] == "I'm sorry that"
    assert results[1]["record"] == "360001" and results[1]["title"] == "Refund, delayed"
    assert results[3]["error"]["message"].startswith("the reply is longer")
    assert document["errors"] == [{"path": "replies/unreadable.eml", "line": 3,
                                   "message": stream[3].problem}]
    assert document["summary"] == {"files": 4, "replies": 4, "diagnostics": 4,
                                   "by_severity": {"error": 1, "warning": 2, "info": 1}, "errors": 2}
