"""The formatter interface: a formatter receives results as they are produced (so output streams) and
a summary at the end. One module per output format; each registers itself by name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, TextIO

from ..diagnostic import Severity
from ..errors import InputError

if TYPE_CHECKING:
    from ..linter import LintResult
    from ..rules.registry import RuleSet


# A file name that is not valid UTF-8 arrives from the file system with each bad byte as a lone surrogate
# (PEP 383), which UTF-8 cannot carry: written out it is an encoding error, or (on a surrogate-escaped
# stdout) a stray byte. Every format shows such a byte as U+FFFD; only SARIF's URIs keep it, percent-escaped.
_SURROGATES = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, so that it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", text)


# What a file holds that a terminal (or a CI log) would obey rather than show: C0 and C1 controls but tab and
# line feed (ESC starts an escape sequence, CR and backspace overwrite what was printed), DEL, the bidi
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: an unclosed one reorders the rest of the
# line, so what is shown is not what the file says, the "Trojan Source" trick), and the lone surrogates of a
# file name that is not UTF-8. Each becomes one U+FFFD, so columns still count one per character.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown(text: str) -> str:
    """``text`` with what a terminal would obey instead of print as U+FFFD (and so well formed)."""
    return _UNPRINTABLE.sub("\ufffd", text)


@dataclass
class Summary:
    """Counts over a whole run."""

    files: set[str] = field(default_factory=set)
    sources: int = 0
    by_severity: Counter = field(default_factory=Counter)
    by_code: Counter = field(default_factory=Counter)
    errors: int = 0

    def add(self, result: "LintResult") -> None:
        self.files.add(result.source.path)
        self.sources += 1
        for d in result.diagnostics:
            self.by_severity[str(d.severity)] += 1
            self.by_code[(d.code, d.name)] += 1
        if result.error:
            self.errors += 1

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    def at_least(self, severity: Severity) -> int:
        return sum(n for name, n in self.by_severity.items() if Severity.parse(name) >= severity)


@dataclass(frozen=True)
class FormatOptions:
    color: bool = False
    show_source: bool = True
    statistics: bool = False
    quiet: bool = False


class Formatter:
    """Write ``start``, then ``result``/``error`` as they come, then ``finish``."""

    name = ""

    def __init__(self, out: TextIO, rules: "RuleSet", options: FormatOptions = FormatOptions()) -> None:
        self.out = out
        self.rules = rules
        self.options = options

    def start(self) -> None:
        """Called once before any result."""

    def result(self, result: "LintResult") -> None:
        raise NotImplementedError

    def error(self, error: InputError) -> None:
        """A file that could not be read at all (a source-level error arrives inside its result)."""

    def finish(self, summary: Summary) -> None:
        """Called once after the last result."""


FORMATTERS: dict[str, type[Formatter]] = {}


def register_formatter(name: str) -> Callable[[type[Formatter]], type[Formatter]]:
    def register(cls: type[Formatter]) -> type[Formatter]:
        cls.name = name
        FORMATTERS[name] = cls
        return cls

    return register
