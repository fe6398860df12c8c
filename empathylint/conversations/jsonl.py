"""Messages in JSON Lines: one message record per line (``{"conversation_id": "c1", "role": "agent",
"author": "Sam", "timestamp": "2024-03-01T10:15:00Z", "text": "…"}``), streamed, so memory stays
constant however large the file. Lines are read by the collection reader's line reader: a line that is not
JSON (or not UTF-8) is a `BadRecord`, and each message's text maps onto its own line of the file."""

from __future__ import annotations

from typing import BinaryIO, Iterable, Iterator

from ..readers.jsonl import _lines as json_lines
from ..readers.records import Mapping
from .fields import COUNTED_CONVERSATIONS, MessageFields, MessageRecords
from .model import BadRecord, Message


def read_jsonl_messages(path: str, stream: BinaryIO | Iterable[bytes],
                        fields: MessageFields = MessageFields(), counted: int = COUNTED_CONVERSATIONS
                        ) -> Iterator[Message | BadRecord]:
    """The messages of a JSONL stream shown to users as ``path``, in file order (``counted``: see
    `MessageRecords`). `InputError` if the first record lacks the conversation or role field: the file is
    not a conversation export."""
    records: MessageRecords | None = None
    for line in json_lines(path, stream):
        if not isinstance(line, tuple):  # not UTF-8, or not JSON
            yield BadRecord(line.file, line.record, line.notices[0])
            continue
        file, number, node = line
        if records is None and isinstance(node, Mapping):
            matched = fields.matched(node.items)
            matched.check_layout(path, node.items, file.line_base + 1, "line", "its first record has no field")
            records = MessageRecords(matched, counted)
        yield (records or MessageRecords(fields, counted)).message(file, node, number)
