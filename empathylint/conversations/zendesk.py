"""Zendesk ticket exports: a JSON document ``{"tickets": [...]}`` (or a bare list of tickets), or JSON Lines
with one ticket per line (the incremental export), each ticket carrying its ``comments``.

A ticket gives the conversation (``id``, ``status``, ``tags``, ``via.channel``, ``requester_id``); each
comment a message: ``author_id``, ``created_at``, ``body`` (or ``plain_body``), ``public``. Who wrote it:

* ``public: false`` → an internal note (never sent to the customer);
* the ticket's requester (or ``author_role: end-user``) → the customer;
* a comment made by a trigger or an automation (``via.source.rel``, or ``via.channel: rule``) → a bot;
* anyone else → an agent. A macro applied to the comment (``macro_id``, or ``via.source.rel: macro`` with
  ``via.source.from.id``) is kept as its macro id.

A ticket or comment that cannot be read is a `BadRecord` naming the file, the line and the ticket; the rest
of the export is read. Every layout is read a ticket at a time (a JSON document with `json_array`), except a
single ticket written as one JSON document.
"""

from __future__ import annotations

import json
from itertools import chain
from typing import Any, BinaryIO, Iterable, Iterator

from ..errors import InputError
from ..source import SourceFile
from .json_array import iter_array
from .model import BadRecord, Conversation, Message, Role, parse_role
from .timestamps import parse_timestamp

_BOT_SOURCES = {"trigger", "automation", "rule", "sla", "answer_bot", "flow_builder"}


def read_zendesk(path: str, stream: BinaryIO) -> Iterator[Conversation | BadRecord]:
    """The conversations (tickets) of a Zendesk export, in file order, each after its own bad records."""
    first = stream.readline()
    while first and not first.strip(b" \t\r\n\xef\xbb\xbf"):
        first = stream.readline()
    head = first.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
    if head == b"{":
        try:
            ticket = json.loads(first.decode("utf-8", errors="replace").lstrip("\ufeff"))
        except json.JSONDecodeError:
            ticket = None
        if isinstance(ticket, dict) and "tickets" not in ticket:
            # a whole ticket on the first line: JSON Lines, streamed a ticket at a time
            yield from _lines(path, chain([first], stream))
            return
    if head in (b"{", b"["):
        peek = stream.read(65536)
        if head == b"[" or b'"tickets"' in first + peek:
            yield from _streamed(path, _Prefixed(first + peek, stream))
            return
        text = (first + peek + stream.read()).decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield BadRecord(SourceFile(path, ""), None, f"line {exc.lineno}, column {exc.colno}: not JSON "
                            f"({exc.msg}); file skipped")
            return
        tickets = data.get("tickets", [data]) if isinstance(data, dict) else data
        yield from _tickets(path, tickets, SourceFile(path, ""))
        return
    yield BadRecord(SourceFile(path, ""), None, "line 1, column 1: not a Zendesk export (a JSON object with "
                    "'tickets', a list of tickets, or one ticket per line); file skipped")


