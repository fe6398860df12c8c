"""Character offsets ↔ LSP positions: the one place the language server converts them.

The linter reports code-point offsets into a document's text; LSP counts a position's ``character`` in the
code units of the encoding negotiated at ``initialize``: UTF-16 unless the client offers UTF-8 or UTF-32
(an emoji is one code point, two UTF-16 units, four UTF-8 bytes). Lines end at ``\\n``, ``\\r\\n`` or a lone
``\\r`` (LSP's definition, and `source.line_starts`'s), never at the other characters ``str.splitlines``
breaks at.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from lsprotocol import types

from ..source import line_starts

UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


_UNITS: dict[str, Callable[[str], int]] = {UTF16: _utf16, UTF8: _utf8, UTF32: len}


class Positions:
    """Positions in ``text`` for a client that counts in ``encoding`` (``utf-16``, ``utf-8`` or
    ``utf-32``; anything else is read as UTF-16, the protocol's default)."""

    def __init__(self, text: str, encoding: "str | types.PositionEncodingKind | None" = UTF16) -> None:
        self.text = text
        name = str(getattr(encoding, "value", encoding))
        self.encoding = name if name in _UNITS else UTF16
        self._units = _UNITS[self.encoding]
        self._starts = line_starts(text)

    def line_start(self, line: int) -> int:
        """The offset where 0-based ``line`` starts (clamped to the document)."""
        if line < 0:
            return 0
        return self._starts[line] if line < len(self._starts) else len(self.text)

    def line_end(self, line: int) -> int:
        """The offset where 0-based ``line``'s text ends, before its line break (clamped to the document)."""
        if not 0 <= line < len(self._starts):
            return 0 if line < 0 else len(self.text)
        end = self._starts[line + 1] if line + 1 < len(self._starts) else len(self.text)
        while end > self._starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> types.Position:
        """The position of the character at code-point ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self._starts, offset) - 1
        return types.Position(line, self._units(self.text[self._starts[line]:offset]))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def offset(self, position: types.Position) -> int:
        """The code-point offset of a client's ``position``; a character past the line's end means its end
        (as the protocol says), a line past the last means the document's end."""
        if position.line >= len(self._starts):
            return len(self.text)
        offset, end, counted = self._starts[position.line], self.line_end(position.line), 0
        while offset < end:
            width = self._units(self.text[offset])
            if counted + width > position.character:
                break
            counted += width
            offset += 1
        return offset
