"""Messages in CSV: read a record at a time (quoted fields over several lines), quotes mapped exactly,
bad rows as notices, a header without the layout's columns an error."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest

from empathylint.conversations import BadRecord, Message, MessageFields, Role
from empathylint.conversations.csv_reader import read_csv_messages
from empathylint.errors import InputError

UTC = timezone.utc


@pytest.fixture()
def messages(data_dir):
    with open(data_dir / "messages.csv", "rb") as stream:
        return list(read_csv_messages("messages.csv", stream))


def test_rows_become_messages(messages):
    good = [m for m in messages if isinstance(m, Message)]
    assert [(m.record, m.role, m.author) for m in good] == [
        ("t1/1", Role.CUSTOMER, "Kim"), ("t1/2", Role.AGENT, "Ravi"), ("t1/3", Role.CUSTOMER, "Kim"),
        ("t2/1", Role.AGENT, "Ravi")]
    assert good[0].text == 'The courier left my parcel "at the door" and it\'s gone.'
    assert good[1].text == "Hi Kim,\r\nI understand. Per my last email, the parcel was delivered."
    assert good[1].tags == ("delivery", "lost")
    assert good[1].timestamp == datetime(2024, 6, 1, 8, 30, tzinfo=UTC)
    assert good[1].location.file.line_base == 2  # the record starts on the file's third line


def test_bad_rows_are_notices(messages):
    bad = [m for m in messages if isinstance(m, BadRecord)]
    assert [(b.record, b.notice) for b in bad] == [
        ("t1/4", "line 6, column 6: unknown role 'robot' (expected one of customer, agent, bot, note); "
                 "record skipped"),
        ("t1/5", "line 7, column 17: 'not a date' is not a date and time (write ISO 8601, such as "
                 "2024-03-01T10:15:00Z); record skipped"),
        ("t2/2", "line 10, column 50: the row has 8 fields but the header names 7 (quote a field that holds "
                 "the delimiter); record skipped")]


def test_a_quote_never_closed_is_a_notice_and_ends_the_file():
    data = (b"conversation_id,role,timestamp,text\n"
            b"c,agent,2024-01-01T00:00:00Z,fine\n"
            b'c,agent,2024-01-01T00:00:00Z,"never closed\n'
            b"more\n")
    *messages, last = read_csv_messages("x.csv", io.BytesIO(data))
    assert [m.text for m in messages] == ["fine"]
    assert isinstance(last, BadRecord) and last.notice.startswith("line 3, column 1: a quoted field is never closed")


def test_tab_separated_with_other_column_names():
    data = "Ticket\tFrom\tSent\tBody\nk1\tclient\t2024-01-01T00:00:00Z\tHola, ¿qué tal?\n".encode()
    fields = MessageFields(conversation="ticket", role="from", timestamp="sent", text="body")  # case-insensitive
    [message] = read_csv_messages("x.tsv", io.BytesIO(data), fields)
    assert (message.record, message.role, message.author, message.text) == ("k1/1", Role.CUSTOMER, None,
                                                                            "Hola, ¿qué tal?")


def test_a_header_without_the_layout_is_an_error_naming_the_file():
    data = b"instruction,response\nhi,Like I said, no.\n"
    with pytest.raises(InputError, match=r"^bitext.csv:1: is not a conversation export \(one message per "
                       r"row\): the header has no column 'conversation_id' \(instruction, response\); name it with "
                       r"--conversation-field$"):
        list(read_csv_messages("bitext.csv", io.BytesIO(data)))
    with pytest.raises(InputError, match="is empty"):
        list(read_csv_messages("empty.csv", io.BytesIO(b"")))


def test_sources_and_messages_map_back_onto_the_file(read, records, locate, csv_maps_back, messages):
    sources = records(read("messages.csv", "conversations"))
    assert sources["t1/2"].customer == 'The courier left my parcel "at the door" and it\'s gone.'
    assert locate(sources["t1/2"], "Per my last email") == (4, 15, "Per my last email")
    assert locate(sources["t2/1"], "Thanks") == (9, 64, "Thanks")  # after the non-ASCII é
    for source in sources.values():
        csv_maps_back(source)
    customer = messages[0].location.extract()
    start = customer.text.index('"at the door"')
    file = messages[0].location.file
    at = file.text[customer.offsets.to_original(start):customer.offsets.to_original_end(start + 13)]
    assert at == '""at the door"'  # each quote is a copy of the first of its doubled pair


def test_read_a_record_at_a_time():
    def endless():
        yield b"conversation_id,role,timestamp,text\n"
        while True:
            yield b'c,agent,2024-01-01T00:00:00Z,"Hi,\n'
            yield b'there"\n'

    messages = read_csv_messages("endless.csv", endless())
    assert [next(messages).text for _ in range(2)] == ["Hi,\nthere", "Hi,\nthere"]
