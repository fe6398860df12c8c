"""Neutral stand-ins for ``{{Placeholder}}`` slots of canned replies (Bitext), so the classifier scores the
prose around them rather than the template syntax."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

# Checked in order; the first keyword found in the slot name (lower-cased) picks the stand-in.
_STAND_INS = (
    ("phone", "555-0100"),
    ("email", "support@example.com"),
    ("url", "example.com"),
    ("website", "our website"),
    ("live chat", "live chat"),
    ("availability", "business hours"),
    ("hours", "business hours"),
    ("days", "three"),
    ("number", "12345"),
    (" id", "12345"),
    ("company", "Example Co"),
    ("name", "Alex"),
    ("amount", "$20"),
    ("date", "Monday"),
)


def stand_in(slot: str) -> str:
    name = " " + slot.lower().replace("anonymized", "").strip()
    for key, value in _STAND_INS:
        if key in name:
            return value
    return slot.replace("Anonymized", "").strip() or "it"


def fill_placeholders(text: str) -> str:
    """``"Call {{Customer Support Phone Number}}"`` -> ``"Call 555-0100"``; other slots become their own
    words (``{{Order History}}`` -> ``Order History``, a UI label)."""
    return PLACEHOLDER.sub(lambda m: stand_in(m.group(1)), text)
