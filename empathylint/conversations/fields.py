"""The generic message layout shared by the JSONL and CSV readers: one message per record, its fields
named by `MessageFields`, and the conversion of a parsed record into a `Message` or a `BadRecord`."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, fields as dataclass_fields
from typing import Iterable

from ..errors import InputError
from ..readers import ReadOptions
from ..readers.records import Mapping, Node, Scalar, Sequence, is_text, skipped
from ..source import SourceFile
from .model import BadRecord, Message, Role, TextLocation, parse_role
from .timestamps import parse_timestamp

_TAG_SPLIT = re.compile(r"[,;|\s]+")
#: The fields a record must have (the text may be empty); the first record (JSONL) or the header (CSV)
#: must name the ones in `LAYOUT_FIELDS`, or the file is not a conversation export at all.
REQUIRED = ("conversation", "role", "timestamp", "text")
LAYOUT_FIELDS = ("conversation", "role")
_OPTION = {"conversation": "--conversation-field", "role": "--role-field", "author": "--author-field",
           "timestamp": "--time-field", "text": "--text-field", "message_id": "--id-field"}


@dataclass(frozen=True)
class MessageFields:
    """The names of the fields that hold each part of a message (a dotted path reaches into nested JSON
    objects: ``author.name``). Only the four in `REQUIRED` must be present."""

    conversation: str = "conversation_id"
    role: str = "role"
    author: str = "author"
    timestamp: str = "timestamp"
    text: str = "text"
    message_id: str = "message_id"
    channel: str = "channel"
    macro_id: str = "macro_id"
    tags: str = "tags"
    status: str = "status"

    @classmethod
    def from_options(cls, options: ReadOptions) -> "MessageFields":
        """The defaults, overridden by ``--conversation-field``, ``--role-field``, ``--author-field``,
        ``--time-field``, ``--text-field`` and ``--id-field`` (the message id)."""
        given = {"conversation": options.conversation_field, "role": options.role_field,
                 "author": options.author_field, "timestamp": options.time_field, "text": options.text_field,
                 "message_id": options.id_field}
        return cls(**{name: value for name, value in given.items() if value})

    def matched(self, names: Iterable[str]) -> "MessageFields":
        """These fields with each name spelled as ``names`` (a CSV header, a record's keys) spell it, when
        they differ only in case."""
        by_lower = {name.lower(): name for name in names}
        return MessageFields(**{f.name: by_lower.get(getattr(self, f.name).lower(), getattr(self, f.name))
                                for f in dataclass_fields(self)})

    def check_layout(self, path: str, names: Iterable[str], line: int, per: str, has: str,
                     required: tuple[str, ...] = LAYOUT_FIELDS) -> None:
        """`InputError` unless ``names`` (a first record's keys, a header's columns) hold every field in
        ``required``; ``per`` ("line") and ``has`` ("its first record has no field") word the error."""
        present = set(names)
        missing = [part for part in required if getattr(self, part).split(".")[0] not in present]
        if missing:
            shown = ", ".join(sorted(present)[:20]) or "none"
            raise InputError(path, f"is not a conversation export (one message per {per}): {has} "
                             f"'{getattr(self, missing[0])}' ({shown}); name it with {_OPTION[missing[0]]}", line)


def bad_record(file: SourceFile, at: int, record: str | None, problem: str) -> BadRecord:
    """A `BadRecord` at offset ``at`` of ``file``, its notice worded as other readers word a skipped record."""
    return BadRecord(file, record, skipped(file, at, record, None, problem).notices[0])


#: Conversations whose messages so far are counted (for numbering), the most recently written to.
COUNTED_CONVERSATIONS = 100_000


class MessageRecords:
    """Turns the records of one file into messages. A message without an id field is numbered by its
    place in its conversation (the third message of ``c1`` is ``c1/3``). The counts are kept for the
    ``counted`` conversations written to most recently, so memory stays bounded: a message of a
    conversation not written to for longer is numbered afresh. (`exports.read_export` counts at least as
    many as `exports.stream_conversations` remembers, so a conversation still open is never renumbered.)"""

    def __init__(self, fields: MessageFields, counted: int = COUNTED_CONVERSATIONS) -> None:
        self.fields = fields
        self.counted = counted
        self._counts: OrderedDict[str, int] = OrderedDict()

    def message(self, file: SourceFile, node: Node, number: str) -> Message | BadRecord:
        """The message of the record ``node`` (the ``number``-th of the file), or why it is not one."""
        f = self.fields
        if not isinstance(node, Mapping):
            return bad_record(file, node.start, number, "not a message record (an object with "
                              f"'{f.conversation}', '{f.role}', '{f.timestamp}' and '{f.text}')")
        values = {part: node.get(getattr(f, part)) for part in REQUIRED}
        conversation = _scalar(values["conversation"])
        message_id = _scalar(node.get(f.message_id))
        if conversation is not None:
            counts = self._counts
            counts[conversation] = counts.pop(conversation, 0) + 1  # now the most recent
            if len(counts) > self.counted:
                counts.popitem(last=False)
            message_id = message_id or str(counts[conversation])
        record = f"{conversation}/{message_id}" if conversation else number
        missing = next((part for part in REQUIRED[:3] if _scalar(values[part]) is None), None)
        if missing is not None:
            return bad_record(file, node.start, record, f"no field '{getattr(f, missing)}'"
                              if values[missing] is None else f"field '{getattr(f, missing)}' is empty")
        role = parse_role(_scalar(values["role"]))
        if role is None:
            return bad_record(file, values["role"].start, record, f"unknown role '{_scalar(values['role'])}' "
                              f"(expected one of {', '.join(r.value for r in Role)})")
        timestamp = parse_timestamp(values["timestamp"].value)
        if timestamp is None:
            return bad_record(file, values["timestamp"].start, record, f"'{_scalar(values['timestamp'])}' is "
                              "not a date and time (write ISO 8601, such as 2024-03-01T10:15:00Z)")
        text = values["text"]
        if not is_text(text):
            return bad_record(file, node.start if text is None else text.start, record,
                              f"no field '{f.text}'" if text is None else f"field '{f.text}' is not a string")
        return Message(conversation, message_id, role, _scalar(node.get(f.author)), timestamp, str(text.value),
                       channel=_scalar(node.get(f.channel)), macro_id=_scalar(node.get(f.macro_id)),
                       tags=_tags(node.get(f.tags)), status=_scalar(node.get(f.status)),
                       location=TextLocation(file, text))


def _scalar(node: Node | None) -> str | None:
    """The text of a string or number field (None when absent, null, empty or not a scalar)."""
    if not isinstance(node, Scalar) or node.value is None or isinstance(node.value, bool):
        return None
    return str(node.value).strip() or None


def _tags(node: Node | None) -> tuple[str, ...]:
    """A list of tags, or a string of them separated by commas, semicolons, bars or spaces."""
    if isinstance(node, Sequence):
        return tuple(t for t in (_scalar(item) for item in node.items) if t)
    text = _scalar(node)
    return tuple(t for t in _TAG_SPLIT.split(text) if t) if text else ()
