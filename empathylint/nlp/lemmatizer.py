"""spaCy's English rule lemmatizer, lemmatizing each distinct (word, part of speech, morphology) once.

`EnglishLemmatizer` in ``rule`` mode caches the lemmas its rules find, but not the answer for the words it
takes as base forms (singular nouns, infinitives, plain adjectives: most of a reply), which it works out anew
for every token from the token's morphology. A lemma depends on nothing but the word, its part of speech and
its morphology (`Lemmatizer.rule_lemmatize`), so `MemoLemmatizer` remembers every answer by those three and
sets the doc's lemmas in one `Doc.from_array`. Tokens the attribute ruler gave a lemma keep it, as before.
"""

from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.tokens import Doc

#: Distinct (word, part of speech, morphology) kept before the memo starts over: about 3,800 for 3,000 Bitext
#: replies, at about 300 bytes each, so at most ~15 MB.
MEMO_SIZE = 50_000


class MemoLemmatizer(EnglishLemmatizer):
    """An `EnglishLemmatizer` that remembers every rule-mode lemma by (word, part of speech, morphology)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "rule":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables(Errors.E1004)
        memo = self._memo
        if len(memo) > MEMO_SIZE:
            memo.clear()
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma == 0 or self.overwrite:
                lemma = memo.get((orth, pos, morph))
                if lemma is None:
                    lemma = memo[orth, pos, morph] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        if lemmas:
            doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
        return doc


@Language.factory("empathylint_lemmatizer", default_config={"model": None, "mode": "rule", "overwrite": False})
def make_memo_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool) -> MemoLemmatizer:
    """spaCy factory for `MemoLemmatizer` (its lookup tables are taken from the lemmatizer it replaces)."""
    return MemoLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite)


def remember_lemmas(nlp: Language) -> None:
    """Swap ``nlp``'s English rule ``lemmatizer`` for a `MemoLemmatizer` with the same tables (in place, same
    name and position); any other lemmatizer, or none, is left as it is."""
    if "lemmatizer" not in nlp.component_names:
        return
    old = nlp.get_pipe("lemmatizer")
    if type(old) is not EnglishLemmatizer or old.mode != "rule":
        return
    new = nlp.replace_pipe("lemmatizer", "empathylint_lemmatizer",
                           config={"mode": old.mode, "overwrite": old.overwrite})
    new.lookups = old.lookups
    new._validated = old._validated
