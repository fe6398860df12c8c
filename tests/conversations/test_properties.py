"""Property: whatever a message says, each agent source holds the message's text exactly, and every
character of it maps back onto the characters that write it in the file, in each layout."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from empathylint.conversations import Message, Role
from empathylint.conversations.formats import read_items
from empathylint.conversations.sources import agent_sources

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Any text but surrogates and NUL (a file with NUL bytes is refused as binary); some of it prose.
TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
                max_size=60).filter(str.strip) | st.sampled_from(['Like I said, "no".', "Ça va?\n\nJust wait…"])
CONVERSATIONS = st.lists(st.tuples(st.sampled_from(["customer", "agent"]), TEXTS), min_size=1, max_size=6)


def sources_of(name: str, data: bytes):
    return list(agent_sources(read_items(name, io.BytesIO(data))))


def check(sources, messages, maps_back) -> None:
    agents = [text for role, text in messages if role == "agent"]
    assert [s.text for s in sources] == agents
    for source in sources:
        maps_back(source)


@PROPERTY
@given(CONVERSATIONS, st.booleans())
def test_twitter_care(json_maps_back, messages, ascii_only):
    assume(not any("&" in text for _, text in messages))  # a tweet's "&amp;" is Twitter's "&" (tested apart)
    content = [{("client" if role == "customer" else "agent"): "who", "datetime": "2020-01-01T00:00:00.000Z",
                "message": text, "tweet_ID": str(i)} for i, (role, text) in enumerate(messages)]
    data = json.dumps([{"dialogHeader": {"sessionID": "s", "company": "Co", "duration": "00:01:00.0",
                                         "conversationDateTime": "2020-01-01T00:00:00.000Z"},
                        "dialogContent": content}], ensure_ascii=ascii_only, indent=1).encode()
    check(sources_of("t.json", data), messages, json_maps_back)


@PROPERTY
@given(CONVERSATIONS, st.booleans())
def test_jsonl(json_maps_back, messages, ascii_only):
    data = "".join(json.dumps({"conversation_id": "c", "role": role, "timestamp": "2024-01-01T00:00:00Z",
                               "text": text}, ensure_ascii=ascii_only) + "\n" for role, text in messages)
    check(sources_of("m.jsonl", data.encode()), messages, json_maps_back)


@PROPERTY
@given(CONVERSATIONS, st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_csv(csv_maps_back, messages, quoting):
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting)  # rows end in CRLF, so a CR in a text is quoted
    writer.writerow(["conversation_id", "role", "timestamp", "text"])
    writer.writerows(["c", role, "2024-01-01T00:00:00Z", text] for role, text in messages)
    check(sources_of("m.csv", out.getvalue().encode()), messages, csv_maps_back)


def test_the_model_keeps_customer_messages_with_their_times():
    data = b'{"conversation_id": "c", "role": "customer", "timestamp": "2024-01-01T00:00:00Z", "text": "Hi"}\n'
    [message] = read_items("m.jsonl", io.BytesIO(data))
    assert isinstance(message, Message) and message.role is Role.CUSTOMER and message.timestamp.year == 2024
