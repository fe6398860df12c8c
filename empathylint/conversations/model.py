"""The conversation model: who said what, when, and where its text is written.

Readers of conversation exports (`twitter_care`, `jsonl`, `csv_reader`) produce these; `sources` turns each
agent message into a `Source` for the linter, and reports (response times, broken promises) read the same
messages. Every message keeps its role, author and timestamp, customer messages included.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from ..readers.extract import Extract
from ..readers.records import Scalar
from ..source import SourceFile


class Role(str, enum.Enum):
    """Who wrote a message: the customer, a human agent, a bot, or an internal note (never sent)."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    NOTE = "note"

    def __str__(self) -> str:
        return self.value


#: The names exports give each role (compared case-insensitively), besides the role's own name.
ROLE_NAMES: dict[str, Role] = {
    **{name: Role.CUSTOMER for name in ("customer", "client", "end-user", "end_user", "enduser", "user",
                                        "requester", "contact", "visitor", "lead")},
    **{name: Role.AGENT for name in ("agent", "staff", "support", "admin", "operator", "teammate",
                                     "assignee", "rep")},
    **{name: Role.BOT for name in ("bot", "automation", "automated", "system", "assistant")},
    **{name: Role.NOTE for name in ("note", "internal", "internal_note", "internal-note", "private_note")},
}


def parse_role(value: str) -> Role | None:
    """The role an export's role name stands for (``"Client"`` → customer), or None if it is unknown."""
    return ROLE_NAMES.get(value.strip().lower())


@dataclass(frozen=True)
class TextLocation:
    """Where a message's text is written: the file (for a streamed file, the stretch of it the record lies
    in) and the string node whose characters map back onto the file, JSON escapes and CSV quotes exact."""

    file: SourceFile
    node: Scalar

    def extract(self) -> Extract:
        """The message text with its map onto ``file``."""
        return self.node.extract()


@dataclass(frozen=True)
class Message:
    """One message of a conversation. ``timestamp`` is timezone-aware (a time written without an offset
    is read as UTC); ``location`` is None for a message not read from a file."""

    conversation_id: str
    message_id: str
    role: Role
    author: str | None
    timestamp: datetime
    text: str
    channel: str | None = None
    macro_id: str | None = None
    tags: tuple[str, ...] = ()
    status: str | None = None
    location: TextLocation | None = field(default=None, compare=False, repr=False)

    @property
    def record(self) -> str:
        """``"<conversation id>/<message id>"``: how output names the message."""
        return f"{self.conversation_id}/{self.message_id}"


@dataclass(frozen=True)
class Conversation:
    """A conversation's messages in the order of the export (which lists them in time order)."""

    id: str
    messages: tuple[Message, ...]
    company: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read as a message (or a conversation): the file it is in, its name when
    it has one, and the notice that says where and what is wrong (``"line 4, column 1: unknown role
    'boss'; record skipped"``). The rest of the file is still read."""

    file: SourceFile
    record: str | None
    notice: str
