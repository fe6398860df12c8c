"""Which customer messages each agent message answers, and how its source is named."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from empathylint.conversations import Conversation, Message, Role, agent_sources, conversation_sources
from empathylint.conversations.sources import title_of

START = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def message(conversation: str, number: int, role: Role, text: str, author: str | None = "Sam") -> Message:
    return Message(conversation, f"m{number}", role, author, START + timedelta(minutes=number), text)


def contexts(items) -> list[tuple[str, str | None]]:
    return [(s.record, s.customer) for s in agent_sources(items)]


def test_each_agent_message_answers_the_customer_messages_since_the_last_one():
    conversation = Conversation("c", (
        message("c", 1, Role.CUSTOMER, "First."), message("c", 2, Role.CUSTOMER, "Second."),
        message("c", 3, Role.AGENT, "Reply one."), message("c", 4, Role.AGENT, "Reply two."),
        message("c", 5, Role.CUSTOMER, "Third."), message("c", 6, Role.AGENT, "Reply three.")))
    assert [(s.record, s.customer, s.text) for s in conversation_sources(conversation)] == [
        ("c/m3", "First.\n\nSecond.", "Reply one."), ("c/m4", None, "Reply two."),
        ("c/m6", "Third.", "Reply three.")]


def test_bots_and_notes_are_not_linted_and_do_not_end_the_customer_turn():
    assert contexts([Conversation("c", (
        message("c", 1, Role.CUSTOMER, "Help."), message("c", 2, Role.BOT, "A human will answer."),
        message("c", 3, Role.NOTE, "VIP."), message("c", 4, Role.CUSTOMER, "Hello?"),
        message("c", 5, Role.AGENT, "Here now.")))]) == [("c/m5", "Help.\n\nHello?")]


def test_a_reply_with_no_customer_message_before_it_has_no_context():
    assert contexts([Conversation("c", (message("c", 1, Role.AGENT, "Checking in."),))]) == [("c/m1", None)]


def test_interleaved_conversations_in_a_message_stream_keep_apart():
    stream = [message("a", 1, Role.CUSTOMER, "A asks."), message("b", 2, Role.CUSTOMER, "B asks."),
              message("b", 3, Role.AGENT, "B answered."), message("a", 4, Role.CUSTOMER, "A again."),
              message("a", 5, Role.AGENT, "A answered.")]
    assert contexts(stream) == [("b/m3", "B asks."), ("a/m5", "A asks.\n\nA again.")]


def test_a_conversation_ending_with_the_customer_does_not_leak_into_the_next_with_its_id():
    first = Conversation("c", (message("c", 1, Role.CUSTOMER, "Unanswered."),))
    second = Conversation("c", (message("c", 2, Role.AGENT, "New thread."),))
    assert contexts([first, second]) == [("c/m2", None)]


def test_titles_say_role_author_and_time_in_the_messages_own_zone():
    plus_two = timezone(timedelta(hours=2))
    reply = Message("c", "9", Role.AGENT, "RockstarSupport", datetime(2020, 3, 20, 18, 43, 59, tzinfo=plus_two), "x")
    assert title_of(reply) == "agent RockstarSupport, 2020-03-20 18:43"
    assert title_of(message("c", 1, Role.AGENT, "x", author=None)) == "agent, 2024-03-01 09:01"


def test_a_message_not_read_from_a_file_is_linted_as_its_text():
    [source] = conversation_sources(Conversation("c", (message("c", 1, Role.AGENT, "Like I said, no."),)))
    assert (source.text, source.path, source.record, source.title) == ("Like I said, no.", "<text>", "c/m1",
                                                                       "agent Sam, 2024-03-01 09:01")
