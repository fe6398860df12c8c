"""JSON Lines (``.jsonl``, ``.ndjson``): one record per line, read as a stream, so memory stays constant
however large the file. Each record's `SourceFile` holds only its own line (``line_base`` says which)."""

from __future__ import annotations

from typing import BinaryIO, Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .jsonscan import JsonError, parse_json
from .records import Mapping, choose_fields, no_reply_field, record_source, skipped


@register_reader("jsonl", (".jsonl", ".ndjson"), streaming=True,
                 description="JSON Lines: one reply record per line, streamed")
def read_jsonl(path: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Source]:
    fields = None
    number = 0
    for index, raw in enumerate(stream):
        line = raw.rstrip(b"\r\n")
        if index == 0 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        number += 1
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            file = SourceFile(path, line.decode("utf-8", "replace"), line_base=index)
            at = len(line[:exc.start].decode("utf-8", "replace"))
            yield skipped(file, at, str(number), None, f"not valid UTF-8 (byte 0x{line[exc.start]:02x})")
            continue
        file = SourceFile(path, text, line_base=index)
        try:
            root = parse_json(text)
        except JsonError as exc:
            yield skipped(file, exc.index, str(number), None, f"not valid JSON: {exc.problem}")
            continue
        if fields is None and isinstance(root, Mapping):
            fields = choose_fields(root.items, options)
            if fields is None:
                raise no_reply_field(path, root.items, index + 1)
        yield record_source(file, str(number), root, fields or choose_fields(["text"], options))
