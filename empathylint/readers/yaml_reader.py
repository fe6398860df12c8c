"""YAML collections of canned responses (see `records`). PyYAML's composer says where each scalar is
written; the decoded value (folded, block, quoted, escaped) is aligned with what is written there, so
its copied characters map one to one and the rest (an escape, a folded line break) as synthetic runs."""

from __future__ import annotations

import difflib
from typing import Iterator

import yaml

from ..errors import InputError
from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract, TextBuilder
from .records import Mapping, Node, Scalar, Sequence, read_records


def align(text: str, start: int, end: int, value: str) -> Extract:
    """``value`` mapped onto ``text[start:end]``, where it is written in some quoted or folded form:
    characters matched in order are copies, the others synthetic runs over the unmatched stretch."""
    written = text[start:end]
    at = written.find(value) if value else -1
    if at != -1:
        return Extract.verbatim(text, start + at, start + at + len(value))
    builder = TextBuilder(Extract.verbatim(text))
    matcher = difflib.SequenceMatcher(None, written, value, autojunk=False)
    w = v = 0
    for block in matcher.get_matching_blocks():
        if block.b > v:
            builder.put(value[v:block.b], start + w, start + max(block.a, w))
        builder.copy(start + block.a, start + block.a + block.size)
        w, v = block.a + block.size, block.b + block.size
    return builder.build()


def _tree(text: str, node: yaml.Node) -> Node:
    start = node.start_mark.index
    if isinstance(node, yaml.MappingNode):
        return Mapping({str(k.value): _tree(text, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)},
                       start)
    if isinstance(node, yaml.SequenceNode):
        return Sequence([_tree(text, item) for item in node.value], start)
    value = node.value
    if node.tag == "tag:yaml.org,2002:null" or (node.tag.endswith(":null") and not node.style):
        return Scalar(None, start)
    if node.tag == "tag:yaml.org,2002:str" or node.style:
        end = node.end_mark.index
        return Scalar(value, start, lambda: align(text, start, end, value))
    return Scalar(value, start)


@register_reader("yaml", (".yaml", ".yml"), description="a YAML collection of replies")
def read_yaml(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    try:
        documents = [d for d in yaml.compose_all(file.text, Loader=yaml.SafeLoader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" (column {mark.column + 1})" if mark else ""
        raise InputError(file.path, f"is not valid YAML: {problem}{where}", mark.line + 1 if mark else None) \
            from None
    if not documents:
        raise InputError(file.path, "is empty: no YAML document to read")
    for document in documents:
        yield from read_records(file, _tree(file.text, document), options)
