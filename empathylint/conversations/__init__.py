"""Conversations: support conversations read from exports (twitter-care JSON, message-per-line JSONL,
message-per-row CSV) into `Conversation`s of `Message`s, each with its role, author, time and the place
of its text in the file; and each agent message as a `Source` for the linter, with the customer messages
it answers as context.

This room knows nothing of formatters or engines: reports build on the same model.

    >>> from empathylint.conversations import read_conversations
    >>> for conversation in read_conversations("examples/conversations/broken-kettle.jsonl"):
    ...     print(conversation.id, [m.role.value for m in conversation.messages])
    kettle-1042 ['customer', 'bot', 'agent', 'customer', 'customer', 'note', 'agent']
"""

from __future__ import annotations

from .fields import MessageFields
from .formats import group_conversations, read_conversations, read_items
from .model import BadRecord, Conversation, Message, Role, TextLocation
from .sources import agent_sources, conversation_sources

__all__ = ["BadRecord", "Conversation", "Message", "MessageFields", "Role", "TextLocation", "agent_sources",
           "conversation_sources", "group_conversations", "read_conversations", "read_items"]
