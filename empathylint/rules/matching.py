"""Compiling rule patterns into spaCy matchers and finding their matches in a `Doc`.

All phrases share one `PhraseMatcher` (a hash lookup per token, however many phrases there are). Token and
dependency patterns are compiled one matcher each, with the words the pattern cannot match without
(`anchors.requirements`): spaCy's `Matcher` tries every pattern at every token, which made it the most
expensive part of linting, while a reply contains the anchor words of only a few patterns. A pattern runs
only on docs that contain its anchors, so the matches are exactly those of one shared matcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Iterable, Iterator

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..entities import ENTITY_ATTR, ensure_entities
from ..errors import RuleFileError
from .anchors import DocIndex, Requirement, index_of, requirements
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
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        #: ``(key, requirements, matcher)`` per token or dependency pattern; a matcher holds one pattern.
        self._tokens: list[tuple[str, tuple[Requirement, ...], Matcher]] = []
        self._deps: list[tuple[str, tuple[Requirement, ...], DependencyMatcher]] = []
        self._by_id: dict[str, tuple[str, Pattern]] = {}
        #: whether a pattern reads entities, which the pipeline then computes on demand (`entities`)
        self._reads_entities = False

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, key: str, pattern: Pattern, path: str) -> None:
        """Compile one pattern; a pattern spaCy rejects is reported with its file and line."""
        match_id = f"{key}#{len(self._by_id)}"
        try:
            if pattern.kind == "tokens":
                matcher = Matcher(self._vocab, validate=True)
                matcher.add(match_id, [pattern.value])
                self._tokens.append((key, requirements(self._vocab, pattern.value), matcher))
            elif pattern.kind == "phrases":
                self._phrases.add(match_id, [self._make_doc(p) for p in pattern.value])
            else:
                dep_matcher = DependencyMatcher(self._vocab, validate=True)
                dep_matcher.add(match_id, [pattern.value])
                nodes = [node.get("RIGHT_ATTRS", {}) for node in pattern.value]
                self._deps.append((key, requirements(self._vocab, nodes), dep_matcher))
        except (ValueError, KeyError, TypeError) as exc:
            first = str(exc).strip().splitlines()
            detail = " ".join(line.strip() for line in first if line.strip())[:400]
            raise RuleFileError(path, f"{key}: invalid {pattern.kind} pattern: {detail}",
                                pattern.line or None) from None
        self._by_id[match_id] = (key, pattern)
        self._reads_entities = self._reads_entities or bool(ENTITY_ATTR.search(repr(pattern.value)))

    def add_all(self, key: str, patterns: Iterable[Pattern], path: str) -> None:
        for pattern in patterns:
            self.add(key, pattern, path)

    def find(self, doc: Doc, keys: Collection[str] | None = None) -> list[PatternMatch]:
        """Every match whose conditions hold, in document order; only of the patterns under ``keys`` when
        given."""
        found: list[PatternMatch] = []
        if self._reads_entities:
            ensure_entities(doc)
        index = index_of(doc)
        self._find_tokens(doc, index, keys, found)
        if len(self._phrases):
            for match_id, start, end in self._phrases(doc):
                key, pattern = self._by_id[self._vocab.strings[match_id]]
                if keys is None or key in keys:
                    self._keep(found, key, pattern, doc[start:end])
        self._find_dependencies(doc, index, keys, found)
        found.sort(key=lambda m: (m.span.start_char, -m.span.end_char))
        return found

    def _find_tokens(self, doc: Doc, index: DocIndex, keys: Collection[str] | None,
                     found: list[PatternMatch]) -> None:
        for key, matcher, where, offset in _runs(self._tokens, doc, index, keys):
            for match_id, start, end, alignments in matcher(where, with_alignments=True):
                _, pattern = self._by_id[self._vocab.strings[match_id]]
                span = _report_tokens(doc, start + offset, end + offset, alignments, pattern.report)
                self._keep(found, key, pattern, span)

    def _find_dependencies(self, doc: Doc, index: DocIndex, keys: Collection[str] | None,
                           found: list[PatternMatch]) -> None:
        for key, matcher, where, offset in _runs(self._deps, doc, index, keys):
            # a DependencyMatcher matches a Doc: the index gives the sentence's own piece, or a copy of it
            target = index.sentence_doc(where) if isinstance(where, Span) else doc
            for match_id, token_ids in matcher(target):
                _, pattern = self._by_id[self._vocab.strings[match_id]]
                self._keep(found, key, pattern, _report_nodes(doc, pattern, [i + offset for i in token_ids]))

    @staticmethod
    def _keep(found: list[PatternMatch], key: str, pattern: Pattern, span: Span | None) -> None:
        if span is None or len(span) == 0:
            return
        if all(CONDITIONS[c](span) for c in pattern.when) and not any(
                CONDITIONS[c](span) for c in pattern.unless):
            found.append(PatternMatch(key, pattern, span))


def _runs(table: list, doc: Doc, index: DocIndex, keys: Collection[str] | None) -> Iterator[tuple]:
    """``(key, matcher, where, offset)`` for each pattern of ``table`` (``(key, needs, matcher)`` rows) that
    ``keys`` selects and ``doc`` holds the required words of, and each place it can match: the sentences
    holding all its required words (patterns match within a sentence), or the whole doc for a pattern that
    requires no word; ``offset`` is where that place starts in ``doc``."""
    for key, needs, matcher in table:
        if (keys is not None and key not in keys) or not index.allows(needs):
            continue
        for where in index.sentences_with(doc, needs) if needs else [doc]:
            yield key, matcher, where, where.start if isinstance(where, Span) else 0


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
