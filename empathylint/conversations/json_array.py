"""A top-level JSON array read as a stream: each element's text handed on as soon as it is complete, so a
file of any size is held an element (and one read block) at a time.

The elements are found by their brackets only (strings skipped whole, so a bracket or a comma inside one
counts for nothing); each element is then parsed by whoever reads it. An element that is not valid JSON
inside balanced brackets therefore spoils only itself. Each element comes as a `SourceFile` window that
names the file's real lines and columns: ``line_base`` is the lines before it, and its first line is padded
with spaces to the column it starts at.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import BinaryIO, Iterator

from ..errors import InputError
from ..source import SourceFile

BLOCK = 1 << 20
#: A string (whole), a bracket or a comma, or the opening quote of a string not yet complete.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]|"', re.S)
_NOT_SPACE = re.compile(r"[^ \t\r\n]")


class _Window:
    """The text read so far from one point of the file on, with its line and column bookkeeping."""

    def __init__(self, path: str, stream: BinaryIO, block: int) -> None:
        self.path, self.stream, self.block = path, stream, block
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.start = 0          # file offset (characters) of text[0]
        self.eof = False
        self.counted = 0        # offset in text up to which lines were counted
        self.lines = 0          # line breaks before text[counted]
        self.line_start = 0     # file offset of the line holding text[counted]
        self.first = True
        self.read_bytes = 0

    def more(self, keep: int) -> bool:
        """Read the next block, dropping the text before ``keep``; False at the end of the file."""
        if self.eof:
            return False
        data = self.stream.read(self.block)
        try:
            chunk = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            offset = self.read_bytes + exc.start
            raise InputError(self.path, f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {offset}); "
                             "save it as UTF-8", self.line_of(len(self.text))) from None
        self.read_bytes += len(data)
        if self.first:
            chunk, self.first = (chunk[1:] if chunk.startswith("\ufeff") else chunk), not chunk
        if not data:
            self.eof = True
        self.count_to(keep)
        self.text = self.text[keep:] + chunk
        self.start += keep
        self.counted -= keep
        return bool(data)

    def count_to(self, offset: int) -> None:
        """Count the line breaks up to ``offset`` of the text."""
        breaks = self.text.count("\n", self.counted, offset)
        if breaks:
            self.lines += breaks
            self.line_start = self.start + self.text.rfind("\n", self.counted, offset) + 1
        self.counted = offset

    def line_of(self, offset: int) -> int:
        self.count_to(max(offset, self.counted))
        return self.lines + 1

    def element(self, begin: int, end: int) -> SourceFile:
        self.count_to(begin)
        column = self.start + begin - self.line_start
        return SourceFile(self.path, " " * column + self.text[begin:end], line_base=self.lines)


def iter_array(path: str, stream: BinaryIO, what: str, block: int | None = None, key: str | None = None
               ) -> Iterator[SourceFile]:
    """The elements of the JSON array that ``stream`` holds, each as a `SourceFile` window of the file (see
    the module); with ``key``, the file may instead be an object whose member ``key`` is that array (what
    follows the array is not read). `InputError` naming ``path`` if the file is not one JSON array (``what``:
    what it should hold, for the message), or if it ends inside an element."""
    window = _Window(path, stream, block or BLOCK)
    pos = _skip_space(window, 0)
    outer = pos is not None and key is not None and window.text[pos] == "{"
    if outer:
        pos = _member(window, pos + 1, key)
    if pos is None or window.text[pos] != "[":
        raise InputError(path, f"is not {what}: expected a JSON list", window.line_of(pos or 0))
    pos += 1
    depth, begin = 0, None  # brackets open inside the current element; where it begins
    while True:
        if begin is None:
            pos = _skip_space(window, pos)
            if pos is None:
                raise InputError(path, "ends inside the JSON list (a ']' is missing)", window.line_of(len(window.text)))
            if window.text[pos] == "]":
                if not outer:
                    _expect_end(window, pos + 1)
                return
            begin = pos
        match = _TOKEN.search(window.text, pos)
        if match is None or match.group() == '"':  # the block ends inside the element: read on
            resume = len(window.text) if match is None else match.start()
            if not window.more(begin):
                inside = "a string" if match is not None else "an element"
                raise InputError(path, f"ends inside {inside} of its JSON list (is it cut short?)",
                                 window.line_of(len(window.text)))
            pos, begin = resume - begin, 0
            continue
        token = match.group()
        pos = match.end()
        if token in "[{":
            depth += 1
        elif token in "]}" and depth:
            depth -= 1
        elif token in ",]" and depth == 0:
            text = window.text[begin:match.start()].rstrip(" \t\r\n")
            if not text:
                raise InputError(path, "has an empty element in its JSON list", window.line_of(match.start()))
            yield window.element(begin, begin + len(text))
            begin = None
            if token == "]":
                if key is None or not outer:
                    _expect_end(window, pos)
                return


_MEMBER = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|"', re.S)


def _member(window: _Window, pos: int, key: str) -> int | None:
    """The offset of the value of the object member ``key`` (the object opened just before ``pos``), or None."""
    depth, name = 0, None  # brackets open inside the object's values; the last key read at its top
    while True:
        match = _MEMBER.search(window.text, pos)
        if match is None or match.group() == '"':
            resume = len(window.text) if match is None else match.start()
            if not window.more(resume):
                return None
            pos = 0
            continue
        token, pos = match.group(), match.end()
        if token in "[{":
            depth += 1
        elif token in "]}":
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0 and token.startswith('"') and name is None:
            name = token
        elif depth == 0 and token == ":":
            if name is not None and json.loads(name) == key:
                return _skip_space(window, pos)
        elif depth == 0 and token == ",":
            name = None


def _skip_space(window: _Window, pos: int) -> int | None:
    """The offset of the next character that is not white space (reading on as needed); None at the end."""
    while True:
        match = _NOT_SPACE.search(window.text, pos)
        if match is not None:
            return match.start()
        if not window.more(len(window.text)):
            return None
        pos = 0


def _expect_end(window: _Window, pos: int) -> None:
    left = _skip_space(window, pos)
    if left is not None:
        raise InputError(window.path, "has text after its JSON list", window.line_of(left))
