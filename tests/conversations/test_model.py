"""The model: roles as exports name them, message names, and the times exports write."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from empathylint.conversations import Conversation, Message, Role
from empathylint.conversations.model import parse_role
from empathylint.conversations.timestamps import parse_duration, parse_timestamp

UTC = timezone.utc


@pytest.mark.parametrize("name, role", [("customer", Role.CUSTOMER), ("Client", Role.CUSTOMER),
                                        ("end-user", Role.CUSTOMER), ("AGENT", Role.AGENT),
                                        ("bot", Role.BOT), ("internal_note", Role.NOTE), (" note ", Role.NOTE)])
def test_roles_as_exports_name_them(name, role):
    assert parse_role(name) is role


def test_an_unknown_role_is_none():
    assert parse_role("manager") is None


def test_a_message_is_named_by_conversation_and_id_and_is_frozen():
    message = Message("c1", "m2", Role.AGENT, "Sam", datetime(2024, 1, 2, 3, 4, tzinfo=UTC), "Hi")
    assert message.record == "c1/m2"
    assert message.tags == () and message.channel is None and message.location is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.text = "changed"  # type: ignore[misc]
    assert Conversation("c1", (message,)).messages[0] is message


@pytest.mark.parametrize("value, expected", [
    ("2020-04-01T17:31:32.000Z", datetime(2020, 4, 1, 17, 31, 32, tzinfo=UTC)),
    ("2024-06-01 10:00:00+02:00", datetime(2024, 6, 1, 8, 0, tzinfo=UTC)),
    ("2024-06-01 10:00", datetime(2024, 6, 1, 10, 0, tzinfo=UTC)),  # no offset: UTC
    ("Tue Oct 31 21:45:10 +0000 2017", datetime(2017, 10, 31, 21, 45, 10, tzinfo=UTC)),
    ("Fri, 01 Mar 2024 10:15:00 +0000", datetime(2024, 3, 1, 10, 15, tzinfo=UTC)),
    (1714555320, datetime(2024, 5, 1, 9, 22, tzinfo=UTC)),
    ("1714555320000", datetime(2024, 5, 1, 9, 22, tzinfo=UTC)),  # milliseconds
])
def test_timestamps_are_timezone_aware(value, expected):
    parsed = parse_timestamp(value)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["tomorrow-ish", "", "2024-13-01", None, True, [1]])
def test_what_is_not_a_time(value):
    assert parse_timestamp(value) is None


def test_durations():
    assert parse_duration("01:26:55.0") == timedelta(hours=1, minutes=26, seconds=55)
    assert parse_duration("-12:14:20.") == -timedelta(hours=12, minutes=14, seconds=20)
    assert parse_duration("2 days, 01:00:00") == timedelta(days=2, hours=1)
    assert parse_duration("soon") is None
