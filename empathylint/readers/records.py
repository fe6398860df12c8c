"""Collections of canned responses (JSON, JSONL, YAML, CSV): records, the fields that hold the reply, the
customer message, the id and the title, and the `Source` of each record.

Every format parses into the same small tree (`Mapping`, `Sequence`, `Scalar`) whose strings know where
they are written, so every record's text maps back to the line and column inside the file. A record
without a usable reply becomes a source with a notice and no text: the other records are still linted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Union

from ..errors import InputError
from ..source import OffsetMap, Source, SourceFile
from . import ReadOptions
from .extract import Extract
from .html import extract_html, looks_like_html
from .placeholders import masked_source

TEXT_FIELDS = ("text", "reply", "response", "body", "message", "content", "answer", "comment_value",
               "comment_value_html", "html_body", "html")
CUSTOMER_FIELDS = ("customer", "customer_message", "instruction", "request", "question", "query", "inquiry",
                   "prompt")
ID_FIELDS = ("id", "key", "uuid", "ticket_id", "slug")
TITLE_FIELDS = ("title", "name", "subject", "intent")


@dataclass
class Scalar:
    """A string, number, boolean or null, where it is written, and (for strings) its decoded text mapped
    onto the file."""

    value: object
    start: int
    mapper: Callable[[], Extract] | None = None

    def extract(self) -> Extract:
        if self.mapper is None:
            raise TypeError("not a string")
        return self.mapper()


@dataclass
class Mapping:
    items: dict[str, "Node"]
    start: int

    def get(self, path: str) -> "Node | None":
        """The value at ``path``: a key, or a dotted path into nested mappings (``reply.body``)."""
        if path in self.items:
            return self.items[path]
        node: Node | None = self
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node.items:
                return None
            node = node.items[part]
        return node


@dataclass
class Sequence:
    items: list["Node"]
    start: int


Node = Union[Scalar, Mapping, Sequence]


@dataclass(frozen=True)
class Fields:
    """The record fields that hold the reply, the customer message, the id and the title."""

    text: str
    customer: str | None = None
    id: str | None = None
    title: str | None = None
    looked_for: tuple[str, ...] = field(default=(), compare=False)


def choose_fields(names: Iterable[str], options: ReadOptions) -> Fields | None:
    """The fields to read given the field names the records have: the ones named in ``options``, else the
    first of the usual names present (case-insensitive); a field named as ``""`` is not read. None when no
    reply field is found."""
    by_lower = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)

    def pick(explicit: str | None, candidates: tuple[str, ...]) -> str | None:
        if explicit is not None:  # "" turns the field off
            return explicit or None
        return next((by_lower[c] for c in candidates if c in by_lower), None)

    text = pick(options.text_field, TEXT_FIELDS)
    if text is None:
        return None
    return Fields(text, pick(options.customer_field, CUSTOMER_FIELDS), pick(options.id_field, ID_FIELDS),
                  pick(options.title_field, TITLE_FIELDS))


def is_text(node: "Node | None") -> bool:
    """Whether ``node`` is a string scalar: only strings have a mapper (a YAML number keeps its digits as its
    ``value``, so the value's type does not tell)."""
    return isinstance(node, Scalar) and node.mapper is not None


def no_reply_field(path: str, names: Iterable[str], line: int | None = None) -> InputError:
    shown = ", ".join(sorted(set(names))[:20]) or "none"
    return InputError(path, f"has no reply field: none of {', '.join(TEXT_FIELDS[:6])}, … among its fields "
                      f"({shown}); name it with --text-field", line)


def find_records(root: Node) -> list[tuple[str | None, Node]]:
    """The records of a collection, each with its key (a mapping key, or its 1-based number in a list):
    a list of records; a mapping holding such a list (``{"replies": [...]}``); a mapping of keys to
    records or to reply strings; or a single record."""
    if isinstance(root, Sequence):
        return [(str(i), item) for i, item in enumerate(root.items, 1)]
    if isinstance(root, Mapping):
        if any(name.lower() in TEXT_FIELDS for name in root.items):
            return [(None, root)]
        for value in root.items.values():
            if isinstance(value, Sequence) and any(isinstance(v, Mapping) for v in value.items):
                return [(str(i), item) for i, item in enumerate(value.items, 1)]
        return list(root.items.items())
    return [(None, root)]


def read_records(file: SourceFile, root: Node, options: ReadOptions) -> Iterator[Source]:
    """One source per record of ``root``; `InputError` if no record has a reply field."""
    records = find_records(root)
    names = {name for _, node in records if isinstance(node, Mapping) for name in node.items}
    fields = choose_fields(names, options)
    if fields is None:
        if not any(is_text(node) for _, node in records):
            raise no_reply_field(file.path, names, file.position(root.start)[0])
        fields = Fields(TEXT_FIELDS[0])
    for key, node in records:
        yield record_source(file, key, node, fields)


def record_source(file: SourceFile, key: str | None, node: Node, fields: Fields) -> Source:
    """The source of one record: a mapping with the reply in ``fields.text``, or a bare reply string."""
    if is_text(node):
        return reply_source(file, node, record=key)
    if not isinstance(node, Mapping):
        return skipped(file, node.start, key, None, "neither a record (an object with a reply field) nor a "
                       "reply string")
    record = _string(node.get(fields.id)) if fields.id else None
    record = record or key
    title = _string(node.get(fields.title)) if fields.title else None
    text = node.get(fields.text)
    if not is_text(text):
        problem = (f"no field '{fields.text}'" if text is None else f"field '{fields.text}' is not a string")
        return skipped(file, node.start, record, title, problem)
    customer = _string(node.get(fields.customer)) if fields.customer else None
    return reply_source(file, text, html="html" in fields.text.lower() or None, customer=customer or None,
                        record=record, title=title)


def reply_source(file: SourceFile, node: Scalar, html: bool | None = None, **fields) -> Source:
    """The source of a reply string (HTML when ``html``, or when ``html`` is None and it looks like HTML)."""
    notices: list[str] = []
    text = node.extract()
    if html or (html is None and looks_like_html(text.text)):
        text = extract_html(text, file, notices).extract
    return masked_source(text, file, notices, **fields)


def skipped(file: SourceFile, at: int, record: str | None, title: str | None, problem: str) -> Source:
    """A record that cannot be linted: no text, and a notice that says where and why."""
    line, column = file.position(at)
    return Source("", file, OffsetMap(), record=record, title=title,
                  notices=[f"line {line}, column {column}: {problem}; record skipped"])


def _string(node: Node | None) -> str | None:
    if isinstance(node, Scalar) and node.value is not None and not isinstance(node.value, bool):
        return str(node.value)
    return None
