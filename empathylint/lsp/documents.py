"""Editors' buffers and what the other modules answer from: a `Buffer` is an open document with the client's
edits applied by `positions` (not in pygls's workspace, whose documents split lines where ``str.splitlines``
does, so that an edit after a form feed landed on the wrong line); it is read the way ``check`` reads a file,
with the reader chosen by the URI's extension, else the client's ``languageId``, else plain text, from its
text, saved or not; a `LintedDocument` holds the results and each finding's place in the buffer."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from pygls.uris import to_fs_path

from ..readers import READERS, ReadOptions, known_extensions, read_stream
from .positions import Positions

if TYPE_CHECKING:
    from ..diagnostic import Diagnostic
    from ..linter import LintResult
    from ..rules.registry import RuleSet
    from ..source import Source, SourceFile

BOM = "\ufeff"
#: The reader for a buffer whose name has no extension a reader claims (an untitled buffer, a file named by
#: its languageId alone), by the client's languageId (VS Code's and Neovim's names).
LANGUAGE_FORMATS = {
    "plaintext": "text", "text": "text", "markdown": "markdown", "html": "html", "xhtml": "html",
    "email": "email", "mail": "email", "eml": "email", "json": "json", "jsonc": "json", "jsonl": "jsonl",
    "csv": "csv", "tsv": "csv", "yaml": "yaml", "handlebars": "template", "mustache": "template",
    "liquid": "template", "jinja": "template", "jinja2": "template", "jinja-html": "template",
    "django-html": "template", "htmldjango": "template",
}


def document_path(uri: str) -> str:
    """The file a ``file:`` URI names (as ``check`` would be given it); any other URI (``untitled:``) as is."""
    return to_fs_path(uri) or uri


def input_format_for(path: str, language_id: str | None) -> str | None:
    """The reader format to force for a buffer, or ``None`` to choose by extension (and content) as
    ``check`` does: the extension wins, then the languageId, then plain text."""
    if path.lower().endswith(tuple(known_extensions())):
        return None
    name = LANGUAGE_FORMATS.get((language_id or "").lower())
    return name if name in READERS else "text"


def read_document(path: str, text: str, language_id: str | None = None, input_format: str | None = None,
                  options: ReadOptions = ReadOptions()) -> list["Source"]:
    """The sources of a buffer; `InputError` when it cannot be read (JSON that does not parse, say)."""
    if not text.strip():
        return []
    chosen = input_format or input_format_for(path, language_id)
    data = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    return list(read_stream(path, data, options, chosen))


@dataclass
class Buffer:
    """An open document as the client last sent it."""

    text: str
    version: int | None
    language_id: str | None

    def apply(self, change: Any, encoding: Any) -> None:
        """Apply one ``contentChanges`` entry: a range (in the client's ``encoding``) and its new text, or the
        whole new text. Lines are counted as LSP counts them (`Positions`), not as ``str.splitlines`` does:
        a form feed or U+2028 in a pasted draft ends no line."""
        where = getattr(change, "range", None)
        if where is None:
            self.text = change.text
            return
        positions = Positions(self.text, encoding)
        start, end = positions.offset(where.start), positions.offset(where.end)
        self.text = self.text[:start] + change.text + self.text[max(start, end):]


@dataclass
class LintedDocument:
    """A buffer as it was linted: its version and text, the positions in it and the results of its sources."""

    uri: str
    version: int | None
    text: str
    positions: Positions
    results: list["LintResult"]
    rules: "RuleSet | None" = None  # every rule the buffer's linter knows (its page, its pack)

    def window_start(self, file: "SourceFile") -> int:
        """Where in the buffer a reader's text starts: a streaming reader holds one record's lines
        (``line_base`` lines in), and a decoded buffer lost its byte-order mark."""
        start = self.positions.line_start(file.line_base)
        if file.line_base == 0 and self.text.startswith(BOM) and not file.text.startswith(BOM):
            start += 1
        return start

    def findings(self) -> Iterator[tuple["Diagnostic", "Source", int, int]]:
        """Each diagnostic with its source and its ``[start, end)`` in the buffer."""
        for result in self.results:
            base = self.window_start(result.source.file)
            for diagnostic in result.diagnostics:
                yield diagnostic, result.source, base + diagnostic.start, base + diagnostic.end
