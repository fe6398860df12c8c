"""Which conversation layout a file is in, and reading it: twitter-care JSON (``.json``, or a stream that
starts with ``[``), message-per-line JSONL (``.jsonl``, ``.ndjson``, or one that starts with ``{``) and
message-per-row CSV/TSV (anything else). ``check --input-format conversations`` reads any of them; a
``.json`` file in the twitter-care layout is recognised without it."""

from __future__ import annotations

import io
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..readers import MAX_FILE_BYTES, ReadOptions, read_whole
from ..source import Source, SourceFile
from .csv_reader import read_csv_messages
from .fields import MessageFields
from .jsonl import read_jsonl_messages
from .model import BadRecord, Conversation, Message
from .sources import agent_sources
from .twitter_care import looks_like_twitter_care, read_twitter_care  # noqa: F401 (a detector, see readers)

#: Layouts by file extension; a file with none of these is told by its first character.
EXTENSIONS = {".json": "twitter-care", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv"}
Item = Conversation | Message | BadRecord


def read_items(path: str, stream: BinaryIO, options: ReadOptions = ReadOptions()) -> Iterator[Item]:
    """What the file holds, in file order: conversations (twitter-care) or messages (JSONL, CSV), and a
    `BadRecord` for each record that could not be read. `InputError` if it is in none of the layouts."""
    layout, lines = _layout(path, stream)
    if layout == "twitter-care":
        data = b"".join(lines) + stream.read(MAX_FILE_BYTES + 1)
        yield from read_twitter_care(read_whole(path, io.BytesIO(data), "JSONL messages"))
        return
    fields = MessageFields.from_options(options)
    reader = read_jsonl_messages if layout == "jsonl" else read_csv_messages
    yield from reader(path, chain(lines, stream), fields)


def read_sources(path: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Source]:
    """``--input-format conversations``: one source per agent message (see `sources.agent_sources`)."""
    return agent_sources(read_items(path, stream, options))


def twitter_care_sources(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    """The sources of a ``.json`` file recognised as twitter-care by its shape."""
    return agent_sources(read_twitter_care(file))


def read_conversations(path: str | Path, options: ReadOptions = ReadOptions()
                       ) -> Iterator[Conversation | BadRecord]:
    """The conversations of a file (see `group_conversations`)."""
    with open(path, "rb") as stream:
        yield from group_conversations(read_items(str(path), stream, options))


def group_conversations(items: Iterable[Item]) -> Iterator[Conversation | BadRecord]:
    """Conversations from a stream of them or of messages: messages are gathered by conversation id (in
    the order each conversation first appears; a conversation's messages may interleave with others'),
    so a message stream is held whole. `BadRecord`s come first, as they are read."""
    gathered: dict[str, list[Message]] = {}
    for item in items:
        if isinstance(item, Message):
            gathered.setdefault(item.conversation_id, []).append(item)
        else:
            yield item
    for conversation_id, messages in gathered.items():
        yield Conversation(conversation_id, tuple(messages), channel=messages[0].channel)


def _layout(path: str, stream: BinaryIO) -> tuple[str, list[bytes]]:
    """The layout of the file, and the lines read to tell it (they are still to be read)."""
    name = path.lower()
    for extension, layout in EXTENSIONS.items():
        if name.endswith(extension):
            return layout, []
    lines: list[bytes] = []
    for line in stream:
        lines.append(line)
        first = line.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first:
            return {b"[": "twitter-care", b"{": "jsonl"}.get(first, "csv"), lines
    return "csv", lines
