"""The linter's safe fixes as code actions: a quick fix per finding, and one action that applies every safe
fix in the buffer (``source.fixAll.empathylint``, what an editor runs on save when asked to).

The edits are the ones ``check --fix`` writes: the same choice of fixes (`fixes.safe_fixes`, only those a
reader maps back verbatim: `fixes.maps_verbatim`), spliced by `fixes.apply_fixes` (a deletion takes the space
beside it and passes a capital on); what changed is then sent as one text edit per reader window."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Iterable

from lsprotocol import types

from ..fixes import apply_fixes, maps_verbatim, safe_fixes
from .diagnostics import lsp_diagnostic

if TYPE_CHECKING:
    from ..diagnostic import Diagnostic
    from ..rules.registry import RuleSet
    from ..source import Source
    from .documents import LintedDocument

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.empathylint"


def code_actions(document: "LintedDocument", where: types.Range, rules: "RuleSet",
                 only: Iterable[str] | None = None) -> list[types.CodeAction]:
    """The quick fixes of the findings that touch ``where``, and the fix-all action when any fix is safe;
    ``only``: the kinds the client asked for (a kind covers its sub-kinds)."""
    wanted = list(only) if only else None

    def asked(kind: str) -> bool:
        return wanted is None or any(kind == k or kind.startswith(f"{k}.") for k in wanted)

    fixable = [(d, source, start, end) for d, source, start, end in document.findings() if _editable(source, d)]
    actions = []
    if asked(types.CodeActionKind.QuickFix):
        lo, hi = document.positions.offset(where.start), document.positions.offset(where.end)
        for d, source, start, end in fixable:
            if start <= hi and lo <= end:
                actions.append(types.CodeAction(
                    title=_title(d), kind=types.CodeActionKind.QuickFix, is_preferred=True,
                    diagnostics=[lsp_diagnostic(d, document.positions.range(start, end), rules)],
                    edit=_workspace_edit(document, source, [d])))
    if fixable and asked(FIX_ALL):
        edits = []
        for _, group in groupby(fixable, key=lambda item: id(item[1].file)):
            group = list(group)
            edits += _edits(document, group[0][1], [d for d, *_ in group])
        actions.append(types.CodeAction(title="empathylint: apply every safe fix", kind=FIX_ALL,
                                        edit=types.WorkspaceEdit(changes={document.uri: edits})))
    return actions


def _editable(source: "Source", diagnostic: "Diagnostic") -> bool:
    return bool(safe_fixes([diagnostic])) and maps_verbatim(source, diagnostic.fix)


def _title(diagnostic: "Diagnostic") -> str:
    replacement = diagnostic.fix.replacement  # type: ignore[union-attr]
    change = f"replace with “{replacement}”" if replacement else f"delete “{diagnostic.text}”"
    return f"{diagnostic.code}: {change}"


def _workspace_edit(document: "LintedDocument", source: "Source",
                    diagnostics: list["Diagnostic"]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={document.uri: _edits(document, source, diagnostics)})


def _edits(document: "LintedDocument", source: "Source", diagnostics: list["Diagnostic"]) -> list[types.TextEdit]:
    """The edit that applies the safe ones of ``diagnostics``' fixes (all from ``source``'s file) to the
    buffer: what differs between the reader's text before and after them."""
    chosen = safe_fixes(diagnostics)
    if not chosen:
        return []
    before = source.file.text
    after = apply_fixes(before, [d.fix for d in chosen])  # type: ignore[misc]
    start, old_end, new_end = _changed(before, after)
    base = document.window_start(source.file)
    return [types.TextEdit(range=document.positions.range(base + start, base + old_end),
                           new_text=after[start:new_end])]


def _changed(before: str, after: str) -> tuple[int, int, int]:
    """``(start, end in before, end in after)`` of the one stretch where ``after`` differs from ``before``."""
    start, limit = 0, min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end_before, end_after = len(before), len(after)
    while end_before > start and end_after > start and before[end_before - 1] == after[end_after - 1]:
        end_before -= 1
        end_after -= 1
    return start, end_before, end_after
