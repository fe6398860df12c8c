"""Plain-text replies: the whole file is one reply, linted verbatim."""

from __future__ import annotations

from typing import Iterator

from ..source import OffsetMap, Source, SourceFile
from . import ReadOptions, register_reader


@register_reader("text", (".txt", ".text"), description="a plain-text reply, linted verbatim")
def read_text(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    yield Source(file.text, file, OffsetMap.identity(len(file.text)))
