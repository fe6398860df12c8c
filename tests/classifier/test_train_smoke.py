"""A tiny training run (a few steps on the handful of examples in conftest.py): the real training code path,
end to end, in seconds. Full training never runs in the test suite."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from safetensors import safe_open

from empathylint.classifier import ToneScores, load_classifier
from empathylint.classifier.cli import train as train_command
from empathylint.classifier.model import META_FILE, WEIGHTS_FILE


def test_the_train_command_writes_a_loadable_safetensors_model(tiny_data, tmp_path):
    out = tmp_path / "model"
    result = CliRunner().invoke(train_command, ["--data-dir", str(tiny_data), "--out", str(out),
                                                "--max-steps", "2", "--no-epoch-eval"])
    assert result.exit_code == 0, result.output
    assert "saved to" in result.output
    meta = json.loads((out / META_FILE).read_text())
    assert meta["training"]["steps"] == 2
    assert meta["training"]["examples"] == {"sst2": 10, "goemotions": 15, "tweeteval": 9, "tweet_emotion": 20,
                                            "politeness": 9}
    with safe_open(str(out / WEIGHTS_FILE), "pt") as fh:
        names = list(fh.keys())
        assert {fh.get_tensor(n).dtype for n in names} == {__import__("torch").float16}
    first = meta["first_trainable_layer"]
    assert any(n.startswith("heads.sentiment.") for n in names)
    assert any(n.startswith(f"encoder.layer.{first}.") for n in names)
    assert not any(n.startswith(f"encoder.layer.{first - 1}.") or n.startswith("embeddings.") for n in names)

    scores = load_classifier(str(out)).predict(["Thanks, that fixed it!", "This is useless."])
    assert all(isinstance(s, ToneScores) for s in scores)
    for s in scores:
        assert abs(sum(s.sentiment.values()) - 1.0) < 1e-5
        assert 0.0 <= s.politeness <= 1.0 and 0.0 <= s.needs_apology <= 1.0


def test_training_is_reproducible_with_the_fixed_seed(tiny_data, tiny_model, tmp_path):
    from empathylint.classifier.train import TrainConfig, train

    again = train(TrainConfig(data_dir=str(tiny_data), out_dir=str(tmp_path / "again"), max_steps=3,
                              batch_size=8, eval_each_epoch=False))
    first = json.loads((tiny_model / META_FILE).read_text())["weights_sha256"]
    second = json.loads((again / META_FILE).read_text())["weights_sha256"]
    assert first == second


def test_the_training_module_runs_as_a_script():
    done = subprocess.run([sys.executable, "-m", "empathylint.classifier.train", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--data-dir" in done.stdout and "--epochs" in done.stdout


def test_a_learning_curve_run_trains_on_a_stratified_part_of_the_tweets(tiny_data, tmp_path):
    from empathylint.classifier.train import TrainConfig, train, training_examples

    every = training_examples(tiny_data)["tweeteval"]
    part = training_examples(tiny_data, tweet_fraction=1 / 3)["tweeteval"]
    assert len(every) == 9 and len(part) == 3
    assert sorted(e.sentiment for e in part) == [0, 1, 2]  # one of each class, as in the whole
    assert {e.text for e in part} <= {e.text for e in every}
    assert [e.weight for e in part] == [1.0, 1.0, 1.0]

    out = train(TrainConfig(data_dir=str(tiny_data), out_dir=str(tmp_path / "curve"), max_steps=2, batch_size=8,
                            eval_each_epoch=False, tweet_fraction=1 / 3))
    meta = json.loads((out / META_FILE).read_text())["training"]
    assert meta["examples"]["tweeteval"] == 3
    assert meta["tweet_fraction"] == 1 / 3
    assert meta["oversample"]["tweeteval"] == 15.0  # the same share of the steps as all nine tweets at x5


def test_the_order_seed_reorders_the_batches_but_keeps_the_initial_weights(tiny_data, tiny_model, tmp_path):
    from empathylint.classifier.train import TrainConfig, train

    def weights(name: str, **changes) -> str:
        out = train(TrainConfig(data_dir=str(tiny_data), out_dir=str(tmp_path / name), max_steps=3, batch_size=8,
                                eval_each_epoch=False, **changes))
        return json.loads((out / META_FILE).read_text())["weights_sha256"]

    assert weights("reordered", order_seed=14) != json.loads((tiny_model / META_FILE).read_text())["weights_sha256"]
    frozen = {"lr_layers": 0.0, "lr_heads": 0.0}  # nothing moves: what is saved is the initial weights
    assert weights("init13", **frozen) == weights("init14", order_seed=14, **frozen)


def test_a_tweet_fraction_outside_zero_to_one_is_a_usage_error(tiny_data, tmp_path):
    result = CliRunner().invoke(train_command, ["--data-dir", str(tiny_data), "--out", str(tmp_path / "m"),
                                                "--tweet-fraction", "0"])
    assert result.exit_code == 2 and "--tweet-fraction" in result.output
    done = subprocess.run([sys.executable, "-m", "empathylint.classifier.train", "--tweet-fraction", "1.5"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "1.5 is not in (0, 1]" in done.stderr
