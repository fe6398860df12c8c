"""Sentence embeddings: all-MiniLM-L6-v2 as its authors use it (mean-pooled base encoder, unit length), the same
vectors as the reference transformers implementation, and cached without changing them."""

from __future__ import annotations

import torch

from empathylint.classifier.embeddings import SentenceEncoder, load_sentence_encoder
from empathylint.classifier.encoder import load_hf_encoder, load_tokenizer, base_model_dir

TEXTS = ["Speeds are terrible in the evening.", "I'm sorry the evenings have been so slow.",
         "Please restart the router.", "My parcel never arrived and nobody answers my emails!"]


def test_vectors_are_the_reference_implementations_mean_pooled_and_unit_length():
    ours = load_sentence_encoder().embed(TEXTS)
    reference = load_hf_encoder()
    tokenizer = load_tokenizer(base_model_dir())
    for text, vector in zip(TEXTS, ours):
        ids = torch.tensor([tokenizer.encode(text).ids])
        with torch.inference_mode():
            hidden = reference(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0]
        expected = torch.nn.functional.normalize(hidden.mean(0), dim=-1)
        assert torch.allclose(vector, expected, atol=1e-4)
        assert abs(float(vector.norm()) - 1.0) < 1e-5


def test_a_paraphrase_is_closer_than_an_unrelated_reply():
    similarity = load_sentence_encoder().similarity([TEXTS[0]], TEXTS[1:3])[0]
    assert similarity[0] > 0.4 > similarity[1]


def test_the_cache_returns_the_same_vectors_in_any_batch():
    encoder = SentenceEncoder(cache_size=2)
    first = encoder.embed(TEXTS)
    again = encoder.embed(list(reversed(TEXTS)))
    assert torch.allclose(first, again.flip(0), atol=1e-6)
    assert len(encoder._cache) == 2  # held to its size
