"""The twitter-care layout: conversations with their customer and agent messages, the final agentURL reply
at start + duration, offsets through JSON escapes, and bad records as notices."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from empathylint.conversations import BadRecord, Conversation, Role
from empathylint.conversations.twitter_care import read_twitter_care, reply_time
from empathylint.errors import InputError
from empathylint.source import SourceFile

UTC = timezone.utc


@pytest.fixture()
def items(data_dir):
    path = data_dir / "twitter.json"
    return list(read_twitter_care(SourceFile(str(path), path.read_text(encoding="utf-8"))))


@pytest.fixture()
def conversation(items):
    return lambda session: next(i for i in items if isinstance(i, Conversation) and i.id == session)


def test_messages_keep_role_author_time_and_text_for_customers_too(conversation):
    a = conversation("conv-A")
    assert a.company == "AcmeHelp" and a.channel == "twitter"
    assert [(m.message_id, m.role, m.author) for m in a.messages] == [
        ("110", Role.CUSTOMER, "ana_b"), ("111", Role.CUSTOMER, "ana_b"), ("112", Role.AGENT, "AcmeHelp"),
        ("114", Role.CUSTOMER, "ana_b"), ("113", Role.AGENT, "AcmeHelp")]
    assert a.messages[0].timestamp == datetime(2020, 3, 20, 18, 0, tzinfo=UTC)
    assert a.messages[0].text == "@AcmeHelp my order \"A-17\" never came\nIt's been 3 weeks"
    assert a.messages[1].text == "Still nothing… día 22"


def test_the_final_reply_is_sent_start_plus_duration(conversation):
    final = conversation("conv-A").messages[-1]
    assert final.timestamp == datetime(2020, 3, 20, 18, 0, tzinfo=UTC) + timedelta(minutes=43, seconds=10)
    assert final.text.startswith("@ana_b As I already explained,\u00a0just")


def test_a_negative_duration_counts_as_its_size(conversation):
    # dev.json writes some durations with a minus sign; every such reply came after the conversation began
    final = conversation("conv-B").messages[-1]
    assert final.timestamp == datetime(2020, 3, 21, 10, 0, tzinfo=UTC)


def test_whole_days_the_duration_dropped_come_back_from_the_tweet_id(conversation):
    final = conversation("conv-E").messages[-1]
    assert final.timestamp == datetime(2020, 3, 24, 9, 15, tzinfo=UTC)  # 03:15:00 after the start, 2 days on
    start = datetime(2020, 3, 22, 6, 0, tzinfo=UTC)
    assert reply_time(start, timedelta(hours=3, minutes=15), "42") == start + timedelta(hours=3, minutes=15)


def test_sources_pair_each_agent_message_with_the_customer_messages_it_answers(read, records):
    sources = records(read("twitter.json"))
    first, final = sources["conv-A/112"], sources["conv-A/113"]
    assert first.customer == "@AcmeHelp my order \"A-17\" never came\nIt's been 3 weeks\n\nStill nothing… día 22"
    assert final.customer == "@AcmeHelp done, sent it"
    assert sources["conv-B/210"].customer is None  # the agent wrote first
    assert sources["conv-B/211"].customer is None  # nothing from the customer since
    assert sources["conv-C/314"].customer == "@AcmeHelp where is my refund?"
    assert first.title == "agent AcmeHelp, 2020-03-20 18:20"
    assert final.title == "agent AcmeHelp, 2020-03-20 18:43"


def test_offsets_map_through_escapes_and_non_ascii_onto_the_file(read, records, locate, json_maps_back):
    sources = records(read("twitter.json"))
    final = sources["conv-A/113"]
    json_maps_back(final)
    assert locate(final, "As I already explained") == (6, 38, "As I already explained")
    assert locate(final, "just") == (6, 67, "just")  # after the six-character escape \u00a0
    assert locate(final, "\U0001f642") == (6, 96, "\\ud83d\\ude42")
    assert locate(final, "https") == (6, 109, "https")
    for source in sources.values():
        json_maps_back(source)


def test_html_entities_that_twitter_writes_are_decoded_and_map_onto_the_entity(read, records, locate,
                                                                               json_maps_back):
    reply = records(read("twitter.json"))["conv-B/211"]
    assert reply.text.startswith("@lee_k Here is the Q&A guide you asked for:")
    line = reply.file.line_text(43)
    assert locate(reply, "&") == (43, line.index("&amp;") + 1, "&amp;")
    assert locate(reply, "A guide") == (43, line.index("A guide") + 1, "A guide")
    json_maps_back(reply)


def test_bad_records_are_notices_and_the_rest_is_read(read, items, conversation):
    sources = read("twitter.json")
    notices = {s.record: s.notices for s in sources if s.notices}
    assert notices == {
        "conv-C/311": ["line 53, column 13: a message with no 'client' or 'agent' field (who wrote it); record skipped"],
        "conv-C/312": ["line 54, column 13: a message without a readable 'datetime'; record skipped"],
        "conv-C/313": ["line 55, column 13: a message without a 'message' string; record skipped"],
        "4": ["line 59, column 5: a conversation without dialogHeader.sessionID; record skipped"],
    }
    assert all(not s.text for s in sources if s.notices)
    assert len([s for s in sources if s.text]) == 6
    assert [m.message_id for m in conversation("conv-C").messages] == ["310", "314"]
    assert sum(isinstance(i, BadRecord) for i in items) == 4


def test_a_json_file_in_another_layout_is_an_error_naming_it(tmp_path):
    path = tmp_path / "replies.json"
    path.write_text('[{"text": "Hello"}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"replies.json:1: is not a twitter-care conversation file"):
        list(read_twitter_care(SourceFile(str(path), path.read_text())))


def test_invalid_json_is_an_error_with_its_line(tmp_path):
    with pytest.raises(InputError, match=r"x.json:2: is not valid JSON"):
        list(read_twitter_care(SourceFile("x.json", '[{"dialogHeader":\n  }]')))
