"""YAML collections of canned responses (see `records`). PyYAML's composer says where each scalar is
written; the decoded value (folded, block, quoted, escaped) is aligned with what is written there, so
its copied characters map one to one and the rest (an escape, a folded line break) as synthetic runs."""

from __future__ import annotations

import difflib
import re
from typing import Iterator

import yaml

from ..errors import InputError
from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract, TextBuilder
from .records import Mapping, Node, Scalar, Sequence, read_records


#: A backslash escape of a double-quoted scalar (an escaped line break decodes to nothing: it joins lines).
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\r\n|.|\n)", re.S)
#: The one escape of a single-quoted scalar: a doubled quote stands for one.
_QUOTE = re.compile("''")


def align(text: str, start: int, end: int, value: str, style: str | None = None) -> Extract:
    """``value`` mapped onto ``text[start:end]``, where it is written in some quoted (``style`` ``'`` or
    ``"``) or folded form: characters matched in order are copies (a decoded escape, synthetic over its
    escape), the others synthetic runs over the unmatched stretch."""
    written = text[start:end]
    at = written.find(value) if value else -1
    if at != -1:
        return Extract.verbatim(text, start + at, start + at + len(value))
    units = _units(text, start, end, style)
    builder = TextBuilder(Extract.verbatim(text))
    matcher = difflib.SequenceMatcher(None, "".join(u[0] for u in units), value, autojunk=False)
    v, after = 0, start  # value matched up to v; text up to `after`
    for block in matcher.get_matching_blocks():
        if block.b > v:
            following = units[block.a][1] if block.a < len(units) else end
            builder.put(value[v:block.b], after, max(after, following))
        for char, s, e, copied in units[block.a:block.a + block.size]:
            if copied:
                builder.copy(s, e)
            else:
                builder.put(char, s, e)
        if block.size:
            after = units[block.a + block.size - 1][2]
        v = block.b + block.size
    return builder.build()


def _units(text: str, start: int, end: int, style: str | None) -> list[tuple[str, int, int, bool]]:
    """``(character, start, end, copied)`` for what ``text[start:end]`` spells: each character as itself,
    or, inside double quotes, each backslash escape as the character it stands for, inside single quotes
    each doubled quote as one (neither copied)."""
    if style == "'":
        units, k = [], start
        for m in _QUOTE.finditer(text, start, end):
            units.extend(_written(text, k, m.start()))
            units.append(("'", m.start(), m.end(), False))
            k = m.end()
        return units + _written(text, k, end)
    if style != '"':
        return _written(text, start, end)
    units, k = [], start
    for m in _ESCAPE.finditer(text, start, end):
        units.extend(_written(text, k, m.start()))
        if m.group(1) not in ("\n", "\r\n"):
            try:
                decoded = yaml.safe_load(f'"{m.group(0)}"')
            except yaml.YAMLError:
                decoded = m.group(0)
            units.extend((char, m.start(), m.end(), False) for char in str(decoded))
        k = m.end()
    units.extend(_written(text, k, end))
    return units


def _written(text: str, start: int, end: int) -> list[tuple[str, int, int, bool]]:
    """Each character of ``text[start:end]`` as itself, except a line break YAML reads as ``\n`` (a lone
    ``\r``, or NEL U+0085), which stands for "\n" (not copied): the value holds "\n" where the file has it."""
    return [("\n", k, k + 1, False) if text[k] == "\x85" or (text[k] == "\r" and text[k + 1:k + 2] != "\n")
            else (text[k], k, k + 1, True) for k in range(start, end)]


def _tree(text: str, node: yaml.Node, seen: dict[int, Node] | None = None) -> Node:
    # an alias is the very node its anchor names: each is converted once, so an alias inside its own
    # anchor (``a: &a [*a]``) does not recurse forever, nor do nested aliases expand exponentially
    seen = {} if seen is None else seen
    if id(node) in seen:
        return seen[id(node)]
    start = node.start_mark.index
    if isinstance(node, yaml.MappingNode):
        mapping = seen[id(node)] = Mapping({}, start)
        mapping.items.update((str(k.value), _tree(text, v, seen)) for k, v in node.value
                             if isinstance(k, yaml.ScalarNode))
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = seen[id(node)] = Sequence([], start)
        sequence.items.extend(_tree(text, item, seen) for item in node.value)
        return sequence
    value = node.value
    if node.tag == "tag:yaml.org,2002:null" or (node.tag.endswith(":null") and not node.style):
        return Scalar(None, start)
    if node.tag == "tag:yaml.org,2002:str" or node.style:
        # a quoted value is aligned inside its quotes: a quote is never part of the value
        quoted = node.style in ("'", '"') and node.end_mark.index - start >= 2
        inner = (start + 1, node.end_mark.index - 1) if quoted else (start, node.end_mark.index)
        return Scalar(value, start, lambda: align(text, *inner, value, node.style if quoted else None))
    return Scalar(value, start)


@register_reader("yaml", (".yaml", ".yml"), description="a YAML collection of replies")
def read_yaml(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    try:
        documents = [d for d in yaml.compose_all(file.text, Loader=yaml.SafeLoader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" (column {mark.column + 1})" if mark else ""
        context, begun = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and begun:  # where the construct began: an unclosed quote fails only at the end of the file
            where += f", {context} started at line {begun.line + 1}, column {begun.column + 1}"
        raise InputError(file.path, f"is not valid YAML: {problem}{where}", mark.line + 1 if mark else None) \
            from None
    if not documents:
        raise InputError(file.path, "is empty: no YAML document to read")
    for document in documents:
        yield from read_records(file, _tree(file.text, document), options)
