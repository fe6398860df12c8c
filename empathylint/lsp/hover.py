"""Hover over a finding: its message, then its rule's page, the same text ``empathylint rules CODE`` prints
(what it flags, why it hurts, examples, what to write instead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from ..rule_docs import page_text

if TYPE_CHECKING:
    from ..rules.registry import RuleSet
    from .documents import LintedDocument


def hover(document: "LintedDocument", position: types.Position, rules: "RuleSet") -> types.Hover | None:
    """The pages of the rules whose findings cover ``position`` (each rule once), or ``None``."""
    offset = document.positions.offset(position)
    parts: list[str] = []
    seen: set[str] = set()
    first: tuple[int, int] | None = None
    for diagnostic, _, start, end in document.findings():
        if not start <= offset <= end or diagnostic.code in seen:
            continue
        rule = rules.get(diagnostic.code)
        if rule is None:
            continue
        seen.add(diagnostic.code)
        first = first or (start, end)
        heading = f"**{diagnostic.code} {diagnostic.name}**: {diagnostic.message}"
        parts.append(f"{heading}\n\n```text\n{page_text(rule)}\n```")
    if first is None:
        return None
    contents = types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts))
    return types.Hover(contents=contents, range=document.positions.range(*first))
