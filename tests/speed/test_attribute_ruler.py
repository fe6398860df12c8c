"""`MemoAttributeRuler` matches what spaCy's `AttributeRuler` matches, token for token, and the English
pipeline built with it annotates as the pipeline spaCy loads."""

from __future__ import annotations

import pytest
import spacy

from empathylint.nlp.attribute_ruler import MemoAttributeRuler, remember_attribute_matches
from empathylint.pipeline import english_pipeline_name, load_english

from .test_parse_cache import CANNED

#: Texts that reach the ruler's longer patterns ("gon na", "ai n't", "let 's", "got ta"), its whitespace
#: patterns and its dependency-conditioned ones, next to ordinary replies.
TEXTS = CANNED + [
    "I'm gonna check it, but it ain't broken. Let's see what we gotta do.",
    "We  would    have\n\n\tfixed that, wouldn't we?  These are the steps; this is it.",
    "Honestly, you should have checked the FAQ before writing to us again.",
    "What's 'em doing? Y'all ain't gonna like it, innit.",
]


@pytest.fixture(scope="module")
def rulers():
    """``(spaCy's ruler, the memo ruler)`` over the same patterns, and a pipeline to parse with."""
    nlp = spacy.load(english_pipeline_name(), exclude=["ner"])
    original = nlp.get_pipe("attribute_ruler")
    memo = MemoAttributeRuler(nlp.vocab, "memo")
    memo.add_patterns(original.patterns)
    return original, memo, nlp


def test_matches_are_spacys_match_for_match(rulers):
    original, memo, nlp = rulers
    docs = list(nlp.pipe(TEXTS, disable=["attribute_ruler", "lemmatizer"]))
    for _ in range(2):  # the second pass is answered from the memo
        for doc in docs:
            assert memo.match(doc) == original.match(doc), doc.text
    longer = {tuple(t["LOWER"] for t in p) for entry in original.patterns for p in entry["patterns"]
              if len(p) > 1 and all(isinstance(t.get("LOWER"), str) for t in p)}
    assert {("gon", "na"), ("let", "'s")} <= longer
    matched = {tuple(t.lower_ for t in doc[s:e]) for doc in docs for _, _, s, e in memo.match(doc) if e - s > 1}
    assert {("gon", "na"), ("let", "'s"), ("got", "ta")} <= matched


def test_a_pattern_added_later_is_matched(rulers):
    original, memo, nlp = rulers
    doc = nlp("Please restart the router.", disable=["attribute_ruler", "lemmatizer"])
    before = memo.match(doc)
    memo.add([[{"LOWER": "router"}]], {"LEMMA": "ROUTER"})
    try:
        after = memo.match(doc)
        router = [t.i for t in doc if t.lower_ == "router"][0]
        assert [m for m in after if m not in before] == [(len(memo.attrs) - 1, memo.vocab.strings[
            str(len(memo.attrs) - 1)], router, router + 1)]
    finally:
        memo.clear()
        memo.add_patterns(original.patterns)


def test_a_pattern_with_an_operator_goes_to_the_matcher(rulers):
    _, _, nlp = rulers
    ruler = MemoAttributeRuler(nlp.vocab, "ops")
    ruler.add([[{"LOWER": "please", "OP": "?"}, {"LOWER": "restart"}]], {"LEMMA": "reboot"}, index=-1)
    ruler.add([[{"TAG": "NN"}]], {"LEMMA": "thing"})
    doc = nlp("Please restart the router, then restart it again.", disable=["attribute_ruler", "lemmatizer"])
    ruler(doc)
    assert [t.lemma_ for t in doc if t.lower_ == "restart"] == ["reboot", "reboot"]
    assert [t.lemma_ for t in doc if t.tag_ == "NN"] == ["thing"]


def test_the_linter_pipeline_uses_it_and_annotates_as_spacy_does():
    ours = load_english(exclude=("ner",))
    assert isinstance(ours.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert ours.pipe_names.index("attribute_ruler") < ours.pipe_names.index("lemmatizer")
    default = spacy.load(english_pipeline_name(), exclude=["ner"])
    for ours_doc, default_doc in zip(ours.pipe(TEXTS), default.pipe(TEXTS)):
        assert [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in ours_doc] == \
            [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in default_doc]


def test_a_pipeline_without_an_attribute_ruler_is_left_alone():
    nlp = spacy.blank("en")
    remember_attribute_matches(nlp)
    assert nlp.pipe_names == []


def _ruled(ruler, nlp, text):
    doc = nlp(text, disable=["attribute_ruler", "lemmatizer"])
    ruler(doc)
    return [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def test_a_doc_is_annotated_as_spacy_does_with_and_without_a_longer_pattern_matching(rulers):
    original, memo, nlp = rulers
    plain = "Please restart the router and wait a minute."
    longer = "There are two routers, so let's restart both."
    assert memo._longer_matches(nlp(plain, disable=["attribute_ruler", "lemmatizer"])) == []
    assert memo._longer_matches(nlp(longer, disable=["attribute_ruler", "lemmatizer"]))  # "there are", "let 's"
    for text in (plain, longer):
        assert _ruled(memo, nlp, text) == _ruled(original, nlp, text)


def test_attributes_of_several_patterns_on_one_token_add_up_in_pattern_order(rulers):
    _, _, nlp = rulers
    from spacy.tokens import Token

    for name in ("first", "second"):
        if not Token.has_extension(name):
            Token.set_extension(name, default=None)
    ruler = MemoAttributeRuler(nlp.vocab, "sum")
    ruler.add([[{"LOWER": "router"}]], {"LEMMA": "box", "_": {"first": 1}})
    ruler.add([[{"TAG": "NN"}]], {"LEMMA": "thing", "POS": "PROPN", "_": {"second": 2}})
    doc = nlp("Restart the router.", disable=["attribute_ruler", "lemmatizer"])
    ruler(doc)
    router = [t for t in doc if t.lower_ == "router"][0]
    assert (router.lemma_, router.pos_, router._.first, router._.second) == ("thing", "PROPN", 1, 2)


def test_a_full_memo_starts_over_and_matches_the_same(rulers, monkeypatch):
    import empathylint.nlp.attribute_ruler as module

    original, memo, nlp = rulers
    monkeypatch.setattr(module, "MEMO_SIZE", 5)
    docs = list(nlp.pipe(TEXTS, disable=["attribute_ruler", "lemmatizer"]))
    for doc in docs:
        assert memo.match(doc) == original.match(doc)
        assert len(memo._memo) <= 5 + len(doc)
