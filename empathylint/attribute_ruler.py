"""spaCy's attribute ruler, matching its one-token patterns once per distinct token instead of once per token.

The English pipeline's attribute ruler maps tags to parts of speech and morphology and fixes lemmas (179
patterns, all but nine a single token: ``{"TAG": "NN"}``, ``{"LOWER": "this", "TAG": "DT"}``). spaCy's
`AttributeRuler` runs them through a `Matcher`, which tries every pattern at every token: 2.5 ms of a
140-token Bitext reply, more than its parser. Whether a one-token pattern matches depends only on the
attributes it names, so `MemoAttributeRuler` matches those patterns once per distinct combination of the
attributes they read (``LOWER``, ``TAG``, ``DEP``, ``IS_SPACE`` in ``en_core_web_sm``), remembers which ones
matched, and runs a `Matcher` only for the longer patterns. `match` returns exactly what `AttributeRuler.match`
returns (the same tuples in the same order); spaCy's own `set_annotations` applies them.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

#: Token attributes a one-token pattern may name and still be remembered: each is one value per token that
#: `Doc.to_array` reads. A pattern naming anything else (an operator, a custom ``_`` attribute) goes to the
#: `Matcher` as before.
KEY_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "MORPH", "IS_SPACE",
                       "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM"})
#: Distinct tokens remembered before the memo starts over (a few hundred bytes each).
MEMO_SIZE = 200_000


class MemoAttributeRuler(AttributeRuler):
    """An `AttributeRuler` that remembers which one-token patterns match each distinct token."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._forget()

    def clear(self) -> None:
        super().clear()
        self._forget()

    def _forget(self) -> None:
        self._plan: tuple[Matcher, Matcher, list[int]] | None = None
        self._memo: dict[tuple, tuple[int, ...]] = {}

    def add(self, patterns, attrs: dict, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._forget()

    def match(self, doc: Doc) -> list[tuple[int, Any, int, int]]:
        one_token, longer, key_ids = self._matchers()
        memo = self._memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        match_ids = self._match_ids
        matches = []
        keys = doc.to_array(key_ids).reshape(len(doc), len(key_ids)).tolist() if key_ids else [[]] * len(doc)
        for i, key in enumerate(map(tuple, keys)):
            found = memo.get(key)
            if found is None:
                found = memo[key] = tuple(sorted(
                    int(self.vocab.strings[m_id]) for m_id, _, _ in
                    one_token(doc[i:i + 1], allow_missing=True, as_spans=False))) if len(one_token) else ()
            matches.extend((attr, match_ids[attr], i, i + 1) for attr in found)
        if len(longer):
            matches.extend((int(self.vocab.strings[m_id]), m_id, s, e)
                           for m_id, s, e in longer(doc, allow_missing=True, as_spans=False))
        matches.sort()
        return matches

    def _matchers(self) -> tuple[Matcher, Matcher, list[int]]:
        """``(one_token, longer, key attribute ids)``, built from the patterns on first use."""
        if self._plan is None:
            one_token, longer = Matcher(self.vocab), Matcher(self.vocab)
            read: set[str] = set()
            for attr, entry in enumerate(self.patterns):
                named = _one_token_attrs(entry["patterns"])
                if named is None:
                    longer.add(str(attr), entry["patterns"])
                else:
                    one_token.add(str(attr), entry["patterns"])
                    read |= named
            self._match_ids = [self.vocab.strings[str(attr)] for attr in range(len(self.attrs))]
            self._plan = (one_token, longer, [IDS[name] for name in sorted(read)])
        return self._plan


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
