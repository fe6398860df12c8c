"""Parsing a reply sentence by sentence (with the cache of parsed sentences) gives the same tokens, text and
annotations as the reply has, and the same diagnostics whether or not the cache has seen the sentences."""

from __future__ import annotations

import pytest

from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.nlp.segmentation import segment_starts

CANNED = [
    "Hi Sam,\n\nI'm sorry your order arrived late. I've sent a replacement today.\n\nBest,\nAlex\n",
    "Hello,\n\nAs I already explained, just restart the router. Did you even read the FAQ?\n",
    "Certainly! Please follow these steps:\n\n1. Log in to your account.\n2. Go to Settings.\n"
    "3. Click on 'Orders'.\n\nIf you have any questions, don't hesitate to contact us.",
    "Unfortunately, that's our policy. Mr. Smith can't help either.  You should have read the terms.",
    "Thanks for your patience! Your refund will be processed soon. Let me know if there's anything else.",
    "  \n\nLike I said, the refund is on its way.\n\n\n",
]


def test_pieces_cut_where_sentences_start(rules_linter):
    doc = rules_linter.nlp.make_doc("Hi Sam,\n\nJust do it. Mr. Smith said so! 1. Then this.  Okay.\n")
    pieces = []
    bounds = [doc[i].idx for i in segment_starts(doc)] + [len(doc.text)]
    for a, b in zip(bounds, bounds[1:]):
        pieces.append(doc.text[a:b])
    assert pieces == ["Hi Sam,\n\n", "Just do it. ", "Mr. Smith said so! ", "1. Then this.  Okay.\n"]


@pytest.mark.parametrize("text", CANNED)
def test_rebuilt_doc_has_the_replys_text_and_tokens(rules_linter, text):
    doc = rules_linter.parser([text])[0]
    plain = rules_linter.nlp.make_doc(text)
    assert doc.text == text
    assert [(t.text, t.whitespace_, t.idx) for t in doc] == [(t.text, t.whitespace_, t.idx) for t in plain]
    assert all(doc.has_annotation(a) for a in ("TAG", "POS", "DEP", "LEMMA", "SENT_START"))


@pytest.mark.parametrize("text", CANNED + ["", " ", "\n\n", "Hi.  Bye!\n\nOk", "One. Two.  Three!\tFour?"])
def test_rebuilt_doc_holds_what_concatenating_its_pieces_gives(rules_linter, text):
    """Every token attribute `Doc.from_docs` would give the reply from its pieces (the reply takes them over
    onto its own tokens instead)."""
    from spacy.tokens import Doc

    from empathylint.nlp.parsing import PIECES_KEY

    doc = rules_linter.parser([text])[0]
    pieces = [piece for _, piece in doc.user_data[PIECES_KEY]]
    concatenated = Doc.from_docs(pieces, ensure_whitespace=True, exclude=["tensor", "user_data"])
    every = list(Doc._get_array_attrs())
    assert concatenated.text == doc.text == text
    assert concatenated.to_array(every).tolist() == doc.to_array(every).tolist()
    if len(doc):
        assert [s.text for s in concatenated.sents] == [s.text for s in doc.sents]


def test_diagnostics_do_not_depend_on_the_caches(rules_linter):
    cold = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=False, parse_cache_size=0)
    warm = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=False)
    for text in CANNED:  # fill the sentence cache
        warm.lint(text)
    hits_before = warm.parser.hits
    shuffled = [CANNED[i] + "\n\n" + CANNED[j] for i in range(len(CANNED)) for j in range(len(CANNED))]
    for text in shuffled:
        assert warm.lint(text) == cold.lint(text)
    assert warm.parser.hits > hits_before
    assert cold.parser.hits == 0


def test_repeated_sentences_are_parsed_once(rules_linter):
    linter = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=False)
    linter.lint("Please follow these steps. Log in to your account.")
    misses = linter.parser.misses
    linter.lint("Log in to your account. Please follow these steps.")
    assert linter.parser.misses == misses


def test_ner_runs_on_demand_only_when_a_rule_reads_entities(rules_linter, tmp_path):
    from empathylint.pipeline import build_pipeline, rules_need_entities
    from empathylint.rules.registry import RuleSet

    bundled = RuleSet.load()
    no_entities = [r for r in bundled if not rules_need_entities([r])]
    assert no_entities and not rules_need_entities(no_entities)
    # the timeline pack reads DATE/TIME entities (`time-given`): the NER is loaded, but disabled, and runs only
    # on the sentences the condition asks about
    assert rules_need_entities(bundled)
    nlp = rules_linter.nlp
    assert "ner" in nlp.disabled and "ner" not in nlp.pipe_names
    doc = rules_linter.parser(["Thanks for waiting. It ships soon, on Monday 3 June."])[0]
    assert not doc.has_annotation("ENT_IOB")
    assert [d.code for d in rules_linter.lint("It will ship soon.")] == ["TML001"]
    assert rules_linter.lint("It will ship soon, on Monday 3 June.") == []
    pack = tmp_path / "team.yml"
    pack.write_text(
        "family: team\nprefix: TEAM\nrules:\n  - code: TEAM001\n    name: vague-soon\n    category: timeline\n"
        "    severity: info\n    message: '\"{text}\" is vague.'\n    reason: No date.\n"
        "    suggestions: [\"Give a date.\"]\n    patterns:\n      - tokens: [{LOWER: soon}]\n"
        "        unless: [time-given]\n    examples:\n      flag: [\"It ships soon.\"]\n"
        "      pass: [\"It ships soon, on Monday 3 June.\"]\n", encoding="utf-8")
    nlp = build_pipeline(False, extra_rules=(str(tmp_path),))
    assert "ner" in nlp.disabled
    linter = Linter(Config(use_model=False, extra_rules=(str(tmp_path),), select=("TEAM",)), nlp=nlp)
    assert [d.code for d in linter.lint("It ships soon.")] == ["TEAM001"]
    assert linter.lint("It ships soon, on Monday 3 June.") == []


def test_an_entity_pattern_gets_entities_on_demand(tmp_path):
    from empathylint.pipeline import build_pipeline

    pack = tmp_path / "team.yml"
    pack.write_text(
        "family: team\nprefix: TEAM\nrules:\n  - code: TEAM001\n    name: names-a-person\n"
        "    category: cliche\n    severity: info\n    message: '\"{text}\" is a name.'\n    reason: Names.\n"
        "    suggestions: [\"Leave it out.\"]\n    patterns:\n      - tokens: [{ENT_TYPE: PERSON, OP: '+'}]\n"
        "    examples:\n      flag: [\"John Smith will call you.\"]\n      pass: [\"Our team will call you.\"]\n",
        encoding="utf-8")
    nlp = build_pipeline(False, extra_rules=(str(tmp_path),))
    linter = Linter(Config(use_model=False, extra_rules=(str(tmp_path),), select=("TEAM",)), nlp=nlp)
    assert [d.text for d in linter.lint("Thanks for your patience. John Smith will call you today.")] \
        == ["John Smith"]
    assert linter.lint("Our team will call you today.") == []
