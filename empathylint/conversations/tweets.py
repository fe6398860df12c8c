"""The Twitter customer-support layout (Kaggle's "Customer Support on Twitter", ``twcs.csv``): one tweet per
row with ``tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id``.
``inbound`` is True for the customer's tweets, False for the company's.

Tweets are threaded into conversations by their reply links: a conversation is the tree of tweets under a
tweet that answers none, named by that root's id. The file is read three times (it is a file, not a
stream): the reply links only (two integers per tweet), then each thread's size, then the tweets, each conversation handed on as soon as
its last tweet is read, so the texts held at once are those of conversations still open.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO, Callable, Iterator

from ..source import SourceFile
from .model import BadRecord, Conversation, Message, Role
from .timestamps import parse_timestamp

COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
           "in_response_to_tweet_id")
CHANNEL = "twitter"


def looks_like_tweets(header: str) -> bool:
    """Whether a CSV header line is this layout's."""
    names = {n.strip().strip('"').lower() for n in header.split(",")}
    return {"tweet_id", "inbound", "in_response_to_tweet_id"} <= names


def read_tweets(path: str, open_stream: Callable[[], BinaryIO]) -> Iterator[Conversation | BadRecord]:
    """The conversations of a tweets CSV, each when its last tweet has been read; ``open_stream`` opens the
    file afresh (it is read three times). A row that cannot be read is a `BadRecord` naming its line."""
    parents: dict[int, int] = {}
    with open_stream() as stream:
        for _, row in _rows(path, stream):
            if isinstance(row, dict):
                tweet, parent = _int(row.get("tweet_id")), _int(row.get("in_response_to_tweet_id"))
                if tweet is not None and parent is not None:
                    parents[tweet] = parent
    root_of: dict[int, int] = {}

    def root(tweet: int) -> int:
        path_ = []
        while tweet in parents and tweet not in root_of and len(path_) < 10_000:
            path_.append(tweet)
            tweet = parents[tweet]
        found = root_of.get(tweet, tweet)
        for t in path_:
            root_of[t] = found
        return found

    sizes: dict[int, int] = {}
    with open_stream() as stream:
        for _, row in _rows(path, stream):
            if isinstance(row, dict) and (tweet := _int(row.get("tweet_id"))) is not None:
                key = root(tweet)
                sizes[key] = sizes.get(key, 0) + 1
    open_: dict[int, list[Message]] = {}
    with open_stream() as stream:
        for line, row in _rows(path, stream):
            if isinstance(row, BadRecord):
                yield row
                continue
            tweet = _int(row.get("tweet_id"))
            if tweet is None:
                yield _bad(path, line, None, f"'tweet_id' {row.get('tweet_id')!r} is not a number")
                continue
            key = root(tweet)
            message = _message(path, line, str(key), row)
            sizes[key] -= 1
            if isinstance(message, BadRecord):
                yield message
            else:
                open_.setdefault(key, []).append(message)
            if sizes[key] == 0:
                del sizes[key]
                messages = open_.pop(key, [])
                if messages:
                    messages.sort(key=lambda m: (m.timestamp, int(m.message_id)))
                    yield Conversation(str(key), tuple(messages), channel=CHANNEL)
    for key, messages in open_.items():  # a thread whose rows were partly unreadable
        messages.sort(key=lambda m: (m.timestamp, int(m.message_id)))
        yield Conversation(str(key), tuple(messages), channel=CHANNEL)


def _rows(path: str, stream: BinaryIO) -> Iterator[tuple[int, dict[str, str] | BadRecord]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None:
        return
    names = [h.strip().lower() for h in header]
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield start, _bad(path, start, None, f"the row has {len(row)} fields but the header names {len(names)}")
            continue
        yield start, dict(zip(names, row))


def _message(path: str, line: int, conversation: str, row: dict[str, str]) -> Message | BadRecord:
    tweet = row["tweet_id"].strip()
    timestamp = parse_timestamp(row.get("created_at"))
    if timestamp is None:
        return _bad(path, line, f"{conversation}/{tweet}", f"'created_at' {row.get('created_at')!r} is not a "
                    "date and time")
    inbound = (row.get("inbound") or "").strip().lower()
    if inbound not in {"true", "false", "1", "0"}:
        return _bad(path, line, f"{conversation}/{tweet}", f"'inbound' {row.get('inbound')!r} is neither True "
                    "nor False")
    role = Role.CUSTOMER if inbound in {"true", "1"} else Role.AGENT
    return Message(conversation, tweet, role, (row.get("author_id") or "").strip() or None, timestamp,
                   row.get("text") or "", channel=CHANNEL)


def _bad(path: str, line: int, record: str | None, problem: str) -> BadRecord:
    return BadRecord(SourceFile(path, "", line_base=line - 1), record, f"line {line}, column 1: {problem}; "
                     "record skipped")


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    if "," in value:
        value = value.split(",")[0]
    try:
        return int(float(value)) if value else None
    except ValueError:
        return None
