"""empathylint's diagnostics as LSP diagnostics: the range in the client's position encoding, the severity,
the rule's code (linked to the rule pack that defines it) and ``source: empathylint``. A buffer that cannot be
read (JSON that does not parse yet) or a record too long to lint is one error diagnostic where the reader
says, so that the editor shows why nothing else is reported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from ..diagnostic import Severity
from ..errors import InputError

if TYPE_CHECKING:
    from ..diagnostic import Diagnostic
    from ..rules.registry import RuleSet
    from .documents import LintedDocument
    from .positions import Positions

SOURCE = "empathylint"
SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error, Severity.WARNING: types.DiagnosticSeverity.Warning,
              Severity.INFO: types.DiagnosticSeverity.Information}


def lsp_diagnostics(document: "LintedDocument", rules: "RuleSet") -> list[types.Diagnostic]:
    """Every finding of a linted buffer in buffer order, then what kept a source from being linted and the
    readers' notices (a record that is not JSON), each on its record's first line."""
    out = [lsp_diagnostic(d, document.positions.range(start, end), rules)
           for d, _, start, end in document.findings()]
    for result in document.results:
        first = document.positions.position(document.window_start(result.source.file)).line + 1
        if result.error:
            out.append(error_diagnostic(result.error, document.positions, first))
        out += [error_diagnostic(InputError(result.source.path, notice), document.positions, first,
                                 types.DiagnosticSeverity.Warning) for notice in result.notices]
    return out


def lsp_diagnostic(diagnostic: "Diagnostic", where: types.Range, rules: "RuleSet") -> types.Diagnostic:
    """One finding at ``where`` (its range in the client's encoding), its first suggestion under the message."""
    rule = rules.get(diagnostic.code)
    message = diagnostic.message
    if diagnostic.suggestions:
        message += f"\n→ {diagnostic.suggestions[0]}"
    link = None
    if rule is not None and rule.path:  # the pack that defines the rule: its docs and examples
        link = types.CodeDescription(href=Path(rule.path).resolve().as_uri())
    return types.Diagnostic(range=where, message=message, severity=SEVERITIES[diagnostic.severity],
                            code=diagnostic.code, code_description=link, source=SOURCE,
                            data={"name": diagnostic.name, "category": diagnostic.category})


def error_diagnostic(error: InputError, positions: "Positions", line: int = 1,
                     severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Error) -> types.Diagnostic:
    """An input error as a diagnostic on the (1-based) line it names, else on ``line``."""
    line = max((error.line or line) - 1, 0)
    return types.Diagnostic(range=positions.range(positions.line_start(line), positions.line_end(line)),
                            message=error.problem, severity=severity, source=SOURCE)
