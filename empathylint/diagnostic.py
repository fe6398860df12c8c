"""What the linter reports: a `Diagnostic` with a rule's identity, a span and a better wording."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, replace
from typing import Any


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r}: use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Fix:
    """A mechanical rewrite: replace ``[start, end)`` with ``replacement``.

    ``safe`` fixes may be applied without a human reading them (``check --fix``).
    """

    start: int
    end: int
    replacement: str
    safe: bool = False


@dataclass(frozen=True)
class Diagnostic:
    """One finding. ``start``/``end`` are character (code point) offsets into the original file's text and
    ``text`` is what they cover; ``line``/``column`` are 1-based and ``end_column`` is exclusive. They point
    into the original file even when the reply was extracted from HTML, an email or a template."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]
    start: int
    end: int
    text: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    path: str | None = None
    record: str | None = None
    title: str | None = None
    fix: Fix | None = None
    reason: str = ""
    source: str = "rule"  # "rule", "check" or "model"
    score: float | None = None  # the model's probability (a model finding, or a rule's finding it agrees with)

    def with_(self, **changes: Any) -> "Diagnostic":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (schema ``empathylint/schemas/output-v2.json``)."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["suggestions"] = list(self.suggestions)
        return data
