"""The report as flat tables for BI tools: one CSV per table (and one Parquet file each when pyarrow is
installed): periods, topics, rules, findings, agents, macros, scripts. Every table has the same columns, of
the same types, in every report (an empty table too), so a dashboard built on one report reads the next."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any


_TEXT, _INT, _REAL, _BOOL = "string", "int64", "float64", "bool"
_TIMES = [(f"{name}_{q}_s", _REAL) for name in ("first_response", "reply") for q in ("median", "p90")]
#: Each table's columns and their types (Arrow's names).
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "periods": [("period", _TEXT), ("conversations", _INT), ("complaints", _INT), ("agent_messages", _INT),
                ("warnings", _INT), *_TIMES, ("promises_made", _INT), ("promises_kept", _INT),
                ("promises_broken", _INT)],
    "topics": [("topic", _TEXT), ("label", _TEXT), ("complaints", _INT), ("period", _TEXT), ("in_period", _INT)],
    "rules": [("code", _TEXT), ("name", _TEXT), ("family", _TEXT), ("warnings", _INT)],
    "findings": [("code", _TEXT), ("name", _TEXT), ("severity", _TEXT), ("count", _INT)],
    "agents": [("agent", _TEXT), ("messages", _INT), ("warnings", _INT), ("warnings_per_message", _REAL),
               ("top_rules", _TEXT)],
    "macros": [("macro", _TEXT), ("uses", _INT), ("warnings", _INT), ("warnings_per_use", _REAL),
               ("top_rules", _TEXT)],
    "scripts": [("id", _TEXT), ("count", _INT), ("topics", _TEXT), ("scripted", _BOOL), ("example", _TEXT)],
}


def tables(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows."""
    d = document
    return {
        "periods": [{"period": p["period"], "conversations": p["conversations"], "complaints": p["complaints"],
                     "agent_messages": p["agent_messages"], "warnings": p["warnings"],
                     "first_response_median_s": p["first_response"]["median_s"],
                     "first_response_p90_s": p["first_response"]["p90_s"], "reply_median_s": p["reply"]["median_s"],
                     "reply_p90_s": p["reply"]["p90_s"], "promises_made": p["promises"]["made"],
                     "promises_kept": p["promises"]["kept"], "promises_broken": p["promises"]["broken"]}
                    for p in d["periods"]],
        "topics": [{"topic": t["id"], "label": t["label"], "complaints": t["count"], "period": period, "in_period": n}
                   for t in d["topics"] for period, n in t["periods"].items()],
        "rules": [{"code": r["code"], "name": r["name"], "family": r["family"], "warnings": r["count"]}
                  for r in d["warnings"]["rules"]],
        "findings": [{"code": f["code"], "name": f["name"], "severity": f["severity"], "count": f["count"]}
                     for f in d["findings"]],
        "agents": [{k: (", ".join(v) if isinstance(v, list) else v) for k, v in a.items() if k != "ref"}
                   for a in d["agents"]],
        "macros": [{k: (", ".join(v) if isinstance(v, list) else v) for k, v in m.items() if k != "ref"}
                   for m in d["macros"]],
        "scripts": [{"id": s["id"], "count": s["count"], "topics": ", ".join(s["topics"]), "scripted": s["scripted"],
                     "example": s["examples"][0]["quote"] if s["examples"] else ""} for s in d["scripts"]],
    }


def write_tables(document: dict[str, Any], folder: Path) -> list[Path]:
    """Write ``<table>.csv`` (and ``<table>.parquet`` with pyarrow) into ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        pa = pq = None
    for name, rows in tables(document).items():
        columns = [column for column, _ in COLUMNS[name]]
        rows = [{column: row.get(column) for column in columns} for row in rows]
        path = folder / f"{name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
        if pa is not None:
            schema = pa.schema([(column, pa.type_for_alias(kind)) for column, kind in COLUMNS[name]])
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / f"{name}.parquet")
            written.append(folder / f"{name}.parquet")
    return written
