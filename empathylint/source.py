"""What readers produce: the text to lint, where each of its characters came from, and its origin.

A reader extracts text from a file (visible HTML text, the new part of an email, a template with its
placeholders masked). `OffsetMap` remembers, for every extracted character, its position in the original
file, so a diagnostic found in the extracted text is reported at the right line and column of the file.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class _Run:
    """A stretch of extracted text. A *copied* run maps character by character onto the original; a
    *synthetic* run (a decoded entity, a placeholder stand-in) maps as a whole onto
    ``[orig_start, orig_end)``."""

    ext_start: int
    orig_start: int
    orig_end: int
    length: int
    synthetic: bool
    placeholder: bool = False  # a masked template placeholder (always synthetic)


class OffsetMap:
    """Maps offsets in extracted text back to offsets in the original source."""

    def __init__(self) -> None:
        self._runs: list[_Run] = []
        self._starts: list[int] = []
        self._length = 0

    @classmethod
    def identity(cls, length: int, orig_start: int = 0) -> "OffsetMap":
        """The map of text copied verbatim from ``orig_start`` on."""
        offsets = cls()
        offsets.copy(length, orig_start)
        return offsets

    def __len__(self) -> int:
        return self._length

    def copy(self, length: int, orig_start: int) -> None:
        """Append ``length`` characters copied one-to-one from ``orig_start``."""
        if length <= 0:
            return
        last = self._runs[-1] if self._runs else None
        if last and not last.synthetic and last.orig_end == orig_start:
            self._runs[-1] = _Run(last.ext_start, last.orig_start, orig_start + length,
                                  last.length + length, False)
        else:
            self._append(_Run(self._length, orig_start, orig_start + length, length, False))
        self._length += length

    def synthetic(self, length: int, orig_start: int, orig_end: int, placeholder: bool = False) -> None:
        """Append ``length`` characters that stand for the original ``[orig_start, orig_end)`` as a whole
        (an entity such as ``&amp;``, a masked placeholder, a soft line break). ``placeholder`` marks a
        masked template placeholder: no diagnostic may start, end or lie only inside one."""
        if length <= 0:
            return
        self._append(_Run(self._length, orig_start, orig_end, length, True, placeholder))
        self._length += length

    def extend(self, other: "OffsetMap", start: int, end: int) -> None:
        """Append ``other``'s map of its extracted ``[start, end)``. Readers that extract in layers (HTML
        inside a quoted-printable email part, a JSON string holding HTML) map each layer's text onto the
        file this way; a slice of a synthetic run still stands for the run's whole original range."""
        if end <= start or not other._runs:
            return
        runs = other._runs
        for k in range(max(bisect_right(other._starts, start) - 1, 0), len(runs)):
            run = runs[k]
            lo, hi = max(start, run.ext_start), min(end, run.ext_start + run.length)
            if lo >= end:
                break
            if lo >= hi:
                continue
            if run.synthetic:
                self.synthetic(hi - lo, run.orig_start, run.orig_end, run.placeholder)
            else:
                self.copy(hi - lo, run.orig_start + lo - run.ext_start)

    def _append(self, run: _Run) -> None:
        self._runs.append(run)
        self._starts.append(run.ext_start)

    def _run_at(self, index: int) -> _Run:
        if not self._runs:
            raise IndexError("empty offset map")
        k = bisect_right(self._starts, index) - 1
        return self._runs[max(k, 0)]

    def to_original(self, index: int) -> int:
        """Original offset of the character at extracted ``index`` (a span start)."""
        if index >= self._length:
            return self._runs[-1].orig_end if self._runs else 0
        run = self._run_at(index)
        if run.synthetic:
            return run.orig_start
        return run.orig_start + (index - run.ext_start)

    def to_original_end(self, index: int) -> int:
        """Original offset just after the character at extracted ``index - 1`` (a span end)."""
        if index <= 0:
            return self.to_original(0)
        run = self._run_at(index - 1)
        if run.synthetic:
            return run.orig_end
        return run.orig_start + (index - run.ext_start)

    def synthetic_spans(self) -> list[tuple[int, int]]:
        """Extracted ``[start, end)`` of every synthetic run (placeholders, entities)."""
        return [(r.ext_start, r.ext_start + r.length) for r in self._runs if r.synthetic]

    def placeholder_spans(self) -> list[tuple[int, int]]:
        """Extracted ``[start, end)`` of every masked template placeholder, in order."""
        return [(r.ext_start, r.ext_start + r.length) for r in self._runs if r.placeholder]


#: A line break: LF, CR LF, or a CR alone (old Mac files, some spreadsheet exports).
LINE_BREAK = re.compile(r"\r\n?|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts (`LINE_BREAK` ends a line)."""
    if "\r" not in text:  # the common case, without the regex
        starts = [0]
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        return starts
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


@dataclass
class SourceFile:
    """The original file (or stdin) that one or more `Source` records were read from.

    A streaming reader may hold only a window of a large file: ``text`` is then that window and
    ``line_base`` the number of file lines before it, so positions still name the file's real lines."""

    path: str
    text: str
    line_base: int = 0

    @cached_property
    def _line_starts(self) -> list[int]:
        return line_starts(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset; columns count Unicode code points, and a CR before LF
        belongs to the line it ends (a CR alone ends a line too, as in an old Mac file)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._line_starts, offset) - 1
        return self.line_base + line + 1, offset - self._line_starts[line] + 1

    def line_text(self, line: int) -> str:
        """The original text of a 1-based line, without its line break."""
        starts = self._line_starts
        line -= self.line_base
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


@dataclass
class Source:
    """One reply to lint: the extracted text, the map back to the file, and optional context."""

    text: str
    file: SourceFile
    offsets: OffsetMap
    customer: str | None = None
    record: str | None = None
    title: str | None = None
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", customer: str | None = None) -> "Source":
        """A source whose text is the whole file, verbatim."""
        return cls(text, SourceFile(path, text), OffsetMap.identity(len(text)), customer)

    @property
    def path(self) -> str:
        return self.file.path

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map an extracted ``[start, end)`` to the original file."""
        orig_start = self.offsets.to_original(start)
        return orig_start, max(orig_start, self.offsets.to_original_end(end))
