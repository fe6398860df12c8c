"""The sentiment-head stage (a few steps on the handful of examples in conftest.py) and the label mapping it
relies on. Only ``heads.sentiment.*`` may change; the encoder and the other heads come back bit for bit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from empathylint.classifier.data import goemotions_sentiment
from empathylint.classifier.model import META_FILE, WEIGHTS_FILE
from empathylint.classifier.sentiment_head import SentimentHeadConfig, choose_offsets, train_sentiment_head
from empathylint.errors import PipelineError

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2


@pytest.mark.parametrize("labels, expected", [
    ({"neutral"}, NEUTRAL),
    ({"joy"}, POSITIVE),
    ({"gratitude", "admiration"}, POSITIVE),
    ({"anger"}, NEGATIVE),
    ({"annoyance", "disappointment", "disapproval"}, NEGATIVE),
    ({"neutral", "joy"}, None),  # neutral with an emotion: mixed
    ({"joy", "anger"}, None),  # mixed polarity
    ({"surprise"}, None),  # ambiguous in Demszky et al.
    ({"curiosity", "joy"}, None),
    ({"remorse"}, None),  # left out on purpose: apologies must not be taught as negative
    (set(), None),
])
def test_goemotions_labels_map_to_sentiment_by_the_authors_grouping(labels, expected):
    assert goemotions_sentiment(labels) == expected


def test_offsets_shift_the_class_a_head_under_predicts():
    # Every neutral example sits just above its negative logit: a neutral offset of 0 loses all of them,
    # a negative offset of -0.5 recovers them without costing the negatives.
    logits = torch.tensor([[2.0, 0.0, 0.0]] * 4 + [[0.3, 0.0, -1.0]] * 4 + [[0.0, 0.0, 2.0]] * 4)
    gold = [NEGATIVE] * 4 + [NEUTRAL] * 4 + [POSITIVE] * 4
    offsets, recall = choose_offsets(logits, gold)
    assert offsets[0] < -0.25 and offsets[1] == 0.0
    assert recall == 1.0


def test_offsets_stay_zero_when_nothing_is_gained():
    logits = torch.eye(3) * 3
    assert choose_offsets(logits, [NEGATIVE, NEUTRAL, POSITIVE]) == ([0.0, 0.0, 0.0], 1.0)


@pytest.mark.parametrize("retrain", [False, True])
def test_the_stage_changes_only_the_sentiment_head(tiny_data, tiny_model, tmp_path, retrain):
    before = tmp_path / "before"
    shutil.copytree(tiny_model, before)
    out = train_sentiment_head(SentimentHeadConfig(data_dir=str(tiny_data), model_dir=str(before),
                                                   out_dir=str(tmp_path / "after"), retrain_head=retrain,
                                                   max_steps=3, batch_size=4))
    old, new = load_file(str(before / WEIGHTS_FILE)), load_file(str(out / WEIGHTS_FILE))
    assert old.keys() == new.keys()
    changed = {k for k in old if not torch.equal(old[k], new[k])}
    assert all(k.startswith("heads.sentiment.") for k in changed)
    if retrain:
        assert "heads.sentiment.dense.weight" in changed
    meta = json.loads((out / META_FILE).read_text())
    stage = meta["training"]["sentiment_head"]
    assert stage["retrain_head"] is retrain and len(stage["logit_offsets"]) == 3
    assert meta["training"]["steps"] == json.loads((before / META_FILE).read_text())["training"]["steps"]
    if retrain:
        assert stage["steps"] == 3 and stage["examples"]["tweeteval"] == 9

    with pytest.raises(PipelineError, match="already went through the sentiment-head stage"):
        train_sentiment_head(SentimentHeadConfig(data_dir=str(tiny_data), model_dir=str(out)))


def test_the_stage_runs_from_the_training_module(tiny_data, tiny_model, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model, folder)
    done = subprocess.run([sys.executable, "-m", "empathylint.classifier.train", "--stage", "sentiment-head",
                           "--data-dir", str(tiny_data), "--out", str(folder)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "logit offsets" in done.stdout
    assert "sentiment_head" in json.loads((folder / META_FILE).read_text())["training"]


def test_the_stage_runs_from_the_empathylint_train_command(tiny_data, tiny_model, tmp_path):
    from click.testing import CliRunner

    from empathylint.classifier.cli import train as train_command

    folder = tmp_path / "model"
    shutil.copytree(tiny_model, folder)
    result = CliRunner().invoke(train_command, ["--stage", "sentiment-head", "--retrain-head", "--data-dir",
                                                str(tiny_data), "--out", str(folder), "--max-steps", "1"])
    assert result.exit_code == 0, result.output
    stage = json.loads((folder / META_FILE).read_text())["training"]["sentiment_head"]
    assert stage["retrain_head"] is True and stage["steps"] == 1
