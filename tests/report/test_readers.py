"""The report's conversation readers: every layout, and bad records as notices while the rest goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from empathylint.conversations import BadRecord, Conversation, Role
from empathylint.conversations.exports import detect_layout, read_export

DATA = Path(__file__).parent / "data"


def read(name: str, **kw) -> tuple[list[Conversation], list[BadRecord]]:
    items = list(read_export(DATA / name, **kw))
    return [i for i in items if isinstance(i, Conversation)], [i for i in items if isinstance(i, BadRecord)]


def test_layouts_are_told_by_their_first_bytes():
    assert [detect_layout(str(DATA / n)) for n in ("threads.jsonl", "zendesk.json", "tweets.csv")] == \
        ["jsonl", "zendesk", "tweets"]


def test_jsonl_messages_keep_roles_channel_macro_and_notes():
    conversations, bad = read("threads.jsonl")
    assert not bad and [c.id for c in conversations] == ["t1", "t2", "t3"]
    t1 = conversations[0]
    assert [m.role for m in t1.messages][:3] == [Role.CUSTOMER, Role.BOT, Role.AGENT]
    assert Role.NOTE in {m.role for m in t1.messages}
    assert t1.messages[4].macro_id == "billing-elsewhere" and t1.channel == "email"


def test_bad_jsonl_records_are_notices_naming_file_and_record():
    conversations, bad = read("bad.jsonl")
    assert [m.message_id for m in conversations[0].messages] == ["m1", "m4"]
    notices = [b.notice for b in bad]
    assert len(bad) == 3
    assert "unknown role 'boss'" in notices[0] and bad[0].record == "b1/m2" and bad[0].file.path.endswith("bad.jsonl")
    assert notices[1].startswith("line 3")
    assert "not a date and time" in notices[2] and bad[2].record == "b1/m3"


def test_zendesk_tickets_with_comments():
    conversations, bad = read("zendesk.json")
    ticket = conversations[0]
    assert ticket.id == "101" and ticket.channel == "email"
    assert [m.role for m in ticket.messages] == [Role.CUSTOMER, Role.BOT, Role.NOTE, Role.AGENT]
    assert ticket.messages[3].macro_id == "777" and ticket.messages[3].tags == ("refund", "billing")
    assert ticket.messages[3].status == "solved"
    assert [c.id for c in conversations] == ["101", "103"]
    assert len(bad) == 2
    assert "'created_at' 'not a date'" in bad[0].notice and bad[0].record == "101/5"
    assert "without an 'id'" in bad[1].notice and "ticket 2" in bad[1].notice


def test_tweets_are_threaded_by_reply_links():
    conversations, bad = read("tweets.csv")
    by_id = {c.id: c for c in conversations}
    assert set(by_id) == {"1", "10"}
    assert [m.message_id for m in by_id["1"].messages] == ["1", "2", "3", "4"]
    assert [m.role for m in by_id["1"].messages] == [Role.CUSTOMER, Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert len(bad) == 1 and bad[0].notice.startswith("line 8") and "'inbound' 'maybe'" in bad[0].notice


def test_twitter_care_is_read_as_conversations():
    conversations, bad = read("../../conversations/data/twitter.json")
    assert conversations and all(c.channel == "twitter" for c in conversations)


def test_open_conversations_are_bounded(tmp_path):
    lines = [f'{{"conversation_id": "c{i % 3}", "role": "customer", "timestamp": "2026-01-01T00:0{i}:00Z", '
             f'"text": "m{i}"}}' for i in range(6)]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(lines) + "\n")
    conversations, bad = read(str(path), open_limit=1)
    # with one conversation open, a conversation's later message is a notice, never a second conversation
    assert [c.id for c in conversations] == ["c0", "c1", "c2"]
    assert len(bad) == 2 and "--open-conversations" in bad[0].notice  # c0 and c1 came back; c2 was open


def test_zendesk_json_lines_are_read_a_ticket_at_a_time():
    conversations, bad = read("zendesk.jsonl", layout="zendesk")
    assert [c.id for c in conversations] == ["101", "103"]
    assert [b.notice.split(":")[0].split(",")[0] for b in bad] == ["line 1", "line 2", "line 4"]
    assert "not JSON" in bad[-1].notice


def test_the_ids_handed_on_are_remembered_for_a_bounded_stretch(tmp_path, monkeypatch):
    from empathylint.conversations import exports

    monkeypatch.setattr(exports, "CLOSED_MEMORY", 2)
    order = [0, 1, 2, 3, 2, 0]  # one open, two remembered: c2 comes back while remembered, c0 once forgotten
    lines = [f'{{"conversation_id": "c{c}", "role": "customer", "timestamp": "2026-01-01T00:0{i}:00Z", '
             f'"text": "m{i}"}}' for i, c in enumerate(order)]
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(lines) + "\n")
    conversations, bad = read(str(path), open_limit=1)
    assert [c.id for c in conversations] == ["c0", "c1", "c2", "c3", "c0"]
    assert len(bad) == 1 and "conversation c2 comes after" in bad[0].notice


@pytest.mark.parametrize("block", [5, None])
def test_a_zendesk_document_is_read_a_ticket_at_a_time(tmp_path, monkeypatch, block):
    from empathylint.conversations import json_array

    if block:
        monkeypatch.setattr(json_array, "BLOCK", block)
    ticket = {"id": 7, "requester_id": 1, "comments": [
        {"id": 1, "author_id": 1, "created_at": "2026-01-01T09:00:00Z", "body": 'Where is my parcel? {"}, ]'},
        {"id": 2, "author_id": 2, "created_at": "2026-01-01T10:00:00Z", "body": "On its way."}]}
    text = ('{"count": 3, "meta": {"tickets": "not this"}, "tickets": [\n' + json.dumps(ticket)
            + ',\n {"id": 8, "comments": [}],\n ' + json.dumps(dict(ticket, id=9)) + '], "next_page": null}')
    path = tmp_path / "export.json"
    path.write_text(text)
    conversations, bad = read(str(path), layout="zendesk")
    assert [c.id for c in conversations] == ["7", "9"]
    assert conversations[0].messages[0].text == 'Where is my parcel? {"}, ]'
    assert [(b.record, b.notice.split(": ")[0]) for b in bad] == [("2", "line 3, column 25")]  # the "}"
    path.write_text(json.dumps([ticket, dict(ticket, id=9)], indent=2))
    assert [c.id for c in read(str(path), layout="zendesk")[0]] == ["7", "9"]


@settings(deadline=None, max_examples=60)
@given(st.lists(st.sampled_from(["root", "reply", "orphan"]), min_size=1, max_size=25), st.randoms(
    use_true_random=False))
def test_tweets_are_threaded_by_their_reply_links_in_any_row_order(kinds, rng):
    import io

    from empathylint.conversations.tweets import read_tweets

    parents: dict[int, int | None] = {}
    for n, kind in enumerate(kinds, start=10):
        earlier = [t for t in parents]
        parents[n] = (rng.choice(earlier) if kind == "reply" and earlier else 1000 + n if kind == "orphan" else None)

    def root(t: int) -> int:
        while parents.get(t) is not None:
            t = parents[t]
        return t

    rows = list(parents.items())
    rng.shuffle(rows)
    text = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n" + "".join(
        f"{t},a,True,2017-10-31 22:{t % 60:02d}:00+00:00,hi {t},,{'' if p is None else p}\n" for t, p in rows)
    found = list(read_tweets("t.csv", lambda: io.BytesIO(text.encode())))
    threads = {c.id: sorted(int(m.message_id) for m in c.messages) for c in found}
    expected: dict[str, list[int]] = {}
    for t in parents:
        expected.setdefault(str(root(t)), []).append(t)
    assert threads == {k: sorted(v) for k, v in expected.items()}


def test_messages_without_ids_are_numbered_with_a_bounded_memory():
    import io

    from empathylint.conversations.jsonl import read_jsonl_messages

    order = ["a", "a", "b", "a", "c", "d", "a"]  # "a" is written to again after c and d pushed it out
    lines = "".join(f'{{"conversation_id": "{c}", "role": "customer", "timestamp": "2026-01-01T00:0{i}:00Z", '
                    f'"text": "m{i}"}}\n' for i, c in enumerate(order))
    messages = list(read_jsonl_messages("x.jsonl", io.BytesIO(lines.encode()), counted=2))
    assert [m.record for m in messages] == ["a/1", "a/2", "b/1", "a/3", "c/1", "d/1", "a/1"]
