"""Warm single-reply latency through the Python API, cold start of the CLI, and peak memory over a batch.

    python benchmarks/latency_memory.py [--requests 300] [--memory-replies 10000] [--skip-memory]

* Warm latency: one `empathylint.Linter`, a 150-word reply linted ``--requests`` times after a warm-up, each
  time with a different last sentence so neither the result cache nor the parse cache answers the whole
  reply (the repeated sentences are cached, as they are for a real agent's drafts); p50 and p99, with and
  without the model. Targets (issue 6): p50 <= 25 ms, p99 <= 80 ms.
* Cold start: wall time of ``empathylint check --no-cache [--no-model] one.txt`` in a fresh process, median of
  5. Targets: <= 1.5 s rules only, <= 3.5 s with the model.
* Peak memory: peak RSS of ``empathylint check --no-cache --jobs 1`` over ``--memory-replies`` distinct
  Bitext replies in one JSONL file, with the model. Target: <= 700 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bitext_replies, machine, model_dir, summary, words, write_jsonl

_SCRIPT = Path(sys.executable).parent / "empathylint"
#: The installed console script, as a user runs it (else the module).
EXE = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "empathylint.cli"]

REPLY_150 = (
    "Hi Sam,\n\nThank you for getting in touch about order 48213, and I'm sorry it has not arrived yet. "
    "I checked with the carrier this morning: the parcel was scanned at their Leeds depot on Monday and "
    "has not moved since, which is not the service you paid for. I have asked them to trace it, and I have "
    "also booked a replacement that will leave our warehouse today by express delivery at no cost to you. "
    "You will get a tracking link by email within the hour. If the first parcel turns up after all, you "
    "can keep it or send it back with the prepaid label in the box, whichever is easier for you. I have "
    "refunded the original shipping fee of 4.99 to your card as well; it should show within three working "
    "days. I'll keep an eye on both parcels and write to you on Thursday with an update either way. "
    "Thanks again for your patience, and let me know if there is anything else I can do.\n\nBest,\nAlex"
)


def warm_latency(use_model: bool, requests: int, model: str | None) -> list[float]:
    from empathylint.config import Config
    from empathylint.linter import Linter

    linter = Linter(Config(use_model=use_model, model=model))
    linter.lint(REPLY_150)
    seconds = []
    for i in range(requests):
        text = REPLY_150 + f"\nP.S. Your case number is {1000 + i}."
        start = time.perf_counter()
        linter.lint(text)
        seconds.append(time.perf_counter() - start)
    return seconds


def cold_start(args: list[str], reply: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*EXE, "check", "--no-cache", *args, str(reply)], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """(peak RSS in MB of the child, wall seconds)."""
    start = time.perf_counter()
    subprocess.run([*EXE, "check", "--no-cache", "--jobs", "1", "--format", "json", *args],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--memory-replies", type=int, default=10_000)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    model, note = model_dir()
    model_args = ["--model", model] if model else []
    print(f"model: {note}; reply: {len(REPLY_150.split())} words")

    for use_model in (False, True):
        label = "with the model" if use_model else "rules only"
        print(f"warm API latency, {label}: {summary(warm_latency(use_model, args.requests, model))}"
              "  [target p50 <= 25 ms, p99 <= 80 ms]")

    with tempfile.TemporaryDirectory() as tmp:
        reply = Path(tmp) / "one.txt"
        reply.write_text(REPLY_150, encoding="utf-8")
        print(f"cold start, check --no-model one.txt: {cold_start(['--no-model'], reply):.2f} s  [target <= 1.5 s]")
        print(f"cold start, check one.txt (model): {cold_start(model_args, reply):.2f} s  [target <= 3.5 s]")
        if not args.skip_memory:
            texts = bitext_replies(args.memory_replies, distinct=True)
            batch = write_jsonl(Path(tmp) / "batch.jsonl", texts)
            mb, seconds = peak_rss_mb([*model_args, str(batch)])
            print(f"peak RSS, {len(texts):,} replies ({words(texts):.0f} words on average) with the model, "
                  f"--jobs 1: {mb:.0f} MB in {seconds:.0f} s  [target <= 700 MB]")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
