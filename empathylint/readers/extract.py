"""Extracted text in layers: every reader step (decode an email part, strip HTML, unescape a JSON string,
mask placeholders) reads an `Extract` and builds the next one, and each keeps its map onto the original
file, so a diagnostic found in the last layer lands on the right characters of the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source import LINE_BREAK, OffsetMap, Source, SourceFile


@dataclass(frozen=True)
class Extract:
    """Text together with the map from its offsets to offsets in the original file."""

    text: str
    offsets: OffsetMap

    @classmethod
    def verbatim(cls, text: str, start: int = 0, end: int | None = None) -> "Extract":
        """``text[start:end]``, copied as is from the file whose text is ``text``."""
        end = len(text) if end is None else end
        return cls(text[start:end], OffsetMap.identity(end - start, start))

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> "Extract":
        builder = TextBuilder(self)
        builder.copy(start, end)
        return builder.build()

    def original(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The original ``[start, end)`` of extracted ``[start, end)``; an empty range maps to a point."""
        end = start if end is None else end
        if end > start:
            return self.offsets.to_original(start), self.offsets.to_original_end(end)
        point = self.offsets.to_original(start) if start < len(self.text) else self.offsets.to_original_end(start)
        return point, point

    def where(self, file: SourceFile, index: int) -> str:
        """``"line L, column C"`` of extracted ``index`` in ``file``, for notices and errors."""
        line, column = file.position(self.original(index)[0])
        return f"line {line}, column {column}"

    def source(self, file: SourceFile, **fields) -> Source:
        """The `Source` of this text (``fields``: customer, record, title, notices)."""
        return Source(self.text, file, self.offsets, **fields)


class TextBuilder:
    """Builds the next layer from ``base``: copy stretches of it, or put new text standing for a stretch
    (a decoded entity, a placeholder's stand-in, a line break that a tag implies)."""

    def __init__(self, base: Extract) -> None:
        self.base = base
        self._parts: list[str] = []
        self._offsets = OffsetMap()
        self._newlines = 0  # line breaks at the end of what is built so far
        self._empty = True
        self._last = ""
        self._pending: tuple[int, int, int] | None = None  # a line break waiting for text to follow

    def copy(self, start: int, end: int) -> None:
        """Append ``base.text[start:end]`` with its map."""
        if end <= start:
            return
        self._flush()
        self._add(self.base.text[start:end])
        self._offsets.extend(self.base.offsets, start, end)

    def put(self, text: str, start: int, end: int, placeholder: bool = False) -> None:
        """Append ``text`` standing for ``base`` ``[start, end)`` as a whole."""
        if not text:
            return
        self._flush()
        orig_start, orig_end = self.base.original(start, end)
        self._add(text)
        self._offsets.synthetic(len(text), orig_start, orig_end, placeholder)

    def line_break(self, count: int, start: int, end: int | None = None) -> None:
        """Make the text end in at least ``count`` line breaks before whatever comes next (nothing at the
        very start or end): a paragraph (2) or a line (1) that markup implies, standing for
        ``base`` ``[start, end)`` (a tag) or the point ``start``."""
        if self._empty or (self._pending and self._pending[0] >= count):
            return
        self._pending = (count, start, start if end is None else end) if not self._pending \
            else (count, *self._pending[1:])

    def _flush(self) -> None:
        if self._pending:
            count, start, end = self._pending
            self._pending = None
            missing = count - self._newlines
            if missing > 0:
                self.put("\n" * missing, start, end)

    @property
    def empty(self) -> bool:
        return self._empty

    @property
    def at_line_start(self) -> bool:
        return self._empty or self._newlines > 0

    @property
    def after_space(self) -> bool:
        """Whether the text built so far is empty or ends in white space (or a line break will follow)."""
        return self._empty or self._pending is not None or self._last.isspace()

    def _add(self, text: str) -> None:
        self._parts.append(text)
        self._empty = False
        self._last = text[-1]
        newlines = 0
        for ch in reversed(text):
            if ch == "\n":
                newlines += 1
            elif ch not in " \t\r":
                self._newlines = newlines
                return
        self._newlines += newlines  # only white space: the breaks before it still count

    def build(self) -> Extract:
        return Extract("".join(self._parts), self._offsets)


def line_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end without the line break, start of the next line) of every line; a line ends where
    `source.LINE_BREAK` says (``\r\n`` is one line break, a CR alone is one too), as for positions."""
    out, pos = [], 0
    for match in LINE_BREAK.finditer(text):
        out.append((pos, match.start(), match.end()))
        pos = match.end()
    if pos < len(text):
        out.append((pos, len(text), len(text)))
    return out
