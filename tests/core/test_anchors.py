"""A pattern runs only where its required words are (`rules.anchors`), and finds exactly what one shared spaCy
matcher over the whole reply finds."""

from __future__ import annotations

from spacy.matcher import DependencyMatcher, Matcher

from empathylint.rules.anchors import ATTRS, index_of, requirements
from empathylint.rules.conditions import CONDITIONS
from empathylint.rules.matching import PatternSet, _report_nodes, _report_tokens
from empathylint.rules.registry import RuleSet

REPLIES = [
    "Hi Sam,\n\nI'm sorry if you feel that way, but that's our policy. As I already explained, just restart "
    "the router.\n\nYou should have read the terms. We can't refund it. Your refund will be processed soon.",
    "Thanks for reaching out! I can't guarantee it, but I'll check with the warehouse today and call you by "
    "5 pm. Please be patient. Why didn't you attach the receipt? Calm down.",
    "Unfortunately the courier lost your parcel. The system won't let me change it. You need to contact the "
    "billing team. We apologize for any inconvenience this may have caused.\n\nBest,\nAlex",
]


def test_requirements_are_the_required_words_of_a_pattern(rules_linter):
    vocab = rules_linter.nlp.vocab
    pattern = [{"LOWER": "just"}, {"LEMMA": {"IN": ["restart", "reboot"]}, "OP": "+"},
               {"LOWER": "the", "OP": "?"}, {"TEXT": "router"}, {"LOWER": {"REGEX": "^x"}}, {"POS": "NOUN"},
               {"LOWER": "not", "OP": "!"}, {"LOWER": {"IN": ["a", "b"]}, "OP": "{0,2}"}, {"NORM": "x", "OP": "{2}"}]
    found = {(ATTRS[r.attr], frozenset(vocab.strings[v] for v in r.values)) for r in requirements(vocab, pattern)}
    assert found == {("LOWER", frozenset({"just"})), ("LEMMA", frozenset({"restart", "reboot"})),
                     ("ORTH", frozenset({"router"})), ("NORM", frozenset({"x"}))}
    # the fewest values first: a doc without the rarest word is turned away soonest
    assert len(requirements(vocab, pattern)[0].values) == 1


def test_a_pattern_without_required_words_always_runs(rules_linter):
    vocab = rules_linter.nlp.vocab
    assert requirements(vocab, [{"POS": "VERB"}, {"LOWER": "it", "OP": "?"}]) == ()


def test_the_index_finds_the_sentences_holding_every_required_word(rules_linter):
    doc = rules_linter.parser(["It broke. Just restart it. Then just wait. Restart it now."])[0]
    vocab = rules_linter.nlp.vocab
    index = index_of(doc)
    just = requirements(vocab, [{"LOWER": "just"}])
    assert [s.text.strip() for s in index.sentences_with(doc, just)] == ["Just restart it.", "Then just wait."]
    both = requirements(vocab, [{"LOWER": "just"}, {"LEMMA": {"IN": ["restart", "reboot"]}}])
    assert [s.text.strip() for s in index.sentences_with(doc, both)] == ["Just restart it."]
    assert index.sentences_with(doc, requirements(vocab, [{"LOWER": "wait"}, {"LOWER": "now"}])) == []
    assert index is index_of(doc)


def test_anchored_matching_finds_what_one_shared_matcher_finds(rules_linter):
    nlp = rules_linter.nlp
    patterns = PatternSet(nlp.vocab, nlp.make_doc)
    tokens, deps = Matcher(nlp.vocab), DependencyMatcher(nlp.vocab)
    by_id = {}
    for rule in RuleSet.load():
        for pattern in rule.patterns:
            if pattern.kind == "phrases":
                continue
            match_id = f"{rule.code}#{len(by_id)}"
            by_id[match_id] = (rule.code, pattern)
            (tokens if pattern.kind == "tokens" else deps).add(match_id, [pattern.value])
            patterns.add(rule.code, pattern, rule.path)
    def kept(key, pattern, span):
        if span is not None and all(CONDITIONS[c](span) for c in pattern.when) and not any(
                CONDITIONS[c](span) for c in pattern.unless):
            expected.append((key, span.start, span.end))

    total = 0
    for doc in rules_linter.parser(REPLIES):
        expected = []
        for match_id, start, end, alignments in tokens(doc, with_alignments=True):
            key, pattern = by_id[nlp.vocab.strings[match_id]]
            kept(key, pattern, _report_tokens(doc, start, end, alignments, pattern.report))
        for match_id, token_ids in deps(doc):
            key, pattern = by_id[nlp.vocab.strings[match_id]]
            kept(key, pattern, _report_nodes(doc, pattern, token_ids))
        got = patterns.find(doc)
        total += len(got)
        assert sorted((m.key, m.span.start, m.span.end) for m in got) == sorted(expected)
        assert [m.span.start_char for m in got] == sorted(m.span.start_char for m in got)
    assert total >= 8


