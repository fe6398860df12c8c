"""Helpers of the conversation tests: the invented fixtures in ``data/``, their sources, and checks that a
source's text maps back onto the characters of the message in the file."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from empathylint.readers import ReadOptions, read_path
from empathylint.source import Source

DATA = Path(__file__).parent / "data"


def read_sources(name: str | Path, input_format: str | None = None, **options) -> list[Source]:
    """The sources of ``data/<name>`` (or of a path)."""
    path = name if isinstance(name, Path) else DATA / name
    return list(read_path(str(path), ReadOptions(**options), input_format))


def by_record(sources: list[Source]) -> dict[str, Source]:
    return {s.record: s for s in sources}


def where(source: Source, needle: str) -> tuple[int, int, str]:
    """Line, column and original text of ``needle`` (its first occurrence in the source's text)."""
    index = source.text.index(needle)
    start, end = source.original_span(index, index + len(needle))
    return (*source.file.position(start), source.file.text[start:end])


def assert_json_maps_back(source: Source) -> None:
    """Every character of the text maps onto itself in the file, or onto the JSON escape (or, in a tweet,
    the HTML entity) that writes it."""
    file = source.file.text
    for i, char in enumerate(source.text):
        start, end = source.offsets.to_original(i), source.offsets.to_original_end(i + 1)
        written = file[start:end]
        assert written == char or json.loads(f'"{written}"') == char or html.unescape(written) == char, \
            (i, char, written)


def assert_csv_maps_back(source: Source) -> None:
    """Every character of the text maps onto itself in the file (a quote onto one of a doubled pair)."""
    file = source.file.text
    for i, char in enumerate(source.text):
        start = source.offsets.to_original(i)
        assert file[start] == char, (i, char, file[start:start + 5])


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def read():
    """``read(name, input_format=None, **read_options)``: the sources of a fixture (see `read_sources`)."""
    return read_sources


@pytest.fixture(scope="session")
def records():
    """``records(sources)``: the sources by record."""
    return by_record


@pytest.fixture(scope="session")
def locate():
    """``locate(source, needle)``: (line, column, original text) of ``needle`` (see `where`)."""
    return where


@pytest.fixture(scope="session")
def json_maps_back():
    return assert_json_maps_back


@pytest.fixture(scope="session")
def csv_maps_back():
    return assert_csv_maps_back
