"""Plain-text replies: the whole file is one reply, linted as written (template placeholders masked)."""

from __future__ import annotations

from typing import Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract
from .placeholders import masked_source


@register_reader("text", (".txt", ".text"), description="a plain-text reply, linted as written")
def read_text(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    yield masked_source(Extract.verbatim(file.text), file)
