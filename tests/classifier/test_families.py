"""The behaviour-family sets and head: the sets read and stay apart (no test sentence in train or dev), the
thresholds are the smallest that reach the dev precision, and a trained head saves and loads with its hash
checked."""

from __future__ import annotations

import json

import pytest
import torch

from empathylint.classifier import families as F
from empathylint.resources import models_dir


def test_every_split_reads_and_no_test_sentence_is_in_train_or_dev():
    splits = {name: F.read_split(models_dir(), name) for name in ("train", "dev", "test")}
    assert all(splits.values())
    norm = {name: {" ".join(s.text.lower().split()) for s in items} for name, items in splits.items()}
    assert not norm["test"] & (norm["train"] | norm["dev"])
    # every family has positives and look-alikes in the held-out part
    test = splits["test"]
    for family in F.FAMILIES:
        assert sum(s.family == family for s in test) >= 20
        assert sum(s.family is None and s.lookalike == family for s in test) >= 10


def test_a_bad_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "train-x.jsonl"
    path.write_text('{"text": "fine", "family": null}\n{"text": "x", "family": "sarcasm"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"train-x.jsonl:2: not a family-set line \(unknown family 'sarcasm'\)"):
        F.read_set(path)


def test_thresholds_are_the_smallest_reaching_the_precision_else_the_f1_best():
    n = len(F.FAMILIES)
    y = torch.zeros(6, n)
    y[:3, 0] = 1  # family 0: three positives
    p = torch.zeros(6, n)
    p[:, 0] = torch.tensor([0.9, 0.8, 0.3, 0.6, 0.2, 0.1])  # one negative at 0.6 sits above a positive
    p[:, 1] = torch.tensor([0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    y[0, 1] = 1
    chosen = F.choose_thresholds(p, y, precision=0.9)
    assert chosen[F.FAMILIES[0]]["threshold"] == 0.61 and chosen[F.FAMILIES[0]]["precision"] == 1.0
    assert chosen[F.FAMILIES[1]].get("below_target")  # nothing separates: the F1-best, marked


def test_a_trained_head_separates_its_families_and_round_trips(tmp_path):
    torch.manual_seed(0)
    centres = torch.randn(len(F.FAMILIES) + 1, 384) * 3
    labels = [i % (len(F.FAMILIES) + 1) for i in range(260)]
    x = torch.stack([centres[k] + torch.randn(384) * 0.3 for k in labels])
    y = torch.zeros(len(labels), len(F.FAMILIES))
    for i, k in enumerate(labels):
        if k < len(F.FAMILIES):
            y[i, k] = 1
    head = F.train_head(x, y, epochs=15)
    p = F.probabilities(head, x)
    assert ((p >= 0.5) == (y > 0)).float().mean() > 0.98
    F.save(head, tmp_path, {"inner": 256, "thresholds": {}})
    loaded, meta = F.load(tmp_path)
    assert torch.allclose(F.probabilities(loaded, x), p, atol=2e-2)
    meta["sha256"] = "0" * 64
    (tmp_path / F.META).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="does not match"):
        F.load(tmp_path)
