"""How long the customer waited: for the first response and for every reply, from the first customer
message an agent had not yet answered to the next agent message, in wall-clock time or in business hours.

    hours = BusinessHours.parse("Mon-Fri 09:00-17:00", "Europe/Berlin")
    [w.seconds for w in waits(conversation, hours)]   # each reply's wait, business seconds

Bots do not answer (an auto-acknowledgement is no response) and internal notes are never seen by the
customer: only an agent message ends a wait.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .model import Conversation, Message, Role

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"\s*(?P<d1>[a-z]{3})[a-z]*(?:\s*-\s*(?P<d2>[a-z]{3})[a-z]*)?\s+"
                    r"(?P<h1>\d{1,2}):(?P<m1>\d\d)\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d\d)\s*", re.I)


@dataclass(frozen=True)
class BusinessHours:
    """Opening hours: the same span on each listed weekday (0 Monday), in a time zone."""

    days: frozenset[int]
    opens: time
    closes: time
    zone: tzinfo = timezone.utc

    @classmethod
    def parse(cls, spec: str, zone: str | None = None) -> "BusinessHours":
        """``"Mon-Fri 09:00-17:00"``; `ValueError` saying what to write otherwise."""
        match = _HOURS.fullmatch(spec)
        if not match or match["d1"].lower() not in _DAYS or (match["d2"] and match["d2"].lower() not in _DAYS):
            raise ValueError(f"business hours '{spec}': write days and hours such as 'Mon-Fri 09:00-17:00'")
        first = _DAYS.index(match["d1"].lower())
        last = _DAYS.index(match["d2"].lower()) if match["d2"] else first
        days = frozenset((first + i) % 7 for i in range((last - first) % 7 + 1))
        opens, closes = time(int(match["h1"]), int(match["m1"])), time(int(match["h2"]), int(match["m2"]))
        if closes <= opens:
            raise ValueError(f"business hours '{spec}': the closing time must come after the opening time")
        return cls(days, opens, closes, ZoneInfo(zone) if zone else timezone.utc)

    def seconds_between(self, start: datetime, end: datetime) -> float:
        """Business seconds from ``start`` to ``end`` (0 when ``end`` is not later)."""
        if end <= start:
            return 0.0
        start, end = start.astimezone(self.zone), end.astimezone(self.zone)
        total = 0.0
        day = start.date()
        while day <= end.date():
            if day.weekday() in self.days:
                opens = datetime.combine(day, self.opens, self.zone)
                closes = datetime.combine(day, self.closes, self.zone)
                lo, hi = max(opens, start), min(closes, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total


@dataclass(frozen=True)
class Wait:
    """One wait: from ``asked`` (the first unanswered customer message) to ``answer`` (an agent message),
    ``seconds`` long (business seconds with business hours); ``first`` for the conversation's first response."""

    asked: Message
    answer: Message
    seconds: float
    first: bool


def waits(conversation: Conversation, hours: BusinessHours | None = None) -> list[Wait]:
    """Every wait of a conversation, in order."""
    out: list[Wait] = []
    asked: Message | None = None
    answered = False
    for message in conversation.messages:
        if message.role is Role.CUSTOMER and asked is None:
            asked = message
        elif message.role is Role.AGENT:
            if asked is not None:
                out.append(Wait(asked, message, elapsed(asked.timestamp, message.timestamp, hours), not answered))
                asked = None
            answered = True
    return out


def elapsed(start: datetime, end: datetime, hours: BusinessHours | None = None) -> float:
    """Seconds from ``start`` to ``end``, counting business hours only when ``hours`` is given."""
    if hours is not None:
        return hours.seconds_between(start, end)
    return max(0.0, (end - start).total_seconds())


def parse_duration_spec(spec: str) -> float:
    """``"90m"``, ``"4h"``, ``"1d"``, ``"3600"`` (seconds) as seconds; `ValueError` otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", spec.lower())
    if not match:
        raise ValueError(f"'{spec}' is not a duration: write 90m, 4h, 1d or a number of seconds")
    return float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
