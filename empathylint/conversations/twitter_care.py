"""The twitter-care layout (IBM's customer-care document-prediction data): a JSON list of conversations,
each with a ``dialogHeader`` (``sessionID``, ``company``, ``conversationDateTime``, ``duration``), its
``dialogContent`` messages (``client``, ``client1`` … for the customer, ``agent`` for the company, each
with ``datetime``, ``message`` and ``tweet_ID``) and ``agentURL``, the company's final reply
(``url_utterance``, ``tweet_ID``), sent ``duration`` after the conversation started.

The JSON is parsed by the collection reader's parser, so every message's text maps back onto the file,
escapes (``\\n``, ``\\u00a0``, ``\\"``) included. `stream_twitter_care` reads a file a conversation at a time
(`json_array`), so an export of any size is held one conversation at a time. Tweets are written as Twitter serves them, with ``&``,
``<`` and ``>`` as ``&amp;``, ``&lt;`` and ``&gt;``: a message's text has them decoded, each character
mapping onto its entity.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from typing import BinaryIO, Iterator

from ..errors import InputError
from ..readers.extract import Extract, TextBuilder
from ..readers.json_reader import parse_file
from ..readers.records import Mapping, Node, Scalar, Sequence, is_text
from ..source import SourceFile
from .fields import bad_record
from .json_array import iter_array
from .model import BadRecord, Conversation, Message, Role, TextLocation
from .timestamps import parse_duration, parse_timestamp

CHANNEL = "twitter"
_CUSTOMER_KEY = re.compile(r"client\d*")
_AGENT_KEY = "agent"
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_LOOKS_LIKE = re.compile(r'"dialog(?:Content|Header)"\s*:')
#: Twitter ids (snowflakes) carry the time they were made: milliseconds since this epoch, above bit 22.
_SNOWFLAKE_EPOCH_MS = 1288834974657
_SNOWFLAKE_SLACK = timedelta(seconds=2)
_NOT_THIS_LAYOUT = ('is not a twitter-care conversation file: expected a JSON list of conversations with '
                    '"dialogHeader" and "dialogContent"')


def looks_like_twitter_care(text: str) -> bool:
    """Whether a JSON text is a twitter-care file: a list of objects whose keys include ``dialogContent``
    or ``dialogHeader`` (judged on its beginning, without parsing it)."""
    return text.lstrip()[:1] == "[" and _LOOKS_LIKE.search(text, 0, 65536) is not None


def is_twitter_care(root: Node) -> bool:
    """Whether a parsed JSON document is a twitter-care list of conversations."""
    return isinstance(root, Sequence) and any(
        isinstance(item, Mapping) and ("dialogContent" in item.items or "dialogHeader" in item.items)
        for item in root.items)


def read_twitter_care(file: SourceFile) -> Iterator[Conversation | BadRecord]:
    """The conversations of a twitter-care file, in file order, each after the `BadRecord`s of its own
    messages that could not be read. `InputError` if the file is not JSON, or not this layout."""
    root = parse_file(file)
    if not is_twitter_care(root):
        raise InputError(file.path, _NOT_THIS_LAYOUT, file.position(root.start)[0])
    for number, item in enumerate(root.items, 1):
        yield from _conversation(file, item, str(number))


def stream_twitter_care(path: str, stream: BinaryIO) -> Iterator[Conversation | BadRecord]:
    """What `read_twitter_care` gives, read from ``stream`` a conversation at a time. A conversation that
    is not valid JSON is a `BadRecord` naming its line (the rest is read); `InputError` if the file is
    not a JSON list, or ends inside one."""
    for number, window in enumerate(iter_array(path, stream, "a twitter-care conversation file"), 1):
        try:
            node = parse_file(window)
        except InputError as exc:
            yield BadRecord(window, str(number), f"line {exc.line}: {exc.problem.removeprefix('is ')}; "
                            f"conversation {number} skipped")
            continue
        if number == 1 and not is_twitter_care(Sequence([node], node.start)):
            raise InputError(path, _NOT_THIS_LAYOUT, window.position(node.start)[0])
        yield from _conversation(window, node, str(number))


def _conversation(file: SourceFile, node: Node, number: str) -> Iterator[Conversation | BadRecord]:
    header = node.get("dialogHeader") if isinstance(node, Mapping) else None
    session = _string(header.get("sessionID")) if isinstance(header, Mapping) else None
    if session is None:
        yield bad_record(file, node.start, number, "a conversation without dialogHeader.sessionID")
        return
    company = _string(header.get("company"))
    messages: list[Message] = []
    content = node.get("dialogContent")
    for item in content.items if isinstance(content, Sequence) else ():
        message = _message(file, session, item)
        if isinstance(message, BadRecord):
            yield message
        else:
            messages.append(message)
    reply = node.get("agentURL")
    if isinstance(reply, Mapping):
        message = _final_reply(file, session, company, header, reply)
        if isinstance(message, BadRecord):
            yield message
        else:
            messages.append(message)
    yield Conversation(session, tuple(messages), company=company, channel=CHANNEL)


def _message(file: SourceFile, session: str, node: Node) -> Message | BadRecord:
    if not isinstance(node, Mapping):
        return bad_record(file, node.start, session, "a dialogContent entry that is not an object")
    tweet = _string(node.get("tweet_ID"))
    record = f"{session}/{tweet}" if tweet else session
    if tweet is None:
        return bad_record(file, node.start, record, "a message without a tweet_ID")
    key = next((k for k in node.items if _CUSTOMER_KEY.fullmatch(k) or k == _AGENT_KEY), None)
    if key is None:
        return bad_record(file, node.start, record, "a message with no 'client' or 'agent' field (who wrote it)")
    timestamp = parse_timestamp(_string(node.get("datetime")))
    if timestamp is None:
        return bad_record(file, node.start, record, "a message without a readable 'datetime'")
    text = node.get("message")
    if not is_text(text):
        return bad_record(file, node.start, record, "a message without a 'message' string")
    role = Role.AGENT if key == _AGENT_KEY else Role.CUSTOMER
    return _make(file, session, tweet, role, _string(node.get(key)), timestamp, text)


def _final_reply(file: SourceFile, session: str, company: str | None, header: Mapping,
                 node: Mapping) -> Message | BadRecord:
    tweet = _string(node.get("tweet_ID"))
    record = f"{session}/{tweet}" if tweet else session
    text = node.get("url_utterance")
    if tweet is None or not is_text(text):
        return bad_record(file, node.start, record, "an agentURL without a tweet_ID and a url_utterance string")
    start = parse_timestamp(_string(header.get("conversationDateTime")))
    duration = parse_duration(_string(header.get("duration")))
    if start is None or duration is None:
        return bad_record(file, node.start, record, "the final reply's time is unknown: dialogHeader needs a "
                          "conversationDateTime and a duration such as \"01:26:55.0\"")
    return _make(file, session, tweet, Role.AGENT, company, reply_time(start, duration, tweet), text)


def reply_time(start: datetime, duration: timedelta, tweet_id: str | None = None) -> datetime:
    """When the final reply was sent: ``start + duration``. The export writes the duration as a time of
    day, dropping whole days (and then sometimes a minus sign): in dev.json 107 of 525 replies came a day
    or more later, as their tweet ids show. So the sign is ignored, and when ``tweet_id`` is a Twitter id
    made whole days (±2 s) after ``start + duration``, those days are added back."""
    sent = start + abs(duration)
    if tweet_id is None or not tweet_id.isdigit():
        return sent
    made = datetime.fromtimestamp(((int(tweet_id) >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, timezone.utc)
    days = round((made - sent) / timedelta(days=1))
    if days >= 1 and abs(made - sent - timedelta(days=days)) <= _SNOWFLAKE_SLACK:
        return sent + timedelta(days=days)
    return sent


def _make(file: SourceFile, session: str, tweet: str, role: Role, author: str | None, timestamp: datetime,
          text: Scalar) -> Message:
    text = _unescaped(text)
    return Message(session, tweet, role, author, timestamp, str(text.value), channel=CHANNEL,
                   location=TextLocation(file, text))


def _unescaped(node: Scalar) -> Scalar:
    """A tweet's string node with its HTML entities decoded, each decoded character standing for its entity."""
    if not _ENTITY.search(node.value):
        return node

    def extract() -> Extract:
        base = node.extract()
        builder = TextBuilder(base)
        pos = 0
        for entity in _ENTITY.finditer(base.text):
            builder.copy(pos, entity.start())
            builder.put(html.unescape(entity.group()), entity.start(), entity.end())
            pos = entity.end()
        builder.copy(pos, len(base.text))
        return builder.build()

    return Scalar(_ENTITY.sub(lambda entity: html.unescape(entity.group()), node.value), node.start, extract)


def _string(node: Node | None) -> str | None:
    if isinstance(node, Scalar) and isinstance(node.value, (str, int)) and not isinstance(node.value, bool):
        return str(node.value).strip() or None
    return None
