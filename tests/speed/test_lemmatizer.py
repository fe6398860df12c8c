"""`MemoLemmatizer` gives the lemmas spaCy's English rule lemmatizer gives, keeps the attribute ruler's, and
is what the linter's English pipeline runs."""

from __future__ import annotations

import spacy
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from empathylint.nlp.lemmatizer import MemoLemmatizer, remember_lemmas
from empathylint.pipeline import english_pipeline_name, load_english

from .test_attribute_ruler import TEXTS


def _lemmas(docs):
    return [[t.lemma_ for t in doc] for doc in docs]


def test_lemmas_are_spacys_on_a_first_and_a_remembered_pass():
    nlp = spacy.load(english_pipeline_name(), exclude=["ner"])
    expected = _lemmas(nlp.pipe(TEXTS))
    remember_lemmas(nlp)
    assert isinstance(nlp.get_pipe("lemmatizer"), MemoLemmatizer)
    assert nlp.pipe_names[-1] == "lemmatizer"
    first, second = _lemmas(nlp.pipe(TEXTS)), _lemmas(nlp.pipe(TEXTS))
    assert first == expected and second == expected
    doc = nlp("We were gonna send the boxes; she has sent them.")
    assert [t.lemma_ for t in doc if t.lower_ in {"were", "gon", "boxes", "has", "sent"}] == \
        ["be", "go", "box", "have", "send"]


def test_the_attribute_rulers_lemmas_are_kept():
    nlp = spacy.load(english_pipeline_name(), exclude=["ner"])
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "boxes"}]], {"LEMMA": "crate"})
    remember_lemmas(nlp)
    assert [t.lemma_ for t in nlp("The boxes shipped.")] == ["the", "crate", "ship", "."]


def test_the_linter_pipeline_uses_it():
    assert isinstance(load_english(exclude=("ner",)).get_pipe("lemmatizer"), MemoLemmatizer)


def test_a_lookup_lemmatizer_is_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    remember_lemmas(nlp)
    assert type(nlp.get_pipe("lemmatizer")) is EnglishLemmatizer


def test_a_full_memo_starts_over_and_lemmatizes_the_same(monkeypatch):
    import empathylint.nlp.lemmatizer as module

    nlp = spacy.load(english_pipeline_name(), exclude=["ner"])
    expected = _lemmas(nlp.pipe(TEXTS))
    remember_lemmas(nlp)
    monkeypatch.setattr(module, "MEMO_SIZE", 5)
    assert _lemmas(nlp.pipe(TEXTS)) == expected
    assert len(nlp.get_pipe("lemmatizer")._memo) <= 5 + max(len(doc) for doc in nlp.pipe(TEXTS))
