"""Inline suppression directives, written in whatever comment syntax the file has:

* ``empathylint: disable=CND001,BLM`` … ``empathylint: enable=CND001,BLM`` (no ``=``: every rule)
* ``empathylint: disable-next-line=CND001``
* ``empathylint: disable-line=CND001`` (on the same line as the text)

e.g. ``<!-- empathylint: disable-next-line=APO -->`` in HTML and email, ``{# … #}`` in Jinja/Liquid,
``{{! … }}`` in Handlebars, ``# …`` in a text file. Selectors are codes, code prefixes, names or categories.
Directives apply by line of the original file; the directive text itself is blanked out before linting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .source import SourceFile

_DIRECTIVE = (r"empathylint:\s*(?P<kind>disable-next-line|disable-line|disable|enable)\b"
              r"(?:\s*=\s*(?P<sel>[\w-]+(?:\s*,\s*[\w-]+)*))?")
DIRECTIVE_RE = re.compile(_DIRECTIVE, re.IGNORECASE)
# The directive with the comment delimiters around it, so that masking removes the whole comment.
COMMENT_RE = re.compile(
    r"(?:<!--|\{#|\{\{!(?:--)?|\{%-?\s*comment\s*-?%\}|#|//)?[ \t]*" + _DIRECTIVE
    + r"[ \t]*(?:-->|#\}|(?:--)?\}\}|\{%-?\s*endcomment\s*-?%\})?", re.IGNORECASE)


@dataclass(frozen=True)
class Directive:
    kind: str
    selectors: tuple[str, ...] | None  # None: every rule
    line: int


class Suppressions:
    """The directives of one file, answering "is this rule silenced on this line?"."""

    def __init__(self, directives: list[Directive]) -> None:
        self.directives = sorted(directives, key=lambda d: d.line)

    @classmethod
    def scan(cls, file: SourceFile) -> "Suppressions":
        """The directives in ``file``, each at its file line (the file's own line starts, counted once)."""
        found = []
        if "empathylint:" in file.text.lower():
            for match in DIRECTIVE_RE.finditer(file.text):
                line = file.position(match.start())[0]
                sel = match.group("sel")
                selectors = tuple(s.strip() for s in sel.split(",")) if sel else None
                found.append(Directive(match.group("kind").lower(), selectors, line))
        return cls(found)

    def __bool__(self) -> bool:
        return bool(self.directives)

    def suppressed(self, line: int, code: str, name: str, category: str) -> bool:
        def names(selectors: tuple[str, ...] | None) -> bool:
            return selectors is None or any(
                code.startswith(s.upper()) or s in (name, category) or s.lower() == "all" for s in selectors)

        off = False
        for d in self.directives:
            if d.kind == "disable-line" and d.line == line and names(d.selectors):
                return True
            if d.kind == "disable-next-line" and d.line == line - 1 and names(d.selectors):
                return True
            if d.line > line:
                continue
            if d.kind == "disable" and names(d.selectors):
                off = True
            elif d.kind == "enable" and names(d.selectors):
                off = False
        return off


def mask_directives(text: str) -> str:
    """``text`` with every directive comment replaced by spaces (same length, so offsets hold)."""
    if "empathylint:" not in text.lower():
        return text
    return COMMENT_RE.sub(lambda m: " " * len(m.group(0)), text)
