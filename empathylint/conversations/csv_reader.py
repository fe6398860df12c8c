"""Messages in CSV or TSV: a header row, then one message per row, read a record at a time (a quoted
field may span lines), so memory stays constant however large the file. Rows are split by the collection
reader's CSV scanner, so every field knows where it is written and quoted fields (``""``) map exactly."""

from __future__ import annotations

from typing import BinaryIO, Iterable, Iterator

from ..errors import InputError
from ..readers import decode
from ..readers.csv_reader import _delimiter, _field, _rows, _Unclosed
from ..readers.records import Mapping
from ..source import SourceFile
from .fields import COUNTED_CONVERSATIONS, REQUIRED, MessageFields, MessageRecords, bad_record
from .model import BadRecord, Message

#: A record (one row, with its quoted line breaks) longer than this is taken for an unclosed quote.
MAX_RECORD_CHARS = 1024 * 1024


def read_csv_messages(path: str, stream: BinaryIO | Iterable[bytes],
                      fields: MessageFields = MessageFields(), counted: int = COUNTED_CONVERSATIONS
                      ) -> Iterator[Message | BadRecord]:
    """The messages of a CSV/TSV stream shown to users as ``path``, in file order (``counted``: see
    `MessageRecords`). `InputError` if the header lacks a conversation, role, time or text column: the file
    is not a conversation export."""
    chunks = _records(path, stream)
    header = next(chunks, None)
    if header is None:
        raise InputError(path, "is empty: expected a header row, then one message per row")
    file, complete, delimiter = header
    if not complete:
        raise InputError(path, "the header row has a quoted field that is never closed", 1)
    names = [file.text[s:e].strip() for s, e, _ in _split(file.text, delimiter)[0][1]]
    fields = fields.matched(names)
    fields.check_layout(path, names, 1, "row", "the header has no column", REQUIRED)
    records = MessageRecords(fields, counted)
    number = 0
    for file, complete, _ in chunks:
        if not complete:
            yield bad_record(file, 0, str(number + 1), "a quoted field is never closed (a missing '\"'): the "
                             "rest of the file was not read")
            return
        text = file.text
        for row_start, row in _split(text, delimiter):
            if len(row) == 1 and row[0][0] == row[0][1]:
                continue  # a blank line
            number += 1
            values = {name: _field(text, *spec) for name, spec in zip(names, row)}
            message = records.message(file, Mapping(values, row_start), str(number))
            if len(row) > len(names) and any(text[s:e].strip() for s, e, _ in row[len(names):]):
                record = message.record if isinstance(message, Message) else str(number)
                message = bad_record(file, row[len(names)][0], record, f"the row has {len(row)} fields but the "
                                     f"header names {len(names)} (quote a field that holds the delimiter)")
            yield message


def _split(text: str, delimiter: str) -> list[tuple[int, list[tuple[int, int, bool]]]]:
    """The rows of ``text`` (`csv_reader._rows`); `_Unclosed` if a quoted field never closes."""
    return list(_rows(text, delimiter))


def _records(path: str, stream: BinaryIO | Iterable[bytes]) -> Iterator[tuple[SourceFile, bool, str]]:
    """Each record (its lines, line breaks included) as a `SourceFile` placed at its first line, whether
    it is complete (False: a quote never closes; it is the last one read), and the delimiter, chosen by
    the header line (a tab for ``.tsv``)."""
    lines: list[str] = []
    first, delimiter, unclosed = 0, ",", False
    for index, raw in enumerate(stream):
        line = _decode_line(path, raw, index)
        if index == 0:
            delimiter = _delimiter(line, path)
        if not lines:
            first = index
        lines.append(line)
        if unclosed and '"' not in line:
            continue  # a line without a quote cannot close a field left open by the lines before it
        text = "".join(lines)
        try:
            _split(text, delimiter)
            unclosed = False
        except _Unclosed:
            unclosed = True
            if len(text) <= MAX_RECORD_CHARS:
                continue
        lines = []
        yield SourceFile(path, text, line_base=first), not unclosed, delimiter
        if unclosed:
            return
    if lines:
        yield SourceFile(path, "".join(lines), line_base=first), False, delimiter


def _decode_line(path: str, raw: bytes, index: int) -> str:
    """A line of the file as text; `InputError` naming the file's line. The first line is read as
    `readers.decode` reads a whole file (a BOM dropped, a binary file refused)."""
    try:
        return decode(path, raw) if index == 0 else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                         index + 1) from None
    except InputError as exc:
        raise InputError(path, exc.problem, index + 1) from None
