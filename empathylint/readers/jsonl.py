"""JSON Lines (``.jsonl``, ``.ndjson``): one record per line, read as a stream, so memory stays constant
however large the file. Each record's `SourceFile` holds only its own line (``line_base`` says which).

The fields are those of the first record with a reply field, as the JSON reader chooses them from all its
records: the lines before it wait for it (in file order; at most `MAX_WAITING` of them, so that a file whose
records name the field differently fails at once rather than after buffering the whole file), and a record
without the field is a notice."""

from __future__ import annotations

from typing import BinaryIO, Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .jsonscan import JsonError, parse_json
from .records import (TEXT_FIELDS, Fields, Mapping, Node, choose_fields, is_text, no_reply_field, record_source,
                      skipped)

#: How many records may precede the first with a reply field before the file is an error.
MAX_WAITING = 100
#: A line read: a `Source` already (a line that is not UTF-8 or not JSON), or its file, number and tree.
Line = Source | tuple[SourceFile, str, Node]


@register_reader("jsonl", (".jsonl", ".ndjson"), streaming=True,
                 description="JSON Lines: one reply record per line, streamed")
def read_jsonl(path: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Source]:
    fields: Fields | None = None
    default = choose_fields([TEXT_FIELDS[0]], options) or Fields(TEXT_FIELDS[0])  # before a record has a field
    bare = False  # whether some line is a bare reply string
    waiting: list[Line] = []  # the lines from the first record, while no record has a reply field
    for line in _lines(path, stream):
        node = line[2] if isinstance(line, tuple) else None
        bare = bare or is_text(node)
        if fields is None and isinstance(node, Mapping):
            fields = choose_fields(node.items, options)
        if fields is None and (waiting or isinstance(node, Mapping)):
            waiting.append(line)
            if len(waiting) < MAX_WAITING:
                continue
            if not bare:
                break
            fields = default  # bare replies; the records without a reply field are notices
            line = waiting.pop()
        yield from _sources([*waiting, line], fields or default)
        waiting.clear()
    if waiting and not bare:
        records = [line for line in waiting if isinstance(line, tuple) and isinstance(line[2], Mapping)]
        raise no_reply_field(path, {name for _, _, record in records for name in record.items},
                             records[0][0].line_base + 1)
    yield from _sources(waiting, default)


def _sources(lines: list[Line], fields: Fields) -> Iterator[Source]:
    for line in lines:
        yield line if isinstance(line, Source) else record_source(*line, fields)


def _lines(path: str, stream: BinaryIO) -> Iterator[Line]:
    """Each line that is not blank, numbered from 1."""
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
        yield file, str(number), root
