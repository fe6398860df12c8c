"""Time promises read from agent messages, and when they fall due."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from empathylint.conversations.promises import find_promises
from empathylint.conversations.waits import BusinessHours, parse_duration_spec

MON_0930 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, due", [
    ("I'll get back to you within 2 hours.", datetime(2026, 3, 2, 11, 30)),
    ("I will call you back before 5 pm.", datetime(2026, 3, 2, 17, 0)),
    ("We'll have it fixed by Friday!", datetime(2026, 3, 6, 23, 59, 59)),
    ("You will receive the refund tomorrow.", datetime(2026, 3, 3, 23, 59, 59)),
    ("Expect a reply within 24 hours.", datetime(2026, 3, 3, 9, 30)),
    ("We will refund you within 3 business days.", datetime(2026, 3, 5, 23, 59, 59)),
    ("I'll update you by the end of the day.", datetime(2026, 3, 2, 23, 59, 59)),
    ("I'll call you at 9 am tomorrow.", datetime(2026, 3, 3, 9, 0)),
])
def test_promises_fall_due(text, due):
    (promise,) = find_promises(text, MON_0930)
    assert promise.deadline == due.replace(tzinfo=timezone.utc)
    assert text[promise.start:promise.end] == promise.text


@pytest.mark.parametrize("text", ["We are open until 5 pm.", "The sale ends Friday.", "Thanks for writing in!",
                                  "Please reply within 2 days."])
def test_no_commitment_no_promise(text):
    assert find_promises(text, MON_0930) == []


def test_business_hours_and_durations():
    hours = BusinessHours.parse("Mon-Fri 09:00-17:00")
    friday_4pm = datetime(2026, 3, 6, 16, 0, tzinfo=timezone.utc)
    monday_10am = datetime(2026, 3, 9, 10, 0, tzinfo=timezone.utc)
    assert hours.seconds_between(friday_4pm, monday_10am) == 2 * 3600
    assert parse_duration_spec("90m") == 5400 and parse_duration_spec("1d") == 86400
    with pytest.raises(ValueError, match="Mon-Fri"):
        BusinessHours.parse("weekdays")
