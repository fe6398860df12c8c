"""Fingerprints that survive unrelated edits, and the baseline file built from them.

A team adopting empathylint on 2,000 existing macros records today's findings once
(``check --baseline FILE`` when FILE does not exist yet); later runs report, and fail on, only findings
that are not in it.

A finding's fingerprint hashes the rule code, the matched text (case and white space folded) and how many
earlier findings of the same rule on the same text precede it in the same reply. Line numbers are left out
on purpose: adding a paragraph above a finding, or editing another reply in the file, keeps its
fingerprint. SARIF's ``partialFingerprints`` use the same value.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from . import __version__
from .errors import ConfigError

if TYPE_CHECKING:
    from .diagnostic import Diagnostic
    from .linter import LintResult

BASELINE_VERSION = 1
#: The key under which SARIF results carry the fingerprint; bump the suffix if the recipe changes.
FINGERPRINT_KEY = "empathylint/v1"


def normalize(text: str) -> str:
    """The matched text as the fingerprint sees it: lower case, runs of white space as one space."""
    return " ".join(text.lower().split())


def fingerprints(diagnostics: Iterable["Diagnostic"]) -> list[str]:
    """One fingerprint per diagnostic of one reply (file or record), in the order given."""
    seen: Counter = Counter()
    out = []
    for d in diagnostics:
        key = (d.code, normalize(d.text))
        occurrence = seen[key]
        seen[key] += 1
        material = "\x1f".join((d.code, key[1], d.record or "", str(occurrence)))
        out.append(hashlib.sha256(material.encode("utf-8")).hexdigest()[:32])
    return out


def _entry_key(path: str, record: str | None, code: str, fingerprint: str) -> tuple:
    return (path, record or None, code, fingerprint)


@dataclass
class Baseline:
    """The findings recorded in a baseline file, matched as a multiset (two identical findings in one
    reply need two entries)."""

    path: Path
    entries: Counter = field(default_factory=Counter)
    matched: int = 0
    recording = False

    @classmethod
    def load(cls, path: str | Path) -> "Baseline":
        """Read a baseline file; a malformed one is a `ConfigError` saying what to do."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read baseline: {exc}") from None
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{exc.lineno}: baseline is not valid JSON ({exc.msg}); delete it to "
                              "record a new one") from None
        if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION:
            raise ConfigError(f"{path}: not an empathylint baseline (version {BASELINE_VERSION}); delete it "
                              "to record a new one")
        findings = data.get("findings")
        if not isinstance(findings, list) or not all(
                isinstance(f, dict) and {"path", "code", "fingerprint"} <= f.keys() for f in findings):
            raise ConfigError(f"{path}: 'findings' must be a list of {{path, code, fingerprint}} objects")
        baseline = cls(path)
        for f in findings:
            baseline.entries[_entry_key(f["path"], f.get("record"), f["code"], f["fingerprint"])] += 1
        return baseline

    def _relative(self, path: str) -> str:
        return relative_path(path, self.path.resolve().parent)

    def apply(self, result: "LintResult") -> "LintResult":
        """Drop the result's diagnostics that the baseline holds (each entry absorbs one finding)."""
        if not result.diagnostics:
            return result
        path = self._relative(result.source.path)
        keep = []
        for d, fp in zip(result.diagnostics, fingerprints(result.diagnostics)):
            key = _entry_key(path, d.record, d.code, fp)
            if self.entries[key] > 0:
                self.entries[key] -= 1
                self.matched += 1
            else:
                keep.append(d)
        result.diagnostics = keep
        return result

    @property
    def gone(self) -> int:
        """Baselined findings that did not turn up in this run (fixed, or their files not linted)."""
        return sum(self.entries.values())

    def close(self) -> str:
        """What to tell the user at the end of the run."""
        message = f"{_findings(self.matched)} baselined in {self.path} (not reported)"
        if self.gone:
            message += (f"; {_findings(self.gone)} in the baseline no longer occur (delete the file and run "
                        "again to record a smaller baseline)")
        return message


class BaselineRecorder:
    """Collects the findings of a run and writes them as a new baseline file."""

    recording = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._base = self.path.resolve().parent
        self.findings: list[dict] = []

    def apply(self, result: "LintResult") -> "LintResult":
        path = relative_path(result.source.path, self._base)
        for d, fp in zip(result.diagnostics, fingerprints(result.diagnostics)):
            self.findings.append({"path": path, "record": d.record, "code": d.code, "fingerprint": fp,
                                  "text": d.text})
        return result

    def close(self) -> str:
        """Write the file (sorted, so that re-recording gives a readable diff); returns what to tell the
        user."""
        findings = sorted(self.findings, key=lambda f: (f["path"], f["record"] or "", f["code"],
                                                        f["fingerprint"]))
        doc = {"version": BASELINE_VERSION, "tool": {"name": "empathylint", "version": __version__},
               "created": date.today().isoformat(), "findings": findings}
        data = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")  # before the file is opened
        try:
            self.path.write_bytes(data)
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot write baseline: {exc.strerror or exc}") from None
        return (f"recorded {_findings(len(findings))} in baseline {self.path}; later runs with "
                "--baseline report only new findings")


def open_baseline(path: str | Path) -> "Baseline | BaselineRecorder":
    """``check --baseline FILE``: filter against FILE when it exists, else record this run into it."""
    return Baseline.load(path) if Path(path).exists() else BaselineRecorder(path)


def _findings(n: int) -> str:
    return f"{n} finding{'s' if n != 1 else ''}"


def relative_path(path: str, base: Path) -> str:
    """``path`` relative to ``base`` with forward slashes, so a baseline works from any checkout;
    pseudo-paths such as ``<stdin>`` are kept as they are. A byte of a file name that is not valid UTF-8 is
    written U+FFFD, as in every output format (`formatters.base.well_formed`), when recording and matching alike."""
    from .formatters.base import well_formed

    if path.startswith("<"):
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        return well_formed(Path(absolute).as_posix())
    return well_formed(Path(rel).as_posix())
