"""The report as flat tables for BI tools: one CSV per table (and one Parquet file each when pyarrow is
installed): periods, topics, rules, findings, agents, macros, scripts."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any


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
        path = folder / f"{name}.csv"
        columns = list(rows[0]) if rows else []
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, columns)
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
        if pa is not None and rows:
            pq.write_table(pa.Table.from_pylist(rows), folder / f"{name}.parquet")
            written.append(folder / f"{name}.parquet")
    return written
