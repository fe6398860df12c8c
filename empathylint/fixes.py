"""``check --fix``: apply the fixes marked safe to the files they came from.

Fix spans are offsets into the original file's text (`Diagnostic.fix`, mapped back through the reader's
offset map), so fixes are spliced into that text, last first, and the file is written back atomically:
a temporary file in the same folder, then `os.replace`, keeping the file's mode. Everything else in the
file (line endings, encoding, a byte-order mark, the characters around each fix) stays as it was. A file
with no safe fix is never opened for writing, and a file that changed since it was read is left alone.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

from .diagnostic import Diagnostic, Fix

if TYPE_CHECKING:
    from .linter import LintResult
    from .source import Source

T = TypeVar("T")
BOM = "\ufeff"
#: A safe replacement may be written into HTML, JSON, CSV or YAML only if it needs no escaping there.
_NEEDS_ESCAPING = set("<>&\"'\\\r\n\t")


@dataclass
class FixReport:
    """What ``--fix`` did to one file: how many fixes it applied, or why it applied none."""

    path: str
    applied: int = 0
    skipped: str | None = None
    failed: bool = False  # the file could not be read back or written: an error, not just a notice
    fixed: list[Diagnostic] = field(default_factory=list)


def safe_fixes(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics whose fix may be applied unread: marked safe, writable without escaping, and not
    overlapping (or touching) an earlier one, in file order."""
    chosen: list[Diagnostic] = []
    candidates = [d for d in diagnostics if d.fix is not None and d.fix.safe
                  and not _NEEDS_ESCAPING & set(d.fix.replacement)]
    for diagnostic in sorted(candidates, key=lambda d: (d.fix.start, d.fix.end)):  # type: ignore[union-attr]
        if chosen and diagnostic.fix.start <= chosen[-1].fix.end:  # type: ignore[union-attr]
            continue  # touching counts: a deletion also takes the space next to it
        chosen.append(diagnostic)
    return chosen


def apply_fixes(text: str, fixes: Iterable[Fix]) -> str:
    """``text`` with non-overlapping ``fixes`` applied, last first so earlier offsets stay valid."""
    for fix in sorted(fixes, key=lambda f: f.start, reverse=True):
        if fix.replacement:
            text = text[:fix.start] + fix.replacement + text[fix.end:]
        else:
            text = _delete(text, fix.start, fix.end)
    return text


def _delete(text: str, start: int, end: int) -> str:
    """Remove ``[start, end)`` and one space beside it, so "Please do not hesitate to contact us" becomes
    "Please contact us"; a deleted capitalised sentence start passes its capital to the next word."""
    if end < len(text) and text[end] == " " and (start == 0 or not text[start - 1].isalnum()):
        end += 1
    elif start > 0 and text[start - 1] == " ":
        start -= 1
    removed, rest = text[start:end].lstrip(), text[end:]
    if removed[:1].isupper() and rest[:1].islower():
        rest = rest[0].upper() + rest[1:]
    return text[:start] + rest


def fix_file(path: str, results: list["LintResult"]) -> FixReport:
    """Apply the safe fixes of ``results`` (all from the file at ``path``) to that file. The applied
    diagnostics are removed from the results and listed in the report."""
    report = FixReport(path)
    chosen = safe_fixes(d for r in results for d in r.diagnostics if maps_verbatim(r.source, d.fix))
    if not chosen:
        return report
    files = {id(r.source.file) for r in results}
    file = results[0].source.file
    if len(files) != 1 or file.line_base or path in {"-", "<stdin>", "<text>"}:
        report.skipped = "fixes are applied only to whole files read in one piece"
        return report
    try:
        data = Path(path).read_bytes()
        original = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.skipped, report.failed = f"cannot be read again: {exc}", True
        return report
    bom = BOM if original.startswith(BOM) else ""
    if original[len(bom):] != file.text:
        report.skipped, report.failed = "changed since it was linted; not fixed, run again", True
        return report
    fixed = apply_fixes(file.text, [d.fix for d in chosen])  # type: ignore[misc]
    try:
        write_atomic(Path(path), (bom + fixed).encode("utf-8"))
    except OSError as exc:
        report.skipped, report.failed = f"cannot be written: {exc.strerror or exc}", True
        return report
    applied = {id(d) for d in chosen}
    for result in results:
        result.diagnostics = [d for d in result.diagnostics if id(d) not in applied]
    report.applied, report.fixed = len(chosen), chosen
    return report


def fix_stream(pairs: Iterable[tuple[T, "LintResult"]],
               on_report: Callable[[FixReport], None]) -> Iterator[tuple[T, "LintResult"]]:
    """Pass ``(context, result)`` pairs through, fixing each file once all its results (consecutive in the
    stream) are in: the results come out without the diagnostics that were fixed. Holds one file's
    results at a time."""
    for path, group in groupby(pairs, key=lambda pair: pair[1].source.path):
        items = list(group)
        results = [result for _, result in items if result.error is None]
        if results:
            on_report(fix_file(path, results))
        yield from items


def maps_verbatim(source: "Source", fix: Fix | None) -> bool:
    """Whether the fix's span can be edited in the file: no decoded stretch (base64 or an encoded word in
    an email, say) reaches past it. Stretches wholly inside it (an entity such as ``&#39;``) go with it."""
    if fix is None:
        return False
    offsets = source.offsets
    for ext_start, ext_end in offsets.synthetic_spans():
        orig_start, orig_end = offsets.to_original(ext_start), offsets.to_original_end(ext_end)
        if orig_start < fix.end and fix.start < orig_end and not (fix.start <= orig_start and orig_end <= fix.end):
            return False
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` all at once: readers see the old file or the new one, never
    half of it, and an error leaves the old file as it was. The file keeps its permission bits."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".fix", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
