"""spaCy's attribute ruler, matching its one-token patterns once per distinct token instead of once per token.

The English pipeline's attribute ruler maps tags to parts of speech and morphology and fixes lemmas (179
patterns, all but nine a single token: ``{"TAG": "NN"}``, ``{"LOWER": "this", "TAG": "DT"}``). spaCy's
`AttributeRuler` runs them through a `Matcher`, which tries every pattern at every token: 2.5 ms of a
140-token Bitext reply, more than its parser. Whether a one-token pattern matches depends only on the
attributes it names, so `MemoAttributeRuler` matches those patterns once per distinct combination of the
attributes they read (``LOWER``, ``TAG``, ``DEP``, ``IS_SPACE`` in ``en_core_web_sm``), remembers which ones
matched, and runs a `Matcher` only for the longer patterns, and only on docs that hold the words one of them
needs ("gon" and "na", "let" and "'s" …). `match` returns exactly what `AttributeRuler.match` returns (the same
tuples in the same order).

Applying them is spaCy's `set_annotations` (a `Span` and a `set_token_attrs` per match, ~190 matches in a
reply) when a longer pattern matched. When none did (most sentences), each token's matches are one-token
patterns whose attributes spaCy would set one after another, in pattern order; the ruler remembers their sum for
the token's key as well and sets it in one `set_token_attrs`: the same values, since each attribute is simply
assigned and the last assignment stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

from ..rules.anchors import Requirement, requirements, word_columns

#: Token attributes a one-token pattern may name and still be remembered: each is one value per token that
#: `Doc.to_array` reads. A pattern naming anything else (an operator, a custom ``_`` attribute) goes to the
#: `Matcher` as before.
KEY_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "MORPH", "IS_SPACE",
                       "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM"})
#: Distinct tokens remembered before the memo starts over: about 8,000 keys for 3,000 Bitext replies, at about
#: 300 bytes each, so at most ~15 MB.
MEMO_SIZE = 50_000


@dataclass(frozen=True)
class _Plan:
    """The ruler's patterns, compiled for `MemoAttributeRuler`."""

    one_token: Matcher
    longer: Matcher
    #: the attributes the one-token patterns read (`Doc.to_array` ids): a token's memo key
    key_ids: list[int]
    #: each pattern's match id (a string-store hash), by its index
    match_ids: list[int]
    #: the words each longer pattern needs (`rules.anchors.requirements`), or None when one needs none: a
    #: doc without them is not given to the longer patterns' `Matcher`
    longer_needs: list[tuple[Requirement, ...]] | None


