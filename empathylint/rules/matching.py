"""Compiling rule patterns into spaCy matchers and finding their matches in a `Doc`.

All phrases share one `PhraseMatcher` (a hash lookup per token, however many phrases there are). Token and
dependency patterns are compiled by the words they cannot match without (`anchors.requirements`): spaCy's
`Matcher` tries every pattern at every token, which made it the most expensive part of linting, while a reply
contains the required words of only a few patterns. Patterns with the same required words share a matcher,
which runs only on the sentences that hold all of those words (the whole doc for patterns that require none),
so the matches are exactly those of one shared matcher over the doc.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Collection, Iterable, Iterator

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ..nlp.entities import ENTITY_ATTR, ensure_entities
from ..errors import RuleFileError
from .anchors import DocIndex, Requirement, index_of, requirements
from .conditions import CONDITIONS
from .model import Pattern

#: Where matches of each kind of pattern come in a tie (the same span): tokens, phrases, dependencies.
_TOKENS, _PHRASES, _DEPS = range(3)


@dataclass(frozen=True)
class PatternMatch:
    """A pattern that matched (and whose conditions held), with the span it reports."""

    key: str
    pattern: Pattern
    span: Span


@dataclass
class _Group:
    """The patterns of one kind that require the same words, in one matcher, and the keys they are under."""

    matcher: Matcher | DependencyMatcher
    keys: set[str] = field(default_factory=set)


class PatternSet:
    """A compiled set of patterns, each under a key (a rule code, or a check's pattern group)."""

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc]) -> None:
        self._vocab = vocab
        self._make_doc = make_doc
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        #: token and dependency patterns by their requirements
        self._tokens: dict[tuple[Requirement, ...], _Group] = {}
        self._deps: dict[tuple[Requirement, ...], _Group] = {}
        #: match id -> (key, pattern, the order it was added in)
        self._by_id: dict[str, tuple[str, Pattern, int]] = {}
        #: whether a pattern reads entities, which the pipeline then computes on demand (`entities`)
        self._reads_entities = False

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, key: str, pattern: Pattern, path: str) -> None:
        """Compile one pattern; a pattern spaCy rejects is reported with its file and line."""
        match_id = f"{key}#{len(self._by_id)}"
        try:
            if pattern.kind == "tokens":
                group = self._group(self._tokens, requirements(self._vocab, pattern.value), Matcher)
                group.matcher.add(match_id, [pattern.value])
            elif pattern.kind == "phrases":
                self._phrases.add(match_id, [self._make_doc(p) for p in pattern.value])
            else:
                nodes = [node.get("RIGHT_ATTRS", {}) for node in pattern.value]
                group = self._group(self._deps, requirements(self._vocab, nodes), DependencyMatcher)
                group.matcher.add(match_id, [pattern.value])
        except (ValueError, KeyError, TypeError) as exc:
            first = str(exc).strip().splitlines()
            detail = " ".join(line.strip() for line in first if line.strip())[:400]
            raise RuleFileError(path, f"{key}: invalid {pattern.kind} pattern: {detail}",
                                pattern.line or None) from None
        if pattern.kind != "phrases":
            group.keys.add(key)
        self._by_id[match_id] = (key, pattern, len(self._by_id))
        self._reads_entities = self._reads_entities or bool(ENTITY_ATTR.search(repr(pattern.value)))

    def _group(self, groups: dict[tuple[Requirement, ...], _Group], needs: tuple[Requirement, ...],
               kind: type) -> _Group:
        group = groups.get(needs)
        if group is None:
            group = groups[needs] = _Group(kind(self._vocab, validate=True))
        return group

    def add_all(self, key: str, patterns: Iterable[Pattern], path: str) -> None:
        for pattern in patterns:
            self.add(key, pattern, path)

    def find(self, doc: Doc, keys: Collection[str] | None = None, start: int = 0) -> list[PatternMatch]:
        """Every match whose conditions hold, in document order; only of the patterns under ``keys`` when
        given, and only those within ``doc[start:]`` when ``start`` (a sentence's first token) is given."""
        found: list[tuple[tuple, PatternMatch]] = []
        if self._reads_entities:
            ensure_entities(doc)
        index = index_of(doc)
        self._find_tokens(doc, index, keys, start, found)
        if len(self._phrases):
            for match_id, first, end in self._phrases(doc[start:] if start else doc):  # offsets in doc
                self._keep(found, _PHRASES, self._entry(match_id), keys, doc[first:end])
        self._find_dependencies(doc, index, keys, start, found)
        # in document order; a tie (the same span) in the order the patterns were added, tokens first
        found.sort(key=lambda entry: entry[0])
        return [match for _, match in found]

    def _find_tokens(self, doc: Doc, index: DocIndex, keys: Collection[str] | None, start: int,
                     found: list) -> None:
        for matcher, where, offset, _ in _runs(self._tokens, doc, index, keys, start):
            for match_id, first, end, alignments in matcher(where, with_alignments=True):
                entry = self._entry(match_id)
                span = _report_tokens(doc, first + offset, end + offset, alignments, entry[1].report)
                self._keep(found, _TOKENS, entry, keys, span)

    def _find_dependencies(self, doc: Doc, index: DocIndex, keys: Collection[str] | None, start: int,
                           found: list) -> None:
        for matcher, where, offset, sentence in _runs(self._deps, doc, index, keys, start):
            # a DependencyMatcher matches a Doc: the index gives the sentence's own piece, or a copy of it
            if sentence:
                target = index.sentence_doc(where)
            else:  # the whole doc, or its part from `start` on
                target = where if where is doc else where.as_doc()
            for match_id, token_ids in matcher(target):
                entry = self._entry(match_id)
                span = _report_nodes(doc, entry[1], [i + offset for i in token_ids])
                self._keep(found, _DEPS, entry, keys, span)

    def _entry(self, match_id: int) -> tuple[str, Pattern, int]:
        """``(key, pattern, the order it was added in)`` of a matcher's match id."""
        return self._by_id[self._vocab.strings[match_id]]

    @staticmethod
    def _keep(found: list, kind: int, entry: tuple[str, Pattern, int], keys: Collection[str] | None,
              span: Span | None) -> None:
        key, pattern, order = entry
        if (keys is not None and key not in keys) or span is None or len(span) == 0:
            return
        if all(CONDITIONS[c](span) for c in pattern.when) and not any(
                CONDITIONS[c](span) for c in pattern.unless):
            found.append(((span.start_char, -span.end_char, kind, order, len(found)),
                          PatternMatch(key, pattern, span)))


def _runs(groups: dict[tuple[Requirement, ...], _Group], doc: Doc, index: DocIndex,
          keys: Collection[str] | None, start: int = 0) -> Iterator[tuple]:
    """``(matcher, where, offset, whether where is a sentence)`` for each group of patterns that ``keys``
    selects one of and whose required words ``doc`` holds, and each place it can match: the sentences holding
    all those words (patterns match within a sentence), or the whole doc for patterns that require no word;
    ``offset`` is where that place starts in ``doc``. With ``start`` (a sentence's first token), only the
    sentences from there on, or ``doc[start:]``."""
    for needs, group in groups.items():
        if (keys is not None and group.keys.isdisjoint(keys)) or not index.allows(needs):
            continue
        if needs:
            for sent in index.sentences_with(doc, needs):
                if sent.start >= start:
                    yield group.matcher, sent, sent.start, True
        else:
            yield group.matcher, doc[start:] if start else doc, start, False


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
