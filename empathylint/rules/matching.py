"""Compiling rule patterns into spaCy matchers and finding their matches in a `Doc`.

All token patterns of all rules share one `Matcher`, all phrases one `PhraseMatcher` and all dependency
patterns one `DependencyMatcher`, so a reply is scanned once per matcher however many rules there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..errors import RuleFileError
from .conditions import CONDITIONS
from .model import Pattern


@dataclass(frozen=True)
class PatternMatch:
    """A pattern that matched (and whose conditions held), with the span it reports."""

    key: str
    pattern: Pattern
    span: Span


class PatternSet:
    """A compiled set of patterns, each under a key (a rule code, or a check's pattern group)."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc]) -> None:
        self._vocab = vocab
        self._make_doc = make_doc
        self._tokens = Matcher(vocab, validate=True)
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        self._deps = DependencyMatcher(vocab, validate=True)
        self._by_id: dict[str, tuple[str, Pattern]] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, key: str, pattern: Pattern, path: str) -> None:
        """Compile one pattern; a pattern spaCy rejects is reported with its file and line."""
        match_id = f"{key}#{len(self._by_id)}"
        try:
            if pattern.kind == "tokens":
                self._tokens.add(match_id, [pattern.value])
            elif pattern.kind == "phrases":
                self._phrases.add(match_id, [self._make_doc(p) for p in pattern.value])
            else:
                self._deps.add(match_id, [pattern.value])
        except (ValueError, KeyError, TypeError) as exc:
            first = str(exc).strip().splitlines()
            detail = " ".join(line.strip() for line in first if line.strip())[:400]
            raise RuleFileError(path, f"{key}: invalid {pattern.kind} pattern: {detail}",
                                pattern.line or None) from None
        self._by_id[match_id] = (key, pattern)

    def add_all(self, key: str, patterns: Iterable[Pattern], path: str) -> None:
        for pattern in patterns:
            self.add(key, pattern, path)

    def find(self, doc: Doc) -> list[PatternMatch]:
        """Every match whose conditions hold, in document order."""
        found: list[PatternMatch] = []
        strings = self._vocab.strings
        if len(self._tokens):
            for match_id, start, end, alignments in self._tokens(doc, with_alignments=True):
                key, pattern = self._by_id[strings[match_id]]
                span = _report_tokens(doc, start, end, alignments, pattern.report)
                self._keep(found, key, pattern, span)
        if len(self._phrases):
            for match_id, start, end in self._phrases(doc):
                key, pattern = self._by_id[strings[match_id]]
                self._keep(found, key, pattern, doc[start:end])
        if len(self._deps):
            for match_id, token_ids in self._deps(doc):
                key, pattern = self._by_id[strings[match_id]]
                self._keep(found, key, pattern, _report_nodes(doc, pattern, token_ids))
        found.sort(key=lambda m: (m.span.start_char, -m.span.end_char))
        return found

    @staticmethod
    def _keep(found: list[PatternMatch], key: str, pattern: Pattern, span: Span | None) -> None:
        if span is None or len(span) == 0:
            return
        if all(CONDITIONS[c](span) for c in pattern.when) and not any(
                CONDITIONS[c](span) for c in pattern.unless):
            found.append(PatternMatch(key, pattern, span))


def _report_tokens(doc: Doc, start: int, end: int, alignments: list[int],
                   report: tuple) -> Span | None:
    """The reported part of a token match: tokens whose pattern index is in ``report`` (all by default)."""
    if not report:
        return doc[start:end]
    wanted = set(report)
    picked = [start + i for i, pattern_index in enumerate(alignments) if pattern_index in wanted]
    return doc[min(picked):max(picked) + 1] if picked else None


def _report_nodes(doc: Doc, pattern: Pattern, token_ids: list[int]) -> Span:
    """The reported part of a dependency match: the named nodes (all by default), min to max."""
    if pattern.report:
        names = [node["RIGHT_ID"] for node in pattern.value]
        token_ids = [tid for name, tid in zip(names, token_ids) if name in pattern.report]
    return doc[min(token_ids):max(token_ids) + 1]
