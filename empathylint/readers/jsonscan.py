"""A JSON parser that remembers where every value is written, so a reply stored in a JSON string maps
back to its line and column inside the file. String escapes map exactly: ``\\"``, ``\\\\`` and ``\\/``
are copies of the character they escape, ``\\n`` or ``\\u2019`` (and a surrogate pair) a synthetic run
over the escape. Strings are decoded by the standard library's scanner (C speed).
"""

from __future__ import annotations

import re
from json.decoder import scanstring

from .extract import Extract, TextBuilder
from .records import Mapping, Node, Scalar, Sequence

MAX_DEPTH = 200
_WS = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_LITERALS = {"true": True, "false": False, "null": None}


class JsonError(ValueError):
    """Not valid JSON: what is wrong and the offset where it is."""

    def __init__(self, problem: str, index: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.index = index


def parse_json(text: str) -> Node:
    """The tree of the JSON document ``text``; `JsonError` if it is not valid JSON."""
    end, value = _value(text, _WS.match(text, 0).end(), 0)
    end = _WS.match(text, end).end()
    if end != len(text):
        raise JsonError("extra data after the JSON value", end)
    return value


def string_extract(text: str, start: int, end: int) -> Extract:
    """The decoded JSON string whose characters (without the quotes) are ``text[start:end]``."""
    base = Extract.verbatim(text)
    builder = TextBuilder(base)
    pos = start
    escapes = list(_ESCAPE.finditer(text, start, end))
    k = 0
    while k < len(escapes):
        escape = escapes[k]
        builder.copy(pos, escape.start())
        kind = escape.group()[1]
        pos = escape.end()
        if kind in "\"\\/":
            builder.copy(escape.start() + 1, escape.end())
        elif kind == "u":
            code = int(escape.group()[2:], 16)
            following = escapes[k + 1] if k + 1 < len(escapes) else None
            if 0xD800 <= code < 0xDC00 and following is not None and following.start() == pos \
                    and following.group()[1] == "u" and 0xDC00 <= int(following.group()[2:], 16) < 0xE000:
                low = int(following.group()[2:], 16)
                char = chr(0x10000 + (code - 0xD800) * 0x400 + (low - 0xDC00))
                pos = following.end()
                k += 1
            else:
                char = "\ufffd" if 0xD800 <= code < 0xE000 else chr(code)
            builder.put(char, escape.start(), pos)
        else:
            builder.put(_SIMPLE.get(kind, kind), escape.start(), pos)
        k += 1
    builder.copy(pos, end)
    return builder.build()


def _value(text: str, i: int, depth: int) -> tuple[int, Node]:
    if i >= len(text):
        raise JsonError("the JSON ends where a value was expected", i)
    c = text[i]
    if c == '"':
        return _string(text, i)
    if c == "{":
        return _object(text, i, depth)
    if c == "[":
        return _array(text, i, depth)
    number = _NUMBER.match(text, i)
    if number and number.end() > i:
        raw = number.group()
        return number.end(), Scalar(float(raw) if any(x in raw for x in ".eE") else int(raw), i)
    for word, value in _LITERALS.items():
        if text.startswith(word, i):
            return i + len(word), Scalar(value, i)
    raise JsonError(f"unexpected {text[i]!r} where a value was expected", i)


def _string(text: str, i: int) -> tuple[int, Scalar]:
    try:
        value, end = scanstring(text, i + 1, False)
    except ValueError:
        raise JsonError("a string is never closed (or has a bad escape)", i) from None
    if "\\" not in text[i + 1:end - 1]:
        return end, Scalar(value, i, lambda: Extract.verbatim(text, i + 1, end - 1))
    return end, Scalar(value, i, lambda: string_extract(text, i + 1, end - 1))


def _object(text: str, i: int, depth: int) -> tuple[int, Mapping]:
    if depth >= MAX_DEPTH:
        raise JsonError("nested too deeply", i)
    items: dict[str, Node] = {}
    pos = _WS.match(text, i + 1).end()
    if text.startswith("}", pos):
        return pos + 1, Mapping(items, i)
    while True:
        if not text.startswith('"', pos):
            raise JsonError("expected a string key in double quotes", pos)
        pos, key = _string(text, pos)
        pos = _WS.match(text, pos).end()
        if not text.startswith(":", pos):
            raise JsonError("expected ':' after the key", pos)
        pos, items[str(key.value)] = _value(text, _WS.match(text, pos + 1).end(), depth + 1)
        pos = _WS.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
        elif text.startswith("}", pos):
            return pos + 1, Mapping(items, i)
        else:
            raise JsonError("expected ',' or '}' after a value in an object", pos)


def _array(text: str, i: int, depth: int) -> tuple[int, Sequence]:
    if depth >= MAX_DEPTH:
        raise JsonError("nested too deeply", i)
    items: list[Node] = []
    pos = _WS.match(text, i + 1).end()
    if text.startswith("]", pos):
        return pos + 1, Sequence(items, i)
    while True:
        pos, value = _value(text, pos, depth + 1)
        items.append(value)
        pos = _WS.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            return pos + 1, Sequence(items, i)
        else:
            raise JsonError("expected ',' or ']' after a value in a list", pos)
