"""Every conversation export `empathylint report` reads, told by extension and first line, read as a
stream of `Conversation`s with bounded memory:

* ``twitter-care``: IBM's twitter-care JSON (`twitter_care`);
* ``jsonl`` / ``csv``: one message per line or row, fields named by `MessageFields` (`jsonl`, `csv_reader`);
* ``zendesk``: a Zendesk ticket export with its comments (`zendesk`);
* ``tweets``: the Twitter customer-support CSV, threaded by reply links (`tweets`).

Message-per-record exports list a conversation's messages together or interleaved with a few others'
(exports are sorted by ticket or by time): `stream_conversations` keeps at most ``open_limit``
conversations open and hands on the one least recently written to when more open. A message of a
conversation already handed on is a `BadRecord` (raise ``--open-conversations``, or sort the export). The
ids handed on are remembered for the last ``CLOSED_MEMORY`` × ``open_limit`` conversations only, so memory
stays bounded: a message that comes later still is read as the start of a second conversation with its id.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from .csv_reader import read_csv_messages
from .fields import COUNTED_CONVERSATIONS, MessageFields
from .jsonl import read_jsonl_messages
from .model import BadRecord, Conversation, Message
from .tweets import looks_like_tweets, read_tweets
from .twitter_care import stream_twitter_care
from .zendesk import read_zendesk

LAYOUTS = ("twitter-care", "jsonl", "csv", "zendesk", "tweets")
OPEN_LIMIT = 10_000
#: Conversations handed on whose ids are remembered, in multiples of the open limit.
CLOSED_MEMORY = 10


def detect_layout(path: str) -> str:
    """The layout of an export, by its extension and its first bytes."""
    with open(path, "rb") as stream:
        head = stream.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    name = path.lower()
    if head.startswith("["):
        return "zendesk" if '"comments"' in head and '"dialogContent"' not in head else "twitter-care"
    if head.startswith("{"):
        first = head.split("\n", 1)[0]
        if '"tickets"' in head[:200] or '"comments"' in first:
            return "zendesk"
        return "jsonl"
    if name.endswith((".csv", ".tsv")) or "," in head.split("\n", 1)[0]:
        return "tweets" if looks_like_tweets(head.split("\n", 1)[0]) else "csv"
    return "jsonl" if name.endswith((".jsonl", ".ndjson")) else "csv"


def read_export(path: str | Path, layout: str | None = None, fields: MessageFields = MessageFields(),
                open_limit: int = OPEN_LIMIT) -> Iterator[Conversation | BadRecord]:
    """The conversations of an export, and a `BadRecord` for each record that could not be read (the rest
    goes on). `InputError` if the file cannot be opened or is in none of the layouts."""
    path = str(path)
    try:
        layout = layout or detect_layout(path)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if layout not in LAYOUTS:
        raise InputError(path, f"unknown layout '{layout}'; use one of {', '.join(LAYOUTS)}")
    if layout == "tweets":
        yield from read_tweets(path, lambda: open(path, "rb"))
        return
    with open(path, "rb") as stream:
        if layout == "twitter-care":
            yield from stream_twitter_care(path, stream)
        elif layout == "zendesk":
            yield from read_zendesk(path, stream)
        else:
            reader = read_jsonl_messages if layout == "jsonl" else read_csv_messages
            counted = max(COUNTED_CONVERSATIONS, (CLOSED_MEMORY + 1) * open_limit)
            yield from stream_conversations(reader(path, stream, fields, counted), open_limit)


def stream_conversations(items: Iterable[Message | BadRecord], open_limit: int = OPEN_LIMIT
                         ) -> Iterator[Conversation | BadRecord]:
    """Conversations from messages in file order, at most ``open_limit`` held at once (see the module)."""
    open_: OrderedDict[str, list[Message]] = OrderedDict()
    closed: OrderedDict[str, None] = OrderedDict()  # the ids handed on most recently, oldest first
    for item in items:
        if isinstance(item, BadRecord):
            yield item
            continue
        key = item.conversation_id
        if key in closed and key not in open_:
            location = item.location
            file = location.file if location else None
            yield BadRecord(file, item.record, f"message {item.record} of conversation {key} comes after "  # type: ignore[arg-type]
                            f"{open_limit} other conversations were written to; sort the export by "
                            "conversation or raise --open-conversations; record skipped")
            continue
        open_.setdefault(key, []).append(item)
        open_.move_to_end(key)
        if len(open_) > open_limit:
            oldest, messages = open_.popitem(last=False)
            closed[oldest] = None
            if len(closed) > CLOSED_MEMORY * open_limit:
                closed.popitem(last=False)
            yield _conversation(oldest, messages)
    for key, messages in open_.items():
        yield _conversation(key, messages)


def _conversation(key: str, messages: list[Message]) -> Conversation:
    messages.sort(key=lambda m: m.timestamp)  # stable: messages written at the same time keep file order
    return Conversation(key, tuple(messages), channel=messages[0].channel)


def read_text_export(path: str, text: str, layout: str) -> Iterator[Conversation | BadRecord]:
    """An export held in memory (tests, stdin)."""
    stream = io.BytesIO(text.encode("utf-8"))
    if layout == "zendesk":
        return read_zendesk(path, stream)
    if layout == "twitter-care":
        return stream_twitter_care(path, stream)
    reader = read_jsonl_messages if layout == "jsonl" else read_csv_messages
    return stream_conversations(reader(path, stream))
