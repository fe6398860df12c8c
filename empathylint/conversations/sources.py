"""From conversations to what the linter reads: one `Source` per agent message, with the customer's
messages since the agent last wrote as its customer context.

Each source is named ``<conversation id>/<message id>`` (its record) and ``agent <author>, <time>`` (its
title), and its text maps back onto the message's characters in the file. Bot messages and internal notes
are not linted and do not end a customer turn.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from ..readers.records import reply_source, skipped
from ..source import OffsetMap, Source
from .model import BadRecord, Conversation, Message, Role

CONTEXT_SEPARATOR = "\n\n"


def agent_sources(items: Iterable[Conversation | Message | BadRecord]) -> Iterator[Source]:
    """The sources of a stream of conversations, or of messages in file order (those of different
    conversations may interleave), and a notice source for each `BadRecord`. Only the customer messages
    not yet answered are held, per conversation."""
    waiting: dict[str, list[str]] = {}  # conversation id → its customer messages since the last agent message
    for item in items:
        if isinstance(item, BadRecord):
            yield Source("", item.file, OffsetMap(), record=item.record, notices=[item.notice])
            continue
        for message in item.messages if isinstance(item, Conversation) else (item,):
            if message.role is Role.CUSTOMER:
                if message.text.strip():
                    waiting.setdefault(message.conversation_id, []).append(message.text.strip())
            elif message.role is Role.AGENT:
                yield message_source(message, waiting.pop(message.conversation_id, None))
        if isinstance(item, Conversation):
            waiting.pop(item.id, None)


def conversation_sources(conversation: Conversation) -> list[Source]:
    """One source per agent message of ``conversation`` (see `agent_sources`)."""
    return list(agent_sources([conversation]))


def message_source(message: Message, customer: list[str] | None = None) -> Source:
    """The source of one agent message, with ``customer`` (the customer's messages it answers) joined by
    blank lines as its customer context."""
    context = CONTEXT_SEPARATOR.join(customer) if customer else None
    title = title_of(message)
    location = message.location
    if location is None:
        source = Source.from_text(message.text, customer=context)
        source.record, source.title = message.record, title
        return source
    if not message.text.strip():
        return skipped(location.file, location.node.start, message.record, title,
                       "the agent message has no text to lint")
    return reply_source(location.file, location.node, customer=context, record=message.record, title=title)


def title_of(message: Message) -> str:
    """``"agent RockstarSupport, 2020-03-20 18:43"``: role, author, and time in the message's own zone."""
    who = f"{message.role} {message.author}" if message.author else str(message.role)
    return f"{who}, {message.timestamp:%Y-%m-%d %H:%M}"