class MemoAttributeRuler(AttributeRuler):
    """An `AttributeRuler` that remembers which one-token patterns match each distinct token."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._forget()

    def clear(self) -> None:
        super().clear()
        self._forget()

    def _forget(self) -> None:
        self._plan: _Plan | None = None
        #: key -> (the one-token patterns that match, the attributes they set, merged in pattern order)
        self._memo: dict[tuple, tuple[tuple[int, ...], dict]] = {}
        #: the merged attributes of each combination of patterns seen, shared by the keys that have it
        self._sums: dict[tuple[int, ...], dict] = {}

    def add(self, patterns, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._forget()

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            longer = self._longer_matches(doc)
            if longer:
                self.set_annotations(doc, self._matches(doc, longer))  # spaCy's way, match by match
                return doc
            for token, (_, attrs) in zip(doc, self._remembered(doc)):
                if attrs:
                    set_token_attrs(token, attrs)
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def match(self, doc: Doc) -> list[tuple[int, Any, int, int]]:
        return self._matches(doc, self._longer_matches(doc))

    def _matches(self, doc: Doc, longer: list[tuple[int, int, int]]) -> list[tuple[int, Any, int, int]]:
        """Every match as `AttributeRuler.match` gives it, given the longer patterns' matches."""
        match_ids = self._compiled().match_ids
        matches = [(attr, match_ids[attr], i, i + 1)
                   for i, (found, _) in enumerate(self._remembered(doc)) for attr in found]
        matches.extend((int(self.vocab.strings[m_id]), m_id, s, e) for m_id, s, e in longer)
        matches.sort()
        return matches

    def _longer_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The longer patterns' matches ``(match id, start, end)``; none without running the `Matcher` when the
        doc lacks the words each of them needs."""
        plan = self._compiled()
        if not len(plan.longer):
            return []
        if plan.longer_needs is not None:
            present = tuple(map(set, word_columns(doc)))
            if not any(all(need.met(present) for need in needs) for needs in plan.longer_needs):
                return []
        return plan.longer(doc, allow_missing=True, as_spans=False)

    def _remembered(self, doc: Doc) -> list[tuple[tuple[int, ...], dict]]:
        """For each token: the one-token patterns that match it, and the attributes they set, merged."""
        plan = self._compiled()
        memo = self._memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        width = len(plan.key_ids)
        keys = doc.to_array(plan.key_ids).reshape(len(doc), width).tolist() if width else [[]] * len(doc)
        out = []
        for i, key in enumerate(map(tuple, keys)):
            entry = memo.get(key)
            if entry is None:
                found = tuple(sorted(int(self.vocab.strings[m_id]) for m_id, _, _ in
                                     plan.one_token(doc[i:i + 1], allow_missing=True, as_spans=False))
                              ) if len(plan.one_token) else ()
                attrs = self._sums.get(found)
                if attrs is None:
                    attrs = self._sums[found] = _merged(self.attrs[attr] for attr in found)
                entry = memo[key] = (found, attrs)
            out.append(entry)
        return out

    def _compiled(self) -> _Plan:
        """The patterns compiled, on first use after a change."""
        if self._plan is None:
            one_token, longer = Matcher(self.vocab), Matcher(self.vocab)
            read: set[str] = set()
            needs: list[tuple[Requirement, ...]] | None = []
            for attr, entry in enumerate(self.patterns):
                named = _one_token_attrs(entry["patterns"])
                if named is None:
                    longer.add(str(attr), entry["patterns"])
                    for pattern in entry["patterns"]:
                        required = requirements(self.vocab, pattern)
                        if not required:
                            needs = None
                        elif needs is not None:
                            needs.append(required)
                else:
                    one_token.add(str(attr), entry["patterns"])
                    read |= named
            self._plan = _Plan(one_token, longer, [IDS[name] for name in sorted(read)],
                               [self.vocab.strings[str(attr)] for attr in range(len(self.attrs))], needs)
        return self._plan


def _merged(attrs: Iterable[dict]) -> dict:
    """The attributes of several patterns as one dict, later ones winning (extension values key by key)."""
    out: dict = {}
    for one in attrs:
        for name, value in one.items():
            out[name] = {**out.get(name, {}), **value} if name == "_" else value
    return out


def _one_token_attrs(patterns: list[list[dict]]) -> set[str] | None:
    """The attributes these alternative patterns read when every one is a single token naming only
    `KEY_ATTRS`; else None."""
    named: set[str] = set()
    for pattern in patterns:
        if len(pattern) != 1:
            return None
        names = {"ORTH" if key.upper() == "TEXT" else key.upper() for key in pattern[0]}
        if not names <= KEY_ATTRS:
            return None
        named |= names
    return named


@Language.factory("empathylint_attribute_ruler", default_config={"validate": False})
def make_memo_attribute_ruler(nlp: Language, name: str, validate: bool) -> MemoAttributeRuler:
    """spaCy factory for `MemoAttributeRuler` (patterns are added afterwards, as with ``attribute_ruler``)."""
    return MemoAttributeRuler(nlp.vocab, name, validate=validate)


def remember_attribute_matches(nlp: Language) -> None:
    """Swap ``nlp``'s ``attribute_ruler`` for a `MemoAttributeRuler` holding the same patterns (in place, same
    name and position); a pipeline without one is left as it is."""
    if "attribute_ruler" not in nlp.component_names:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    ruler = nlp.replace_pipe("attribute_ruler", "empathylint_attribute_ruler")
    ruler.add_patterns(patterns)
