"""`pipeline.load_english` starts the tokenizer empty and fills it from the one saved with the pipeline,
instead of building spaCy's default English tokenizer first: the result must be that tokenizer exactly."""

from __future__ import annotations

import spacy

from empathylint.pipeline import TOKENIZER_FROM_DISK, english_pipeline_name, load_english


def test_the_tokenizer_is_the_saved_one_byte_for_byte():
    ours = load_english(exclude=("ner",))
    default = spacy.load(english_pipeline_name(), exclude=["ner"])
    assert ours.config["nlp"]["tokenizer"] == TOKENIZER_FROM_DISK["nlp"]["tokenizer"]  # really built the other way
    assert ours.tokenizer.to_bytes() == default.tokenizer.to_bytes()
    text = "Hi {{Customer Name}}, can't you e-mail support@example.com? It's $12.50 (U.S.) :)"
    assert [t.text for t in ours.make_doc(text)] == [t.text for t in default.make_doc(text)]