def _annotations(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, t.is_sent_start) for t in doc]


def test_a_sentence_parsed_as_a_piece_is_matched_on_that_piece(rules_linter):
    from empathylint.nlp.parsing import PIECES_KEY

    doc = rules_linter.parser(["Just do it. Mr. Smith said so! 1. Then this.  Okay.\n"])[0]
    pieces = dict(doc.user_data[PIECES_KEY])
    index = index_of(doc)
    shared = copied = 0
    for sent in doc.sents:
        sentence_doc = index.sentence_doc(sent)
        assert _annotations(sentence_doc) == _annotations(sent.as_doc())
        whole_piece = sent.start in pieces and len(pieces[sent.start]) == len(sent)
        assert (sentence_doc is pieces.get(sent.start)) == whole_piece
        shared, copied = shared + whole_piece, copied + (not whole_piece)
    assert shared >= 2 and copied >= 1  # "Just do it." and "Mr. Smith said so!" are pieces; "Okay." is not


def test_patterns_requiring_the_same_words_share_a_matcher_and_ties_keep_their_order(rules_linter):
    from empathylint.rules.model import Pattern

    nlp = rules_linter.nlp
    doc = rules_linter.parser(["Just restart the router. Then just wait."])[0]
    just_verb = Pattern("tokens", [{"LOWER": "just"}, {"POS": "VERB"}])
    norm_just_verb = Pattern("tokens", [{"NORM": "just"}, {"POS": "VERB"}])  # requires another attribute
    just_re = Pattern("tokens", [{"LOWER": "just"}, {"LOWER": {"REGEX": "^re"}}])
    free = Pattern("tokens", [{"POS": "VERB"}])
    patterns = PatternSet(nlp.vocab, nlp.make_doc)
    for key, pattern in (("A", just_verb), ("B", norm_just_verb), ("C", just_re), ("D", free), ("E", free)):
        patterns.add(key, pattern, "test.yml")
    # A and C require "just" (one matcher), B the norm "just", D and E nothing (one matcher, on the whole doc)
    assert len(patterns._tokens) == 3
    found = [(m.key, m.span.text) for m in patterns.find(doc)]
    # A, B and C all report "Just restart": the tie comes in the order they were added, not matcher by matcher
    assert found[:3] == [("A", "Just restart"), ("B", "Just restart"), ("C", "Just restart")]
    assert ("A", "just wait") in found and ("C", "just wait") not in found
    assert [(m.key, m.span.text) for m in patterns.find(doc, {"D"})] == [("D", "restart"), ("D", "wait")]


def test_matching_from_a_sentence_on_finds_the_matches_that_start_there(rules_linter):
    """``find(doc, start=k)`` (weak-close matches only the last sentences) gives exactly the full doc's
    matches that lie in ``doc[k:]``, with offsets in the doc, for every kind of pattern."""
    from empathylint.rules.model import Pattern

    nlp = rules_linter.nlp
    patterns = PatternSet(nlp.vocab, nlp.make_doc)
    patterns.add("anchored", Pattern("tokens", [{"LOWER": "just"}, {"POS": "VERB"}]), "test.yml")
    patterns.add("free", Pattern("tokens", [{"POS": "VERB"}]), "test.yml")
    patterns.add("phrase", Pattern("phrases", ["let me know"]), "test.yml")
    patterns.add("dependency", Pattern("dependencies", [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "object", "RIGHT_ATTRS": {"DEP": "dobj"}}]), "test.yml")
    doc = rules_linter.parser(["Just restart the router and let me know. Then just check the cable. "
                               "Let me know if it works. Just send me the photos."])[0]
    every = [(m.key, m.span.start, m.span.end) for m in patterns.find(doc)]
    assert {key for key, _, _ in every} == {"anchored", "free", "phrase", "dependency"}
    for sent in list(doc.sents)[1:]:
        assert [(m.key, m.span.start, m.span.end) for m in patterns.find(doc, start=sent.start)] == [
            match for match in every if match[1] >= sent.start]
