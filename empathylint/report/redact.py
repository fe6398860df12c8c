"""Masking what identifies a customer in quoted text: email addresses, phone numbers, payment card numbers
and order numbers become ``[email]``, ``[phone]``, ``[card]`` and ``[order]``. The report masks every
quoted example and message this way unless ``--no-redact`` is given."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_ORDER = re.compile(r"(?i)(\b(?:order|booking|reservation|invoice|tracking|confirmation|reference|ref)"
                    r"(?:\s+(?:number|no\.?|id|#))?\s*[:#]?\s*)#?([A-Z0-9-]*\d[A-Z0-9-]{3,})\b"
                    r"|#(\d{4,})\b")
_PHONE = re.compile(r"(?<![\w@.:/-])\+?\(?\d[\d \t().-]{5,}\d(?![\w:/-])")
_DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\d?[./-]\d\d?[./-]\d{2,4}")


def redact(text: str) -> str:
    """``text`` with emails, card numbers, order numbers and phone numbers masked."""
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub(lambda m: "[card]" if _luhn(m.group()) else m.group(), text)
    text = _ORDER.sub(lambda m: f"{m.group(1)}[order]" if m.group(1) is not None else "#[order]", text)
    return _PHONE.sub(_phone, text)


def _phone(match: re.Match) -> str:
    digits = sum(c.isdigit() for c in match.group())
    if not 7 <= digits <= 15 or _DATE.fullmatch(match.group().strip()):
        return match.group()
    return "[phone]"


def _luhn(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0
