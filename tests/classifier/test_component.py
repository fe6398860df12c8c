"""The spaCy component: message and sentence tones on Doc/Span extensions, batched across docs."""

from __future__ import annotations

import pytest
import spacy

import empathylint.classifier.component  # noqa: F401  (registers the factory)
from empathylint.classifier import ToneScores


class SpyClassifier:
    """Scores by keyword; records every predict call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts):
        self.calls.append(list(texts))
        out = []
        for t in texts:
            neg = 0.9 if "broken" in t else 0.05
            out.append(ToneScores({"negative": neg, "neutral": 0.05, "positive": 0.95 - neg}, 0.8,
                                  0.9 if "broken" in t else 0.1))
        return out


@pytest.fixture()
def nlp_with_spy():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    component = nlp.add_pipe("empathylint_classifier")
    spy = SpyClassifier()
    component._classifier = spy
    return nlp, spy


def test_sentence_and_message_tones(nlp_with_spy):
    nlp, _ = nlp_with_spy
    doc = nlp("Thanks for writing in. The screen arrived broken. We will send a new one.")
    sents = list(doc.sents)
    assert len(sents) == 3
    assert sents[1]._.tone.sentiment["negative"] == 0.9
    assert sents[0]._.tone.sentiment["negative"] == 0.05
    assert set(doc._.sentence_tones) == {(s.start_char, s.end_char) for s in sents}
    assert isinstance(doc._.tone, ToneScores)
    assert doc._.tone.needs_apology == 0.9  # the whole message mentions the broken screen
    assert doc[0:3]._.tone is None  # a span that is not a sentence has no tone


def test_pipe_classifies_a_batch_of_docs_in_one_call(nlp_with_spy):
    nlp, spy = nlp_with_spy
    docs = list(nlp.pipe(["It is broken. Please help.", "Thanks! All good now.", "Hello."], batch_size=8))
    assert len(spy.calls) == 1
    assert "It is broken." in spy.calls[0] and "Thanks!" in spy.calls[0]
    assert [d[0:1].sent._.tone is not None for d in docs] == [True, True, True]
    assert docs[2]._.tone.sentiment["negative"] == 0.05


def test_long_messages_are_scored_in_sentence_aligned_chunks(nlp_with_spy):
    nlp, spy = nlp_with_spy
    text = " ".join(["The order is fine and the team was quick to answer."] * 12 + ["It arrived broken."])
    doc = nlp(text)
    chunks = [t for t in spy.calls[0] if len(t) > 60]
    assert chunks and all(len(c) <= 450 for c in chunks)
    assert doc._.tone.needs_apology == 0.9  # the maximum over chunks: one upset part is enough


def test_the_real_model_in_the_component(tiny_model):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("empathylint_classifier", config={"model_dir": str(tiny_model)})
    doc = nlp("Your order {{Order Number}} has shipped. Sorry for the wait!")
    assert isinstance(doc._.tone, ToneScores)
    tones = [s._.tone for s in doc.sents]
    assert len(tones) == 2 and all(isinstance(t, ToneScores) for t in tones)
    assert abs(sum(tones[0].sentiment.values()) - 1.0) < 1e-5


def test_replies_take_their_message_tone_from_their_sentences():
    import empathylint.component  # noqa: F401  (registers Doc._.role, default "reply")

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    component = nlp.add_pipe("empathylint_classifier", config={"aggregate_roles": ["reply"]})
    spy = component._classifier = SpyClassifier()
    reply, customer = nlp.make_doc("Thanks for writing in. It arrived broken."), nlp.make_doc("Mine is broken. Help.")
    customer._.role = "customer"
    for name, proc in nlp.pipeline:
        reply, customer = proc(reply), proc(customer)
    # the reply's sentences only (no whole-message pass); the customer's message as a whole too
    assert spy.calls == [["Thanks for writing in.", "It arrived broken."],
                         ["Mine is broken.", "Help.", "Mine is broken. Help."]]
    # weighted by the sentences' lengths, 22 and 18 characters
    assert reply._.tone.sentiment["negative"] == pytest.approx((0.05 * 22 + 0.9 * 18) / 40)
    assert reply._.tone.needs_apology == 0.9  # the maximum: one upset sentence is enough
    assert customer._.tone.needs_apology == 0.9
