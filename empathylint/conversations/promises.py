"""Time promises in agent messages: "I'll call you back before 5 pm", "within 24 hours", "by Friday",
"tomorrow", "by the end of the day", and when they fall due, read in the message's own time zone.

    promise = find_promises("I'll get back to you within 2 hours.", sent)[0]
    promise.deadline  # sent + 2 hours

A promise is a first-person commitment ("I'll", "we will", "you'll hear from us", "expect …") that names a
time; "we're open until 5 pm" or "the sale ends Friday" commits to nothing. Business days skip weekends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty-four": 24, "forty-eight": 48, "couple": 2,
            "a couple of": 2, "few": 3, "a few": 3}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UNITS = {"minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400, "week": 7 * 86400}
_END_OF_DAY = time(23, 59, 59)

_COMMIT = re.compile(
    r"\b(?:i|we)\s*(?:'ll|’ll|\s+will|\s+shall|'re going to|\s+are going to|\s+am going to|'m going to|\s+aim to"
    r"|\s+promise to|\s+expect to)\b"
    r"|\byou(?:'ll|’ll|\s+will|\s+should)\s+(?:\w+\s+){0,2}(?:receive|hear|get|see|have)\b"
    r"|\b(?:expect|should arrive|will arrive|will be (?:sent|processed|refunded|fixed|resolved|back|ready))\b",
    re.I)
_NUMBER = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty-four|forty-eight" \
          r"|(?:a\s+)?couple(?:\s+of)?|(?:a\s+)?few)"
_SPAN = re.compile(rf"\b(?:within|in|in the next|over the next)\s+(?:the\s+next\s+)?{_NUMBER}\s+"
                   r"(business\s+|working\s+)?(minute|min|hour|hr|day|week)s?\b", re.I)
_CLOCK = re.compile(r"\b(?:before|by|until|at)\s+(\d{1,2})(?::(\d\d))?\s*(am|pm|a\.m\.|p\.m\.)"
                    r"(?:\s+(today|tonight|tomorrow))?", re.I)
_WEEKDAY = re.compile(r"\b(?:by|before|on|this|next|until)\s+(?:this\s+|next\s+)?"
                      r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_TOMORROW = re.compile(r"\b(?:by\s+|before\s+)?tomorrow(?:\s+(morning|afternoon|evening|night))?\b", re.I)
_TODAY = re.compile(r"\b(?:by|before)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+|to)?day|eod|close\s+of\s+business|cob)\b"
                    r"|\b(?:later\s+)?today\b|\btonight\b", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True)
class Promise:
    """A time an agent message commits to: the words (``text``, at ``start``…``end`` of the message) and
    the moment it falls due."""

    text: str
    start: int
    end: int
    deadline: datetime


def find_promises(text: str, sent: datetime) -> list[Promise]:
    """The time promises of an agent message sent at ``sent`` (timezone-aware), one per sentence at most."""
    found: list[Promise] = []
    for sentence in _SENTENCE.finditer(text):
        words = sentence.group()
        if not _COMMIT.search(words):
            continue
        promise = _first_deadline(words, sent)
        if promise is not None:
            phrase, start, end, deadline = promise
            offset = sentence.start()
            found.append(Promise(phrase, offset + start, offset + end, deadline))
    return found


def _first_deadline(words: str, sent: datetime) -> tuple[str, int, int, datetime] | None:
    candidates: list[tuple[int, int, datetime]] = []
    for m in _SPAN.finditer(words):
        count = _count(m[1])
        unit = m[3].lower()
        if m[2] and unit == "day":
            deadline = _add_business_days(sent, count)
        else:
            deadline = sent + timedelta(seconds=count * _UNITS[unit])
        candidates.append((m.start(), m.end(), deadline))
    for m in _CLOCK.finditer(words):
        hour = int(m[1]) % 12 + (12 if m[3].lower().startswith("p") else 0)
        minute = int(m[2] or 0)
        if hour > 23 or minute > 59:
            continue
        day = sent.date() + timedelta(days=1 if (m[4] or "").lower() == "tomorrow" else 0)
        deadline = datetime.combine(day, time(hour, minute), sent.tzinfo)
        if deadline <= sent and not m[4]:
            deadline += timedelta(days=1)  # "by 9 am" written at 6 pm: the next morning
        candidates.append((m.start(), m.end(), deadline))
    for m in _WEEKDAY.finditer(words):
        ahead = (_WEEKDAYS.index(m[1].lower()) - sent.weekday()) % 7
        if "next" in m.group().lower() and ahead == 0:
            ahead = 7
        candidates.append((m.start(), m.end(), _end_of(sent, ahead)))
    for m in _TOMORROW.finditer(words):
        part = (m[1] or "").lower()
        at = {"morning": time(12, 0), "afternoon": time(17, 0)}.get(part, _END_OF_DAY)
        candidates.append((m.start(), m.end(), datetime.combine(sent.date() + timedelta(days=1), at, sent.tzinfo)))
    for m in _TODAY.finditer(words):
        candidates.append((m.start(), m.end(), _end_of(sent, 0)))
    if not candidates:
        return None
    start, end, deadline = min(candidates, key=lambda c: c[0])
    return words[start:end].strip(), start, end, deadline


def _count(word: str) -> int:
    word = " ".join(word.lower().split())
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _end_of(sent: datetime, days_ahead: int) -> datetime:
    return datetime.combine(sent.date() + timedelta(days=days_ahead), _END_OF_DAY, sent.tzinfo)


def _add_business_days(sent: datetime, days: int) -> datetime:
    day = sent
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return _end_of(day, 0)
