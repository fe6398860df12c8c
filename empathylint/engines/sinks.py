"""Outputs a warehouse loads, for every engine: each agent message of a report with its diagnostics, as
JSON Lines shards (``messages/part-00000.jsonl``, ``SHARD_MESSAGES`` messages each) and, with pyarrow,
the same rows as Parquet beside them. Written from the run's ``conversations.jsonl``, which both engines
write the same, so the shards are the same whichever engine ran."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Iterator

SHARD_MESSAGES = 10_000


def message_rows(details_path: Path) -> Iterator[dict[str, Any]]:
    """One row per agent message: where it is (conversation, record, message id), who and when, and its
    diagnostics (code, name, category, severity, message, text)."""
    with open(details_path, encoding="utf-8") as lines:
        for line in lines:
            conversation = json.loads(line)
            for message in conversation["messages"]:
                if message["role"] != "agent":
                    continue
                yield {"conversation": conversation["id"], "record": message["record"], "message_id": message["id"],
                       "author": message["author"], "time": message["time"], "period": conversation["period"],
                       "macro": message["macro"], "diagnostics": message["diagnostics"]}


def write_message_shards(details_path: Path, folder: Path, per_shard: int = SHARD_MESSAGES) -> list[Path]:
    """Write the shards (replacing the folder's earlier ones); the paths written."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written: list[Path] = []
    shard: list[dict[str, Any]] = []

    def flush() -> None:
        path = folder / f"part-{sum(p.suffix == '.jsonl' for p in written):05d}.jsonl"
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            for row in shard:
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
        os.replace(temporary, path)
        written.append(path)
        parquet = _write_parquet(shard, path.with_suffix(".parquet"))
        if parquet is not None:
            written.append(parquet)
        shard.clear()

    for row in message_rows(details_path):
        shard.append(row)
        if len(shard) >= per_shard:
            flush()
    if shard or not written:
        flush()
    return written


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> Path | None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return None
    diagnostic = pa.struct([(name, pa.string()) for name in ("code", "name", "category", "severity", "message",
                                                               "text")])
    schema = pa.schema([(name, pa.string()) for name in ("conversation", "record", "message_id", "author", "time",
                                                          "period", "macro")] + [("diagnostics", pa.list_(diagnostic))])
    temporary = path.with_name(path.name + ".tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
    os.replace(temporary, path)
    return path
