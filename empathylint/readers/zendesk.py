"""Zendesk macros exports (``GET /api/v2/macros.json``, or a single macro): one source per comment
action (``comment_value`` as text, ``comment_value_html`` as HTML), named by the macro's id and title."""

from __future__ import annotations

from typing import Iterator

from ..errors import InputError
from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .json_reader import parse_file
from .records import Mapping, Node, Scalar, Sequence, is_text, reply_source, skipped

COMMENT_FIELDS = {"comment_value": False, "comment_value_html": True}


def macros_in(root: Node) -> list[Mapping] | None:
    """The macros of an export (``{"macros": [...]}``, ``{"macro": {...}}``, a list of macros or one
    macro), or None if ``root`` is not a macros export."""
    if isinstance(root, Mapping):
        listed = root.get("macros")
        if isinstance(listed, Sequence):
            return [m for m in listed.items if isinstance(m, Mapping)]
        single = root.get("macro")
        if isinstance(single, Mapping):
            return [single]
        if isinstance(root.get("actions"), Sequence):
            return [root]
    if isinstance(root, Sequence) and root.items and all(
            isinstance(m, Mapping) and isinstance(m.get("actions"), Sequence) for m in root.items):
        return list(root.items)
    return None


def macro_sources(file: SourceFile, macros: list[Mapping]) -> Iterator[Source]:
    """One source per comment action of each macro; macros without one (status macros) are passed over."""
    for macro in macros:
        record = _text(macro.get("id"))
        title = _text(macro.get("title")) or _text(macro.get("raw_title"))
        actions = macro.get("actions")
        if not isinstance(actions, Sequence):
            yield skipped(file, macro.start, record, title, "no \"actions\" list")
            continue
        for action in actions.items:
            name = _text(action.get("field")) if isinstance(action, Mapping) else None
            if name not in COMMENT_FIELDS:
                continue
            value = _comment(action.get("value"))
            if value is None:
                yield skipped(file, action.start, record, title, f"a {name} action whose value is not text")
                continue
            yield reply_source(file, value, html=COMMENT_FIELDS[name], record=record, title=title)


def _comment(node: Node | None) -> Scalar | None:
    """The text of a comment action: a string, or the last string of ``["channel:all", "text"]``."""
    if isinstance(node, Sequence):
        strings = [n for n in node.items if is_text(n)]
        node = strings[-1] if strings else None
    return node if is_text(node) else None


def _text(node: Node | None) -> str | None:
    return str(node.value) if isinstance(node, Scalar) and node.value is not None else None


@register_reader("zendesk", (), description="a Zendesk macros export (JSON): each macro's comment actions")
def read_zendesk(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    root = parse_file(file)
    macros = macros_in(root)
    if macros is None:
        raise InputError(file.path, 'is not a Zendesk macros export: expected {"macros": [...]} (as GET '
                         '/api/v2/macros.json returns), {"macro": {...}} or a list of macros with "actions"; '
                         "for other JSON use --input-format json", file.position(root.start)[0])
    yield from macro_sources(file, macros)
