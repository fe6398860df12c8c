"""``--model PATH``: any Hugging Face sequence-classification model as the sentiment head, tested offline with
a tiny randomly initialised BERT saved to a temporary folder."""

from __future__ import annotations

import pytest

from empathylint.classifier import load_classifier
from empathylint.classifier.hf import parse_label_map, resolve_label_map
from empathylint.errors import ConfigError, PipelineError


def save_tiny_model(folder, id2label: dict[int, str]):
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    from empathylint.classifier.encoder import base_model_dir

    torch.manual_seed(0)
    tokenizer = BertTokenizerFast(vocab_file=str(base_model_dir() / "vocab.txt"))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64, num_labels=len(id2label),
                        id2label=id2label, label2id={v: k for k, v in id2label.items()})
    BertForSequenceClassification(config).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def two_label_model(tmp_path_factory):
    return save_tiny_model(tmp_path_factory.mktemp("hf2"), {0: "LABEL_0", 1: "LABEL_1"})


def test_a_local_model_with_a_label_map(two_label_model):
    assert not list(two_label_model.glob("*.bin"))  # saved as safetensors
    clf = load_classifier(str(two_label_model), {"LABEL_0": "negative", "LABEL_1": "positive"})
    rows = clf.predict_task(["I love it", "I hate it", "{{Order Number}} shipped"], "sentiment")
    assert len(rows) == 3
    for row in rows:
        assert row["neutral"] == 0.0  # no model label maps to neutral
        assert row["negative"] + row["positive"] == pytest.approx(1.0, abs=1e-5)


def test_labels_named_like_sentiments_need_no_map(tmp_path):
    folder = save_tiny_model(tmp_path, {0: "NEG", 1: "NEU", 2: "POS"})
    (row,) = load_classifier(str(folder)).predict_task(["fine"], "sentiment")
    assert set(row) == {"negative", "neutral", "positive"} and all(v > 0 for v in row.values())


def test_swapped_sentiment_keeps_the_builtin_heads(two_label_model, tiny_model):
    from empathylint.classifier.hf import HFSentiment, SwappedSentimentClassifier

    builtin = load_classifier(model_dir=tiny_model)
    clf = SwappedSentimentClassifier(HFSentiment(str(two_label_model), {"0": "negative", "1": "positive"}),
                                     lambda: builtin)
    (s,) = clf.predict(["Could you please check?"])
    (own,) = builtin.predict(["Could you please check?"])
    assert s.politeness == own.politeness and s.needs_apology == own.needs_apology
    assert s.sentiment["neutral"] == 0.0


def test_swapped_sentiment_keeps_the_family_scores_of_the_shipped_model(two_label_model, shipped_model):
    from empathylint.classifier.hf import HFSentiment, SwappedSentimentClassifier

    builtin = load_classifier()
    clf = SwappedSentimentClassifier(HFSentiment(str(two_label_model), {"0": "negative", "1": "positive"}),
                                     lambda: builtin)
    (s,) = clf.predict(["Head office sets these rules, not me."])
    (own,) = builtin.predict(["Head office sets these rules, not me."])
    assert own.families and s.families == own.families


def test_unmapped_labels_are_a_config_error(two_label_model):
    with pytest.raises(ConfigError, match="are not sentiments; pass --label-map"):
        load_classifier(str(two_label_model))
    with pytest.raises(ConfigError, match="does not map the model's label 'LABEL_1'"):
        resolve_label_map({0: "LABEL_0", 1: "LABEL_1"}, {"LABEL_0": "negative"})
    with pytest.raises(ConfigError, match="not one of"):
        resolve_label_map({0: "LABEL_0"}, {"LABEL_0": "angry"})


def test_parse_label_map():
    assert parse_label_map("LABEL_0=negative, LABEL_1=positive") == {"LABEL_0": "negative",
                                                                      "LABEL_1": "positive"}
    assert parse_label_map(None) is None
    with pytest.raises(ConfigError, match="MODEL_LABEL=SENTIMENT"):
        parse_label_map("LABEL_0")


def test_a_missing_local_folder_is_refused_without_going_online(tmp_path):
    with pytest.raises(PipelineError, match="no such folder"):
        load_classifier(str(tmp_path / "missing"), {"LABEL_0": "negative"})
