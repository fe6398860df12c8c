"""Inputs at scale, for every engine: a folder of shards is its JSONL, CSV and Parquet files (sorted by
name, so a run reads them in the same order every time); a Parquet shard is read a row group at a time,
each row a message; a URI (``s3://bucket/export/``, ``gs://…``) is read through pyarrow's file systems,
the ones Ray Data reads through. Everything else goes to `conversations.exports.read_export` as it is."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import InputError

SHARD_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".json")
_BLOCK = 1 << 20


def is_uri(path: str) -> bool:
    return "://" in path and not os.path.exists(path)


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Each path, with a folder (local or a URI) replaced by the shards in it, sorted. `InputError` for a
    path that does not exist or a folder without shards."""
    out: list[str] = []
    for path in paths:
        if is_uri(path):
            out.extend(_uri_shards(path))
            continue
        if os.path.isdir(path):
            shards = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and _is_shard(p.name))
            if not shards:
                raise InputError(path, f"a folder without shards ({', '.join(SHARD_SUFFIXES)})")
            out.extend(shards)
        elif os.path.exists(path):
            out.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return out


def read_conversations(path: str, layout: str | None, fields: Any, open_limit: int) -> Iterator[Any]:
    """The conversations (and `BadRecord` s) of one input: a local file, a Parquet shard or a URI."""
    from ..conversations.csv_reader import read_csv_messages
    from ..conversations.exports import read_export, stream_conversations
    from ..conversations.jsonl import read_jsonl_messages

    parquet = path.lower().endswith(".parquet")
    if not parquet and not is_uri(path):
        yield from read_export(path, layout, fields, open_limit)
        return
    if parquet:
        messages = read_jsonl_messages(path, _parquet_lines(path), fields)
    elif (layout or ("csv" if path.lower().endswith((".csv", ".tsv")) else "jsonl")) == "csv":
        messages = read_csv_messages(path, _uri_lines(path), fields)
    else:
        messages = read_jsonl_messages(path, _uri_lines(path), fields)
    yield from stream_conversations(messages, open_limit)


def input_stamp(path: str) -> tuple[str, int, int]:
    """What names an input's version for a checkpoint: its path, size and modification time."""
    if is_uri(path):
        info = _file_info(path)
        mtime = info.mtime_ns if info.mtime_ns is not None else 0
        return path, info.size or 0, mtime
    stat = os.stat(path)
    return path, stat.st_size, stat.st_mtime_ns


def _is_shard(name: str) -> bool:
    return name.lower().endswith(SHARD_SUFFIXES) and not name.startswith((".", "_"))


def _parquet_lines(path: str) -> Iterator[bytes]:
    """A Parquet file's rows as JSON lines (one row group in memory at a time)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(path, 'reading Parquet needs pyarrow: pip install "empathylint[parquet]"') from None
    source: Any = path
    if is_uri(path):
        from pyarrow import fs

        filesystem, inner = fs.FileSystem.from_uri(path)
        source = filesystem.open_input_file(inner)
    try:
        table = pq.ParquetFile(source)
    except Exception as exc:  # noqa: BLE001  (pyarrow raises several kinds for a file that is not Parquet)
        raise InputError(path, f"not a Parquet file: {exc}") from None
    for batch in table.iter_batches():
        for row in batch.to_pylist():
            yield (json.dumps(row, ensure_ascii=False, default=_plain) + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _uri_lines(uri: str) -> Iterator[bytes]:
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(uri)
    with filesystem.open_input_stream(inner) as stream:
        rest = b""
        while block := stream.read(_BLOCK):
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield line + b"\n"
        if rest:
            yield rest


def _file_info(uri: str) -> Any:
    from pyarrow import fs

    filesystem, inner = fs.FileSystem.from_uri(uri)
    return filesystem.get_file_info(inner)


def _uri_shards(uri: str) -> list[str]:
    try:
        from pyarrow import fs
    except ImportError:
        raise InputError(uri, 'reading a URI needs pyarrow: pip install "empathylint[parquet]"') from None
    try:
        filesystem, inner = fs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(inner)
    except Exception as exc:  # noqa: BLE001  (unknown scheme, no credentials, no network)
        raise InputError(uri, f"cannot be read: {exc}") from None
    if info.type == fs.FileType.NotFound:
        raise InputError(uri, "no such object or folder")
    if info.type != fs.FileType.Directory:
        return [uri]
    scheme = uri.split("://", 1)[0]
    found = filesystem.get_file_info(fs.FileSelector(inner, recursive=True))
    shards = sorted(f"{scheme}://{f.path}" for f in found if f.type == fs.FileType.File and _is_shard(f.base_name))
    if not shards:
        raise InputError(uri, f"a folder without shards ({', '.join(SHARD_SUFFIXES)})")
    return shards
