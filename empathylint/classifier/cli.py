"""Click commands of the classifier: ``classify``, ``train``, ``evaluate``, ``calibrate``.

The main ``empathylint`` group registers them with ``for c in COMMANDS: main.add_command(c)``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterator

import click

from .evaluate import PRECISION_CHOICES  # stdlib only: the command line stays free of torch until a command runs
from .scores import TASKS, top_label

BATCH_LINES = 256


def _records(stream: IO[bytes]) -> Iterator[tuple[int, dict | None, str | None]]:
    """Yield (line number, record or None, error or None) for each non-blank line. A bad line (not UTF-8,
    not JSON, no "text") is an error for that line only."""
    for n, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield n, None, f"not valid UTF-8 (byte {exc.start + 1})"
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, None, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(obj, dict):
            yield n, None, 'expected a JSON object with a "text" field'
        elif not isinstance(obj.get("text"), str):
            yield n, None, 'missing "text" (a string)'
        elif obj.get("id") is not None and not isinstance(obj["id"], (str, int, float)):
            yield n, None, '"id" must be a string or a number'
        else:
            yield n, obj, None


@click.command("classify")
@click.argument("file", type=click.File("rb"), metavar="FILE.jsonl|-")
@click.option("--task", type=click.Choice(TASKS), default="sentiment", show_default=True,
              help="sentiment (negative/neutral/positive), politeness (impolite/polite) or emotion "
                   "(needs_apology/no_apology: angry, annoyed, disappointed or sad writer).")
@click.option("--model", "model", default=None, metavar="NAME_OR_PATH",
              help="A Hugging Face sequence-classification model (local folder, or hub name with internet) "
                   "to use for sentiment instead of the built-in head; or a folder written by `train`.")
@click.option("--label-map", default=None, metavar="LABEL=SENTIMENT,...",
              help="Map the --model's labels to negative/neutral/positive, e.g. LABEL_0=negative,LABEL_1=positive.")
def classify(file, task: str, model: str | None, label_map: str | None) -> None:
    """Classify each JSONL line ({"id"?, "text"}) and print {"id", "label", "scores"} per line.

    Lines that are not a JSON object with a "text" string are reported on stderr with their line number;
    the others are still classified. Exit status 2 when any line failed. A line without "id" gets its line
    number as id.
    """
    from ..errors import EmpathylintError
    from . import load_classifier
    from .hf import parse_label_map

    try:
        clf = load_classifier(model, parse_label_map(label_map))
    except EmpathylintError as exc:
        raise click.ClickException(str(exc)) from exc
    name = getattr(file, "name", "-")
    name = "<stdin>" if name in ("-", "<stdin>") else name
    failed = 0
    pending: list[tuple[object, str]] = []

    def flush() -> None:
        if not pending:
            return
        try:
            results = clf.predict_task([t for _, t in pending], task)
        except EmpathylintError as exc:
            raise click.ClickException(str(exc)) from exc
        for (rid, _), scores in zip(pending, results):
            label = top_label(scores)
            click.echo(json.dumps({"id": rid, "label": label,
                                   "scores": {k: round(v, 6) for k, v in scores.items()}}))
        pending.clear()

    for n, obj, error in _records(file):
        if error:
            failed += 1
            click.echo(f"{name}:{n}: {error}", err=True)
            continue
        pending.append((obj.get("id", n), obj["text"]))
        if len(pending) >= BATCH_LINES:
            flush()
    flush()
    if failed:
        click.echo(f"{name}: {failed} line(s) could not be classified", err=True)
        sys.exit(2)


@click.command("train")
@click.option("--data-dir", default="", help="Shared data folder (default: <repo>/../shared/data).")
@click.option("--out", default="", help="Output model folder (default: the shipped models/ folder).")
@click.option("--epochs", type=float, default=None)
@click.option("--seed", type=int, default=None)
@click.option("--first-trainable-layer", type=int, default=None)
@click.option("--threads", type=int, default=None)
@click.option("--order-seed", type=int, default=None,
              help="Seed of the batches' order (default: --seed); the initial weights still come from --seed.")
@click.option("--tweet-fraction", type=click.FloatRange(0, 1, min_open=True), default=1.0, show_default=True,
              help="Learning curves: train on this stratified part of the TweetEval training tweets.")
@click.option("--max-steps", type=int, default=None, help="Stop after N steps (smoke tests).")
@click.option("--limit-per-source", type=int, default=None, help="Use the first N examples of each source.")
@click.option("--no-epoch-eval", is_flag=True)
@click.option("--stage", type=click.Choice(["full", "sentiment-head"]), default="full", show_default=True,
              help="sentiment-head: re-balance the sentiment head of the model in --out in place (stage 2).")
@click.option("--retrain-head", is_flag=True, help="sentiment-head stage: train a fresh head first.")
def train(data_dir, out, epochs, seed, first_trainable_layer, threads, order_seed, tweet_fraction, max_steps,
          limit_per_source, no_epoch_eval, stage, retrain_head) -> None:
    """Retrain the tone model (top layers + heads) from the shared data, reproducibly (fixed seed); with
    --stage sentiment-head, run the second stage on the model in --out."""
    from .train import TrainConfig, train as run_train

    if stage == "sentiment-head":
        from .sentiment_head import train_sentiment_head
        from .train import head_config

        train_sentiment_head(head_config(data_dir, out, seed, threads, retrain_head, max_steps, limit_per_source))
        return
    cfg = TrainConfig(data_dir=data_dir, out_dir=out, max_steps=max_steps, limit_per_source=limit_per_source,
                      eval_each_epoch=not no_epoch_eval, order_seed=order_seed, tweet_fraction=tweet_fraction)
    for key, value in (("epochs", epochs), ("seed", seed), ("first_trainable_layer", first_trainable_layer),
                       ("threads", threads)):
        if value is not None:
            setattr(cfg, key, value)
    run_train(cfg)


@click.command("evaluate")
@click.option("--data-dir", default="")
@click.option("--model-dir", default=None, help="Model folder (default: the shipped models/).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--precision", type=click.Choice(list(PRECISION_CHOICES)), default="float32", show_default=True,
              help="The arithmetic to evaluate the model in (float32 is the reference), or all of them.")
def evaluate(data_dir, model_dir, as_json, precision) -> None:
    """Print the dev-set figures quoted in models/README.md."""
    from .evaluate import run

    click.echo(run(data_dir or None, model_dir, as_json, PRECISION_CHOICES[precision]))


@click.command("calibrate")
@click.option("--data-dir", default="")
@click.option("--model-dir", default=None, help="Model folder (default: the shipped models/).")
@click.option("--dry-run", is_flag=True, help="Print the figures; do not write thresholds.json.")
def calibrate(data_dir, model_dir, dry_run) -> None:
    """Choose the tone thresholds on dev data, check the Bitext share, write thresholds.json."""
    from .calibrate import calibrate as run_calibrate
    from .data import default_data_dir

    run_calibrate(Path(data_dir) if data_dir else default_data_dir(), model_dir, write=not dry_run,
                  log=click.echo)


COMMANDS = (classify, train, evaluate, calibrate)
