"""The Twitter customer-support layout (Kaggle's "Customer Support on Twitter", ``twcs.csv``): one tweet per
row with ``tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id``.
``inbound`` is True for the customer's tweets, False for the company's.

Tweets are threaded into conversations by their reply links: a conversation is the tree of tweets under a
tweet that answers none, named by that root's id. The file is read twice (it is a file, not a
stream): the reply links only (two integers per tweet, in arrays: see `_Threads`), then the tweets, each
conversation handed on as soon as its last tweet is read, so the texts held at once are those of
conversations still open.
"""

from __future__ import annotations

import csv
import io
from array import array
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterator

from ..source import SourceFile
from .model import BadRecord, Conversation, Message, Role
from .timestamps import parse_timestamp

if TYPE_CHECKING:
    import numpy as np

COLUMNS = ("tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id",
           "in_response_to_tweet_id")
CHANNEL = "twitter"


def looks_like_tweets(header: str) -> bool:
    """Whether a CSV header line is this layout's."""
    names = {n.strip().strip('"').lower() for n in header.split(",")}
    return {"tweet_id", "inbound", "in_response_to_tweet_id"} <= names


def read_tweets(path: str, open_stream: Callable[[], BinaryIO]) -> Iterator[Conversation | BadRecord]:
    """The conversations of a tweets CSV, each when its last tweet has been read; ``open_stream`` opens the
    file afresh (it is read twice). A row that cannot be read is a `BadRecord` naming its line."""
    threads = _Threads.read(path, open_stream)
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
            key = threads.root(tweet)
            message = _message(path, line, str(key), row)
            if isinstance(message, BadRecord):
                yield message
            else:
                open_.setdefault(key, []).append(message)
            if threads.read_one(key):
                messages = open_.pop(key, [])
                if messages:
                    messages.sort(key=lambda m: (m.timestamp, int(m.message_id)))
                    yield Conversation(str(key), tuple(messages), channel=CHANNEL)
    for key, messages in open_.items():  # a thread whose rows were partly unreadable
        messages.sort(key=lambda m: (m.timestamp, int(m.message_id)))
        yield Conversation(str(key), tuple(messages), channel=CHANNEL)


class _Threads:
    """Which thread (its root's id) each tweet belongs to, and how many of a thread's tweets are still to
    come: sorted arrays of ids, not dictionaries of Python integers (ten times larger). Measured on a million
    tweets: 25 MiB held, 99 MiB at the peak while threading them."""

    def __init__(self, ids: "np.ndarray", roots: "np.ndarray", row_roots: "np.ndarray") -> None:
        import numpy as np

        self.ids, self.roots = ids, roots
        self.keys, self.left = np.unique(row_roots, return_counts=True)  # the rows of each thread

    @classmethod
    def read(cls, path: str, open_stream: Callable[[], BinaryIO]) -> "_Threads":
        """The reply links of the file (its first reading)."""
        import numpy as np

        tweets, parents = array("q"), array("q")
        with open_stream() as stream:
            for _, row in _rows(path, stream):
                if isinstance(row, dict) and (tweet := _int(row.get("tweet_id"))) is not None:
                    parent = _int(row.get("in_response_to_tweet_id"))
                    tweets.append(tweet)
                    parents.append(-1 if parent is None else parent)
        rows = np.frombuffer(tweets, dtype=np.int64)
        links = np.frombuffer(parents, dtype=np.int64)
        order = np.argsort(rows, kind="stable")
        ids, links = rows[order], links[order]
        # a tweet written twice: its first row's link counts
        first = np.ones(len(ids), dtype=bool)
        first[1:] = ids[1:] != ids[:-1]
        ids, links = ids[first], links[first]
        at = np.searchsorted(ids, links).clip(max=max(len(ids) - 1, 0))
        known = (links >= 0) & (ids[at] == links) if len(ids) else links >= 0
        # each tweet's root: follow the links by doubling; the top tweet in the file is the root, or, when it
        # answers a tweet not in the file, that tweet is
        up = np.where(known, at, np.arange(len(ids)))
        for _ in range(64):
            nxt = up[up]
            if np.array_equal(nxt, up):
                break
            up = nxt
        roots = np.where((links[up] >= 0) & ~known[up], links[up], ids[up])
        return cls(ids, roots, roots[np.searchsorted(ids, rows)] if len(rows) else rows)

    def root(self, tweet: int) -> int:
        """The thread of a tweet."""
        import numpy as np

        at = int(np.searchsorted(self.ids, tweet))
        return int(self.roots[at]) if at < len(self.ids) and self.ids[at] == tweet else tweet

    def read_one(self, key: int) -> bool:
        """One more tweet of thread ``key`` read; whether it was its last."""
        import numpy as np

        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or self.keys[at] != key:
            return False
        self.left[at] -= 1
        return self.left[at] == 0


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
