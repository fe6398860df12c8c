"""Fixtures of the classifier tests: a tiny data folder in the shared-data layout (written here, a few lines
per source) and a tone model trained on it for a few steps, so that no test needs ../shared/data or the
shipped weights (the tests of the shipped weights skip when they are missing)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from empathylint.resources import models_dir

GOEMOTIONS_LABELS = (
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment disapproval "
    "disgust embarrassment excitement fear gratitude grief joy love nervousness optimism pride realization "
    "relief remorse sadness surprise neutral"
).split()

POSITIVE = ["What a wonderful, heartfelt film.", "I loved every minute of it.", "Great service, thank you!",
            "This made my day, brilliant work.", "Absolutely fantastic support team."]
NEGATIVE = ["A dull, lifeless mess.", "I hated this, total waste of time.", "Terrible service, never again.",
            "The worst experience I have had.", "This is broken and useless."]
NEUTRAL = ["The store opens at nine.", "My order number is 12345.", "It is a film about a train.",
           "The package is in the box.", "We went there on Tuesday."]


def _lines(path: Path, lines: list[str], newline: str = "\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")


def write_tiny_data(root: Path) -> Path:
    """Every file the readers of :mod:`empathylint.classifier.data` need, with a handful of examples."""
    sst = ["label\tsentence"] + [f"1\t{t}" for t in POSITIVE] + [f"0\t{t}" for t in NEGATIVE]
    _lines(root / "sst2" / "train.tsv", sst, "\r\n")  # the real train.tsv has CRLF line ends
    _lines(root / "sst2" / "dev.tsv", sst)
    anger, joy, neutral = (GOEMOTIONS_LABELS.index(x) for x in ("anger", "joy", "neutral"))
    go = ([f"{t}\t{joy}\tid{i}" for i, t in enumerate(POSITIVE)]
          + [f"{t}\t{anger}\tid{i + 5}" for i, t in enumerate(NEGATIVE)]
          + [f"{t}\t{neutral}\tid{i + 10}" for i, t in enumerate(NEUTRAL)])
    _lines(root / "goemotions" / "labels.txt", GOEMOTIONS_LABELS)
    _lines(root / "goemotions" / "train.tsv", go)
    _lines(root / "goemotions" / "dev.tsv", go)
    tweets = NEGATIVE + NEUTRAL + POSITIVE
    _lines(root / "tweeteval" / "sentiment" / "val_text.txt", tweets)
    _lines(root / "tweeteval" / "sentiment" / "val_labels.txt", ["0"] * 5 + ["1"] * 5 + ["2"] * 5)
    for split in ("train", "val"):
        _lines(root / "tweeteval" / "emotion" / f"{split}_text.txt", NEGATIVE + POSITIVE)
        _lines(root / "tweeteval" / "emotion" / f"{split}_labels.txt", ["0"] * 5 + ["1"] * 5)
    polite = ["Could you please take a look when you have a moment? Thanks!",
              "Would you mind helping me with this? I'd really appreciate it.",
              "Thank you for the quick fix, could you also check the logs?",
              "Sorry to bother you, could you review my edit?"]
    rude = ["Why did you delete my page again?", "Stop reverting my edits.",
            "Did you even read what I wrote?", "Fix it now."]
    middle = ["Can you check the article?", "Where is the source for this?",
              "Is this the right template?", "Can I move this section?"]
    path = root / "politeness" / "wikipedia.annotated.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Community", "Id", "Request", "Normalized Score"])
        for i, (texts, score) in enumerate(((polite, 1.0), (middle, 0.0), (rude, -1.0))):
            for j, t in enumerate(texts):
                w.writerow(["Wikipedia", i * 10 + j, t, score + j * 0.01])
    path = root / "bitext" / "replies.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["instruction", "response"])
        w.writerow(["where is my order", "I'm sorry for the delay. Your order {{Order Number}} ships today."])
        w.writerow(["cancel", "I can help you cancel it. Please visit {{Website URL}} to confirm."])
    return root


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    return write_tiny_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def tiny_model(tiny_data, tmp_path_factory) -> Path:
    """A tone model folder trained for three steps on ``tiny_data`` (seconds, CPU)."""
    from empathylint.classifier.train import TrainConfig, train

    out = tmp_path_factory.mktemp("model")
    train(TrainConfig(data_dir=str(tiny_data), out_dir=str(out), max_steps=3, batch_size=8,
                      eval_each_epoch=False))
    return out


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    """The shipped ``models/`` folder; the test is skipped when its weights are missing."""
    folder = models_dir()
    if not (folder / "tone-minilm.safetensors").is_file():
        pytest.skip("models/ has no trained weights (tone-minilm.safetensors)")
    return folder
