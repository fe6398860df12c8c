"""Telling the layout of a file, and reading whole conversations for reports."""

from __future__ import annotations

import io

from empathylint.conversations import BadRecord, Conversation, Role, group_conversations, read_conversations
from empathylint.conversations.formats import read_items


def test_read_conversations_gathers_interleaved_messages(data_dir):
    items = list(read_conversations(data_dir / "messages.jsonl"))
    bad = [i for i in items if isinstance(i, BadRecord)]
    conversations = [i for i in items if isinstance(i, Conversation)]
    assert len(bad) == 4 and items[:4] == bad  # notices first, as they are read
    assert [(c.id, [m.role.value for m in c.messages]) for c in conversations] == [
        ("c1", ["customer", "agent"]), ("c2", ["customer", "bot", "note", "agent"]), ("c3", ["agent"])]
    assert conversations[0].channel is None and conversations[1].messages[0].author == "Ben"


def test_twitter_care_conversations_come_whole(data_dir):
    conversations = [c for c in read_conversations(data_dir / "twitter.json") if isinstance(c, Conversation)]
    assert [c.id for c in conversations] == ["conv-A", "conv-B", "conv-C", "conv-E"]
    assert conversations[0].messages[-1].role is Role.AGENT


def test_without_an_extension_the_first_character_tells(data_dir):
    twitter = b"\n  " + (data_dir / "twitter.json").read_bytes()
    assert isinstance(next(read_items("<stdin>", io.BytesIO(twitter))), Conversation)
    jsonl = b"\n" + (data_dir / "messages.jsonl").read_bytes()
    first = next(read_items("<stdin>", io.BytesIO(jsonl)))
    assert first.record == "c1/1" and first.location.file.line_base == 1  # the blank line counted
    csv = (data_dir / "messages.csv").read_bytes()
    first = next(read_items("<stdin>", io.BytesIO(csv)))
    assert first.record == "t1/1" and first.location.file.line_base == 1 and first.role is Role.CUSTOMER


def test_group_conversations_of_an_empty_stream():
    assert list(group_conversations([])) == []


def test_the_package_docstring_example(monkeypatch):
    import doctest
    from pathlib import Path

    import empathylint.conversations

    monkeypatch.chdir(Path(__file__).parents[2])
    assert doctest.testmod(empathylint.conversations).failed == 0
