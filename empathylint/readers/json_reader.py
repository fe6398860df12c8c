"""JSON collections of canned responses (see `records`); a Zendesk macros export is recognised and read
as one (see `zendesk`)."""

from __future__ import annotations

from typing import Iterator

from ..errors import InputError
from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .jsonscan import JsonError, parse_json
from .records import Node, read_records


def parse_file(file: SourceFile) -> Node:
    """The JSON tree of ``file``; `InputError` with the line and column of the first mistake."""
    try:
        return parse_json(file.text)
    except JsonError as exc:
        line, column = file.position(exc.index)
        raise InputError(file.path, f"is not valid JSON: {exc.problem} (column {column})", line) from None


@register_reader("json", (".json",), description="a JSON collection of replies (or a Zendesk macros export)")
def read_json(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    from .zendesk import macro_sources, macros_in

    root = parse_file(file)
    macros = macros_in(root)
    if macros is not None:
        yield from macro_sources(file, macros)
    else:
        yield from read_records(file, root, options)
