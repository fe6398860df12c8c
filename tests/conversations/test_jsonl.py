"""Messages in JSON Lines: streamed line by line, fields by name (configurable), bad lines as notices."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from empathylint.conversations import BadRecord, Message, MessageFields, Role
from empathylint.conversations.jsonl import read_jsonl_messages
from empathylint.errors import InputError

UTC = timezone.utc


@pytest.fixture()
def messages(data_dir):
    with open(data_dir / "messages.jsonl", "rb") as stream:
        return list(read_jsonl_messages("messages.jsonl", stream))


def test_every_message_keeps_its_fields(messages):
    good = [m for m in messages if isinstance(m, Message)]
    assert [(m.record, m.role, m.author) for m in good] == [
        ("c1/1", Role.CUSTOMER, "Maya"), ("c2/1", Role.CUSTOMER, "Ben"), ("c1/a1", Role.AGENT, "Ola"),
        ("c2/2", Role.BOT, "Helper"), ("c2/5", Role.NOTE, "Ola"), ("c2/6", Role.AGENT, "Ola"),
        ("c3/1", Role.AGENT, "Ola")]
    agent = good[2]
    assert agent.timestamp == datetime(2024, 5, 1, 9, 10, tzinfo=UTC)
    assert (agent.channel, agent.macro_id, agent.tags, agent.status) == ("chat", "billing-7",
                                                                          ("billing", "refund"), "open")
    assert good[0].text == 'My invoice shows "€40" twice.\nPlease fix it.'
    assert good[5].timestamp == datetime(2024, 5, 1, 9, 22, tzinfo=UTC)  # seconds since 1970
    assert good[6].timestamp.utcoffset().total_seconds() == 7200  # its own offset kept


def test_each_message_maps_onto_its_own_line(messages):
    agent = next(m for m in messages if isinstance(m, Message) and m.message_id == "a1")
    assert agent.location.file.line_base == 2 and agent.location.file.text.startswith('{"conversation_id": "c1"')


def test_bad_lines_are_notices_and_the_rest_is_read(messages):
    bad = [m for m in messages if isinstance(m, BadRecord)]
    assert [(b.record, b.notice) for b in bad] == [
        ("4", "line 4, column 35: not valid JSON: the JSON ends where a value was expected; record skipped"),
        ("c1/3", "line 5, column 35: unknown role 'manager' (expected one of customer, agent, bot, note); "
                 "record skipped"),
        ("c2/3", "line 7, column 74: 'tomorrow-ish' is not a date and time (write ISO 8601, such as "
                 "2024-03-01T10:15:00Z); record skipped"),
        ("c2/4", "line 8, column 1: no field 'text'; record skipped")]


def test_field_names_are_configurable():
    data = (b'{"ticket": 7, "from": "end-user", "who": {"name": "Ann"}, "at": "2024-01-01T00:00:00Z", '
            b'"body": "Hi", "id": "x9"}\n')
    fields = MessageFields(conversation="ticket", role="from", author="who.name", timestamp="at", text="body",
                           message_id="id")
    [message] = read_jsonl_messages("t.jsonl", io.BytesIO(data), fields)
    assert (message.record, message.role, message.author, message.text) == ("7/x9", Role.CUSTOMER, "Ann", "Hi")


def test_a_file_in_another_layout_is_an_error_naming_it():
    data = b'{"text": "Like I said, no."}\n'
    with pytest.raises(InputError, match=r"^replies.jsonl:1: is not a conversation export \(one message per "
                       r"line\): its first record has no field 'conversation_id' \(text\); name it with "
                       r"--conversation-field$"):
        list(read_jsonl_messages("replies.jsonl", io.BytesIO(data)))


def test_sources_map_back_through_escapes_onto_their_lines(read, records, locate, json_maps_back):
    sources = records(read("messages.jsonl", "conversations"))
    reply = sources["c1/a1"]
    assert reply.customer == 'My invoice shows "€40" twice.\nPlease fix it.'
    assert locate(reply, "As I already explained") == (3, 262, "As I already explained")  # after \n\n and \"
    assert locate(sources["c2/6"], "Plan.") == (11, 161, "Plan.")  # after the non-ASCII ›
    for source in sources.values():
        json_maps_back(source)


def test_read_a_line_at_a_time():
    def endless():
        while True:
            yield b'{"conversation_id": "c", "role": "agent", "timestamp": "2024-01-01T00:00:00Z", "text": "Hi"}\n'

    assert next(read_jsonl_messages("endless.jsonl", endless())).text == "Hi"
