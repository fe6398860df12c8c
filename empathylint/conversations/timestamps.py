"""Reading the times that conversation exports write: ISO 8601 (``2024-03-01T10:15:00Z``), RFC 2822
(``Fri, 01 Mar 2024 10:15:00 +0000``), the Twitter API's ``Fri Mar 01 10:15:00 +0000 2024``, and seconds
(or milliseconds) since 1970. Every result is timezone-aware; a time written without an offset is UTC."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_EPOCH = re.compile(r"-?\d+(?:\.\d+)?")
#: Above this, a number counts milliseconds, not seconds (1e11 seconds is the year 5138).
_MILLISECONDS = 1e11
_DURATION = re.compile(r"(-)?(?:(\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.(\d*))?")


def parse_timestamp(value: object) -> datetime | None:
    """The timezone-aware time ``value`` writes, or None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    parsed = _parse_text(text)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def parse_duration(value: object) -> timedelta | None:
    """``"01:26:55.0"`` (``[-][D days, ]H:MM:SS[.fff]``) as a duration, or None. The sign is returned
    as written; what it means is the caller's to judge."""
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    sign, days, hours, minutes, seconds, fraction = match.groups()
    duration = timedelta(days=int(days or 0), hours=int(hours), minutes=int(minutes), seconds=int(seconds),
                         microseconds=int((fraction or "0")[:6].ljust(6, "0")))
    return -duration if sign else duration


def _from_epoch(seconds: float) -> datetime | None:
    if abs(seconds) >= _MILLISECONDS:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")  # the Twitter API's created_at
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
