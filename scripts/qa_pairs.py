"""The (customer message, agent reply) pairs behind the hand-judged QA set in ``benchmarks/qa/``.

Pairs are read from the shared data folder (``../shared/data`` relative to the project root); nothing from
the data is copied into the repository, only the pair ids are stored with their verdicts.

Sources
    twitter-care  ``twitter-care/dev.json``: real customer-care conversations on Twitter. Every agent message
                  in a conversation's ``dialogContent`` and its final ``agentURL`` reply is one pair (586 in
                  all); the customer side is the customer messages (``client`` / ``client1``) since the
                  previous agent message. Id ``tc:<sessionID>:<tweet_ID of the agent reply>``.
    bitext        ``bitext/replies.csv``: canned replies; the customer side is ``instruction``, the reply is
                  ``response``. Id ``bitext:<row>``, the 0-based position among the data rows.

Each pair is a dict ``{id, source, customer, reply, conversation, message}``: ``conversation`` is the
conversation's id (the twitter-care sessionID; the row for Bitext, where a row is its own conversation) and
``message`` is the reply's own id (its tweet_ID; the row for Bitext).

Split: :func:`split` puts a pair in ``"heldout"`` when ``sha256(key) % 100 < 35`` and in ``"dev"`` otherwise;
the key is the sessionID for twitter-care (so a conversation's replies share a split) and the pair id for Bitext.

Sample (what was judged): every twitter-care pair and every Bitext row, each list shuffled with
``random.Random(20)``; the sample is the first ``--tc`` (default: all 586) twitter-care pairs followed by the
first ``--bitext`` (default: 100) Bitext pairs.

    python scripts/qa_pairs.py --sample                   # the judged sample, printed for reading
    python scripts/qa_pairs.py --sample --start 25 --count 25   # one chunk of it
    python scripts/qa_pairs.py --sample --jsonl           # the same pairs as JSON lines
    python scripts/qa_pairs.py --id tc:LgwAXtbbEm0mBvDrGmjk:1245425308704149506
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Iterator, TypedDict

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TWITTER_CARE = DATA / "twitter-care" / "dev.json"
BITEXT = DATA / "bitext" / "replies.csv"

SEED = 20
SAMPLE_TC: int | None = None  # all 586 twitter-care pairs
SAMPLE_BITEXT = 100
HELDOUT_PERCENT = 35
CUSTOMER_KEYS = ("client", "client1")


class Pair(TypedDict):
    """One customer message (or run of messages) and the agent reply that answers it."""

    id: str
    source: str
    customer: str
    reply: str
    conversation: str
    message: str


def twitter_care_pairs(path: Path = TWITTER_CARE) -> Iterator[Pair]:
    """Yield every agent reply of twitter-care, in file order, with the customer messages before it."""
    conversations = json.loads(path.read_text(encoding="utf-8"))
    for conversation in conversations:
        session = conversation["dialogHeader"]["sessionID"]
        pending: list[str] = []
        for message in conversation["dialogContent"]:
            if "agent" in message:
                yield _tc_pair(session, pending, message["message"], message["tweet_ID"])
                pending = []
            elif any(key in message for key in CUSTOMER_KEYS):
                pending.append(message["message"])
        final = conversation["agentURL"]
        yield _tc_pair(session, pending, final["url_utterance"], final["tweet_ID"])


def _tc_pair(session: str, customer: list[str], reply: str, tweet_id: str) -> Pair:
    return Pair(
        id=f"tc:{session}:{tweet_id}",
        source="twitter-care",
        customer="\n".join(customer),
        reply=reply,
        conversation=session,
        message=tweet_id,
    )


def bitext_pairs(path: Path = BITEXT) -> Iterator[Pair]:
    """Yield every Bitext row as a pair: ``instruction`` is the customer, ``response`` the reply."""
    with path.open(encoding="utf-8", newline="") as handle:
        for row_number, row in enumerate(csv.DictReader(handle)):
            yield Pair(
                id=f"bitext:{row_number}",
                source="bitext",
                customer=row["instruction"],
                reply=row["response"],
                conversation=str(row_number),
                message=str(row_number),
            )


def pairs() -> Iterator[Pair]:
    """Every pair of both sources: twitter-care first, then Bitext."""
    yield from twitter_care_pairs()
    yield from bitext_pairs()


def split(pair_id: str) -> str:
    """``"heldout"`` or ``"dev"`` for a pair id (twitter-care keyed by sessionID, Bitext by the id)."""
    if pair_id.startswith("tc:"):
        key = pair_id.split(":")[1]
    elif pair_id.startswith("bitext:"):
        key = pair_id
    else:
        raise ValueError(f"not a QA pair id: {pair_id!r}")
    bucket = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 100
    return "heldout" if bucket < HELDOUT_PERCENT else "dev"


def _shuffled(items: list[Pair], seed: int) -> list[Pair]:
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def sample(
    n_tc: int | None = SAMPLE_TC, n_bitext: int | None = SAMPLE_BITEXT, seed: int = SEED
) -> list[Pair]:
    """The judged pairs: the first ``n_tc`` twitter-care and ``n_bitext`` Bitext pairs after a seeded shuffle.

    ``None`` takes every pair of that source. A shuffle (not ``random.sample``) keeps every smaller sample a
    prefix of a larger one, so a sample can grow without changing the pairs already judged.
    """
    tc = _shuffled(list(twitter_care_pairs()), seed)[:n_tc]
    bitext = _shuffled(list(bitext_pairs()), seed)[:n_bitext]
    return tc + bitext


def _show(pair: Pair, index: int) -> str:
    rule = "-" * 100
    return (
        f"{rule}\n#{index} {pair['id']}  [{split(pair['id'])}]\n"
        f"CUSTOMER:\n{pair['customer'] or '(no customer message)'}\n\nREPLY:\n{pair['reply']}\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: print the judged sample, a chunk of it, or one pair by id."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", action="store_true", help="print the judged sample")
    parser.add_argument("--tc", type=int, default=SAMPLE_TC, help="twitter-care pairs in the sample (default: all)")
    parser.add_argument("--bitext", type=int, default=SAMPLE_BITEXT, help="Bitext pairs in the sample")
    parser.add_argument("--start", type=int, default=0, help="first sample position to print")
    parser.add_argument("--count", type=int, default=None, help="how many sample positions to print")
    parser.add_argument("--id", action="append", default=[], help="print the pair with this id")
    parser.add_argument("--jsonl", action="store_true", help="print JSON lines (with split) instead of text")
    args = parser.parse_args(argv)

    if args.id:
        wanted = set(args.id)
        chosen = [pair for pair in pairs() if pair["id"] in wanted]
        start = 0
    elif args.sample:
        start = args.start
        stop = None if args.count is None else start + args.count
        chosen = sample(args.tc, args.bitext)[start:stop]
    else:
        parser.print_help()
        return 2
    for offset, pair in enumerate(chosen):
        if args.jsonl:
            print(json.dumps({**pair, "split": split(pair["id"])}, ensure_ascii=False))
        else:
            print(_show(pair, start + offset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
