"""CSV and TSV collections of canned responses: a header row, then one record per row (see `records`).

Parsed here rather than with the csv module, which does not say where a field is written: every field
knows its offsets, quoted fields map exactly (a doubled quote ``""`` is a copy of one quote), and fields
may span lines. Defaults fit the Bitext layout: ``response`` is the reply, ``instruction`` the customer.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..errors import InputError
from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract, TextBuilder
from .records import Mapping, Scalar, choose_fields, no_reply_field, record_source, skipped


_DOUBLED = re.compile('""')


class _Unclosed(Exception):
    def __init__(self, index: int) -> None:
        self.index = index


def _delimiter(text: str, path: str) -> str:
    if path.lower().endswith(".tsv"):
        return "\t"
    header = text[:text.find("\n")] if "\n" in text else text
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[tuple[int, int, bool]]]]:
    """Each row's start and its fields as (start, end, quoted); quoted fields without their quotes."""
    stop = re.compile(rf"[{re.escape(delimiter)}\r\n]")
    pos, n = 0, len(text)
    while pos < n:
        row_start, fields = pos, []
        while True:
            if pos < n and text[pos] == '"':
                close = pos + 1
                while True:
                    close = text.find('"', close)
                    if close == -1:
                        raise _Unclosed(pos)
                    if text.startswith('""', close):
                        close += 2
                        continue
                    break
                fields.append((pos + 1, close, True))
                end = stop.search(text, close + 1)
                pos = n if end is None else end.start()
            else:
                end = stop.search(text, pos)
                stop_at = n if end is None else end.start()
                fields.append((pos, stop_at, False))
                pos = stop_at
            if pos < n and text[pos] == delimiter:
                pos += 1
                continue
            pos += 2 if text.startswith("\r\n", pos) else 1
            break
        yield row_start, fields


def _field(text: str, start: int, end: int, quoted: bool) -> Scalar:
    if not quoted or '""' not in text[start:end]:
        return Scalar(text[start:end], start, lambda: Extract.verbatim(text, start, end))

    def unquote() -> Extract:
        builder = TextBuilder(Extract.verbatim(text))
        pos = start
        for doubled in _DOUBLED.finditer(text, start, end):
            builder.copy(pos, doubled.start() + 1)
            pos = doubled.end()
        builder.copy(pos, end)
        return builder.build()

    return Scalar(text[start:end].replace('""', '"'), start, unquote)


@register_reader("csv", (".csv", ".tsv"),
                 description="a CSV/TSV collection of replies (a header row; Bitext's layout by default)")
def read_csv(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    text = file.text
    rows = _rows(text, _delimiter(text, file.path))
    try:
        header = next(rows, None)
    except _Unclosed as exc:
        raise InputError(file.path, "the header row has a quoted field that is never closed",
                         file.position(exc.index)[0]) from None
    if header is None:
        raise InputError(file.path, "is empty: expected a header row, then one reply per row")
    names = [text[s:e].strip() for s, e, _ in header[1]]
    fields = choose_fields(names, options)
    if fields is None:
        raise no_reply_field(file.path, names, 1)
    missing = [f for f in (fields.text, fields.customer, fields.id, fields.title) if f and f not in names]
    if missing:
        raise InputError(file.path, f"has no column '{missing[0]}'; its columns are: {', '.join(names)}", 1)
    number = 0
    try:
        for row_start, row in rows:
            if len(row) == 1 and row[0][0] == row[0][1]:
                continue  # a blank line
            number += 1
            values = {name: _field(text, *spec) for name, spec in zip(names, row)}
            source = record_source(file, str(number), Mapping(values, row_start), fields)
            if any(text[s:e].strip() for s, e, _ in row[len(names):]):  # most often an unquoted delimiter
                line, column = file.position(row[len(names)][0])
                source.notices.append(f"line {line}, column {column}: the row has {len(row)} fields but the "
                                      f"header names {len(names)}; the rest of the row was not read (quote a "
                                      "field that holds the delimiter)")
            yield source
    except _Unclosed as exc:
        yield skipped(file, exc.index, str(number + 1), None, "a quoted field is never closed (a missing "
                      "'\"'): the rest of the file was not read")
