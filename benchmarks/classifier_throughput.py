"""Classifier throughput (sentences/s, batched) on support-reply sentences, and model load time.

    python benchmarks/classifier_throughput.py [--model-dir models] [--sentences 2000] [--threads 2]
                                               [--precision auto|float32|bfloat16|int8|all]

Sentences: the Bitext canned replies (``../shared/data/bitext/replies.csv``, split into sentences,
placeholders filled by the classifier) when that folder is there, else sentences built from the
support-reply phrases below. Every sentence is distinct and the classifier's per-text cache is emptied
before each run, so every sentence really goes through the encoder.

Load time is measured twice, each in a fresh interpreter: ``load_classifier()`` alone (torch already
imported), and the whole cold start (``import empathylint.classifier`` + torch + load). Targets (issue 3):
>= 150 sentences/s on 2 cores, load <= 1.5 s.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OPENINGS = ["Thanks for reaching out about", "I'm sorry for the trouble with", "I can help you with",
            "Let me look into", "I understand how frustrating it is to wait for", "We have updated"]
OBJECTS = ["your order", "the refund", "your account", "the delivery address", "your subscription",
           "the invoice", "the replacement", "your booking", "the payment", "your password reset"]
ENDINGS = ["today.", "right away.", "as soon as possible.", "within two business days.",
           "and will email you the details.", "so you don't have to do anything else.",
           "and I've added a note to your file.", "— please let me know if anything else comes up."]


def built_in_sentences() -> list[str]:
    return [" ".join(p) for p in itertools.product(OPENINGS, OBJECTS, ENDINGS)]


def bitext_sentences() -> list[str]:
    from empathylint.classifier.data import DataError, default_data_dir, read_bitext_replies

    try:
        replies = read_bitext_replies(default_data_dir())
    except DataError:
        return []
    seen: dict[str, None] = {}
    for reply in replies:
        for s in re.split(r"(?<=[.!?])\s+|\n+", reply):
            if len(s.split()) >= 3:
                seen.setdefault(s.strip(), None)
    return list(seen)


def machine() -> str:
    import torch

    from _common import machine as host

    return f"{host()}; torch {torch.__version__}, {torch.get_num_threads()} threads"


def load_seconds(model_dir: str | None, cold: bool) -> float:
    """Seconds of ``load_classifier()`` in a fresh interpreter (``cold``: including the imports)."""
    arg = repr(model_dir)
    code = ("import time; t0 = time.perf_counter(); import torch; "
            "from empathylint.classifier import load_classifier; "
            + ("" if cold else "t0 = time.perf_counter(); ")
            + f"load_classifier(model_dir={arg}); print(time.perf_counter() - t0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model-dir", default=None, help="tone model folder (default: the shipped models/)")
    p.add_argument("--sentences", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--built-in", action="store_true", help="use the built-in sentences even if Bitext is there")
    p.add_argument("--precision", default="all", choices=("auto", "float32", "bfloat16", "int8", "all"),
                   help="the arithmetic to time (default: all three, then auto)")
    a = p.parse_args(argv)

    import torch

    torch.set_num_threads(a.threads)
    from empathylint.classifier import load_classifier

    source = "built-in support-reply phrases"
    sentences = [] if a.built_in else bitext_sentences()
    if sentences:
        source = "Bitext canned-reply sentences"
    else:
        sentences = built_in_sentences()
    sentences = sentences[: a.sentences]

    print(f"machine: {machine()}")
    precisions = ("float32", "bfloat16", "int8", "auto") if a.precision == "all" else (a.precision,)
    for precision in precisions:
        clf = load_classifier(model_dir=a.model_dir, precision=precision)
        clf.predict(sentences[:64])  # warm-up
        rates = []
        for _ in range(a.repeats):
            clf._cache.clear()
            t = time.perf_counter()
            clf.predict(sentences, batch_size=a.batch_size)
            rates.append(len(sentences) / (time.perf_counter() - t))
        tokens = statistics.mean(len(e.ids) for e in clf.tokenizer.encode_batch(sentences))
        print(f"{precision} (runs {clf.precision}): {statistics.median(rates):.0f} sentences/s (median of "
              f"{a.repeats}; min {min(rates):.0f}, max {max(rates):.0f})  [target >= 150]")
    print(f"sentences: {len(sentences)} distinct {source}, {tokens:.1f} tokens on average, batch {a.batch_size}")

    warm = [load_seconds(a.model_dir, cold=False) for _ in range(3)]
    cold = [load_seconds(a.model_dir, cold=True) for _ in range(3)]
    print(f"model load (torch imported): {statistics.median(warm):.2f} s (median of 3)  [target <= 1.5 s]")
    print(f"cold start (import + load): {statistics.median(cold):.2f} s (median of 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