class _Prefixed:
    """A stream whose first bytes were already read: ``head``, then the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        out, self.head = (self.head, b"") if size < 0 else (self.head[:size], self.head[size:])
        return out


def _streamed(path: str, stream: Any) -> Iterator[Conversation | BadRecord]:
    """The tickets of a ``{"tickets": [...]}`` document or a list of tickets, read a ticket at a time."""
    whole = SourceFile(path, "")
    try:
        for number, window in enumerate(iter_array(path, stream, "a Zendesk export", key="tickets"), 1):
            try:
                ticket = json.loads(window.text)
            except json.JSONDecodeError as exc:
                line, column = window.position(exc.pos)
                yield BadRecord(whole, str(number), f"line {line}, column {column}: ticket {number} is not JSON "
                                f"({exc.msg}); record skipped")
                continue
            yield from _ticket(whole, ticket, number)
    except InputError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        yield BadRecord(whole, None, f"{where}{exc.problem.removeprefix('is ')}; the rest of the file skipped")


def _lines(path: str, lines: Iterable[bytes]) -> Iterator[Conversation | BadRecord]:
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        file = SourceFile(path, raw.decode("utf-8", errors="replace"), line_base=number - 1)
        try:
            ticket = json.loads(file.text)
        except json.JSONDecodeError as exc:
            yield BadRecord(file, str(number), f"line {number}, column {exc.colno}: not JSON ({exc.msg}); "
                            "record skipped")
            continue
        yield from _ticket(file, ticket, number)


def _tickets(path: str, tickets: Any, file: SourceFile) -> Iterator[Conversation | BadRecord]:
    if not isinstance(tickets, list):
        yield BadRecord(file, None, "'tickets' is not a list; file skipped")
        return
    for number, ticket in enumerate(tickets, 1):
        yield from _ticket(file, ticket, number)


def _where(file: SourceFile, number: int) -> str:
    return f"line {file.line_base + 1}" if file.text else f"ticket {number}"


def _ticket(file: SourceFile, ticket: Any, number: int) -> Iterator[Conversation | BadRecord]:
    where = _where(file, number)
    if not isinstance(ticket, dict) or ticket.get("id") in (None, ""):
        yield BadRecord(file, str(number), f"{where}: a ticket without an 'id'; record skipped")
        return
    ticket_id = str(ticket["id"])
    comments = ticket.get("comments")
    if not isinstance(comments, list):
        yield BadRecord(file, ticket_id, f"{where}: ticket {ticket_id} has no 'comments' list; record skipped")
        return
    requester = ticket.get("requester_id")
    channel = _channel(ticket.get("via"))
    tags = tuple(str(t) for t in ticket.get("tags") or () if str(t).strip())
    status = ticket.get("status")
    messages: list[Message] = []
    for index, comment in enumerate(comments, 1):
        message = _comment(file, where, ticket_id, index, comment, requester, channel, tags, status)
        if isinstance(message, BadRecord):
            yield message
        else:
            messages.append(message)
    messages.sort(key=lambda m: m.timestamp)
    yield Conversation(ticket_id, tuple(messages), channel=channel)


def _comment(file: SourceFile, where: str, ticket_id: str, index: int, comment: Any, requester: Any,
             channel: str | None, tags: tuple[str, ...], status: Any) -> Message | BadRecord:
    if not isinstance(comment, dict):
        return BadRecord(file, f"{ticket_id}/{index}", f"{where}: ticket {ticket_id}, comment {index} is not an "
                         "object; comment skipped")
    comment_id = str(comment.get("id") or index)
    record = f"{ticket_id}/{comment_id}"
    timestamp = parse_timestamp(comment.get("created_at"))
    if timestamp is None:
        return BadRecord(file, record, f"{where}: ticket {ticket_id}, comment {comment_id}: 'created_at' "
                         f"{comment.get('created_at')!r} is not a date and time; comment skipped")
    text = comment.get("plain_body", comment.get("body"))
    if not isinstance(text, str):
        return BadRecord(file, record, f"{where}: ticket {ticket_id}, comment {comment_id} has no 'body' "
                         "string; comment skipped")
    author = comment.get("author_id")
    via = comment.get("via") if isinstance(comment.get("via"), dict) else {}
    source = via.get("source") if isinstance(via.get("source"), dict) else {}
    rel = str(source.get("rel") or "").lower()
    if comment.get("public") is False:
        role = Role.NOTE
    elif isinstance(comment.get("author_role"), str) and parse_role(comment["author_role"]):
        role = parse_role(comment["author_role"])  # type: ignore[assignment]
    elif author is not None and author == requester:
        role = Role.CUSTOMER
    elif rel in _BOT_SOURCES or str(via.get("channel") or "").lower() == "rule":
        role = Role.BOT
    else:
        role = Role.AGENT
    macro = comment.get("macro_id")
    if macro is None and rel == "macro" and isinstance(source.get("from"), dict):
        macro = source["from"].get("id")
    return Message(ticket_id, comment_id, role, None if author is None else str(author), timestamp, text,
                   channel=_channel(via) or channel, macro_id=None if macro is None else str(macro), tags=tags,
                   status=None if status is None else str(status))


def _channel(via: Any) -> str | None:
    if isinstance(via, dict) and via.get("channel") not in (None, ""):
        return str(via["channel"])
    return None
