"""Helpers of the reader tests: read bytes as a file of some format, and check that a source's offset map
sends every character back inside the file, onto the same character where it was copied."""

from __future__ import annotations

import io
from typing import Callable

import pytest

from empathylint.readers import ReadOptions, read_stream
from empathylint.source import Source


def read_bytes(data: bytes | str, name: str = "reply.txt", input_format: str | None = None,
               **options) -> list[Source]:
    """The sources of ``data`` read as the file ``name``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(read_stream(name, io.BytesIO(data), ReadOptions(**options), input_format))


def assert_maps_back(source: Source) -> None:
    """Every extracted character maps inside the file, in order; a copied one onto itself; a synthetic
    run onto a non-empty stretch unless it is a line break or space the markup implies."""
    text, original, offsets = source.text, source.file.text, source.offsets
    assert len(offsets) == len(text)
    synthetic = [False] * len(text)
    for start, end in offsets.synthetic_spans():
        synthetic[start:end] = [True] * (end - start)
    previous = 0
    for i, char in enumerate(text):
        start, end = offsets.to_original(i), offsets.to_original_end(i + 1)
        assert 0 <= start <= end <= len(original), (i, char, start, end)
        assert start >= previous, f"offsets go backwards at {i}: {start} < {previous}"
        previous = start
        if not synthetic[i]:
            assert end == start + 1 and original[start] == char, (i, char, original[start:end])
        elif end == start:
            assert char.isspace(), (i, char)
    for start, end in offsets.placeholder_spans():
        orig_start, orig_end = source.original_span(start, end)
        assert original[orig_start] in "{$`<", original[orig_start:orig_end]


def span_of(source: Source, needle: str, nth: int = 0) -> tuple[tuple[int, int], tuple[int, int], str]:
    """(line, column) of the start and end of ``needle`` (its ``nth`` occurrence in the extracted text) in
    the original file, and the original text it maps onto."""
    index = -1
    for _ in range(nth + 1):
        index = source.text.index(needle, index + 1)
    start, end = source.original_span(index, index + len(needle))
    return source.file.position(start), source.file.position(end), source.file.text[start:end]


@pytest.fixture(scope="session")
def maps_back() -> Callable[[Source], None]:
    return assert_maps_back


@pytest.fixture(scope="session")
def read() -> Callable[..., list[Source]]:
    return read_bytes


@pytest.fixture(scope="session")
def locate() -> Callable[..., tuple]:
    return span_of
