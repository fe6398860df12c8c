"""What the benchmarks share: the machine they ran on, the Bitext replies they run over, a stand-in tone model
when the trained weights are not in ``models/`` yet, and the hand-written baseline they are compared with.

Run by hand, not in CI. The machine line includes the load average at start: on a shared machine the
figures only mean something next to the baseline measured in the same run.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

ROOT = Path(__file__).resolve().parents[1]
BITEXT = ROOT.parent / "shared" / "data" / "bitext" / "replies.csv"


def machine() -> str:
    """CPU model, cores, memory, load average now, and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{cpu}; {cores} cores{memory}; load average at start {load} (1, 5, 15 min; above {cores} the "
            f"machine is shared and every figure is pessimistic); Python {platform.python_version()} on "
            f"{platform.system()} {platform.release()}")


def bitext_replies(count: int, distinct: bool = False) -> list[str]:
    """``count`` agent replies from the Bitext data set (3,000 rows, 110 words on average), repeated when
    more are asked for; ``distinct`` appends a line that differs per reply, so that no two texts are equal."""
    if not BITEXT.is_file():
        sys.exit(f"{BITEXT}: not found; the benchmarks read the Bitext replies from ../shared/data/bitext/")
    csv.field_size_limit(2**31 - 1)
    with open(BITEXT, encoding="utf-8", newline="") as fh:
        rows = [row["response"] for row in csv.DictReader(fh) if row["response"].strip()]
    out = [rows[i % len(rows)] for i in range(count)]
    if distinct:
        out = [f"{text}\n\nReference: case {i + 1}." for i, text in enumerate(out)]
    return out


def words(texts: Sequence[str]) -> float:
    return sum(len(t.split()) for t in texts) / max(len(texts), 1)


def write_jsonl(path: Path, texts: Sequence[str]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"r{i + 1}", "text": text}, ensure_ascii=False) + "\n")
    return path


def model_dir() -> tuple[str | None, str]:
    """``(folder, note)``: ``None`` when the shipped weights are in ``models/``; otherwise a stand-in tone
    model (the base MiniLM with untrained heads, the same size and speed) written to a temporary folder."""
    from empathylint.resources import models_dir

    if (models_dir() / "tone-minilm.safetensors").is_file():
        return None, "the shipped tone model (models/)"
    from empathylint.classifier.encoder import load_base_encoder
    from empathylint.classifier.model import ToneModel, save_model

    folder = Path(tempfile.mkdtemp(prefix="empathylint-bench-model-"))
    base = load_base_encoder(max_length=128)
    save_model(ToneModel(base.model, first_trainable=2), folder, 128, {"note": "untrained, for timing only"})
    return str(folder), ("a stand-in tone model: the shipped weights are not in models/ yet, so the base "
                         "MiniLM with untrained heads (same architecture and size, so the same speed)")


def rss_peak_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(seconds: Sequence[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"p50 {percentile(ms, 0.5):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, mean "
            f"{statistics.fmean(ms):.1f} ms (n={len(ms)})")


@dataclass
class Baseline:
    """What a team would write by hand: spaCy ``en_core_web_sm`` (every component) and a Hugging Face
    ``pipeline("text-classification")`` with a distilbert-base-sized model, applied reply by reply.

    The classifier has random weights (``DistilBertConfig()`` defaults: 6 layers, 768 wide, 66M parameters):
    nothing is downloaded, and the timing is that of the real model. Its tokenizer is the BERT uncased
    WordPiece vocabulary shipped with the base encoder package (the one distilbert-base-uncased uses)."""

    nlp: object
    classify: Callable | None

    @classmethod
    def load(cls, with_model: bool) -> "Baseline":
        import spacy

        from empathylint.pipeline import english_pipeline_name

        # spaCy's own defaults, as a team would load it (not `pipeline.load_english`, which changes the backend)
        nlp = spacy.load(english_pipeline_name())
        classify = None
        if with_model:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            import torch
            from transformers import (DistilBertConfig, DistilBertForSequenceClassification,
                                      DistilBertTokenizerFast, pipeline)

            from empathylint.classifier.encoder import base_model_dir

            torch.manual_seed(0)
            model = DistilBertForSequenceClassification(DistilBertConfig(num_labels=3)).eval()
            tokenizer = DistilBertTokenizerFast(vocab_file=str(base_model_dir() / "vocab.txt"))
            classify = pipeline("text-classification", model=model, tokenizer=tokenizer, device=-1)
        return cls(nlp, classify)

    def __call__(self, text: str) -> object:
        doc = self.nlp(text)
        label = self.classify(text, truncation=True, max_length=512) if self.classify else None
        return doc, label

    def rate(self, texts: Sequence[str]) -> tuple[float, float]:
        """``(replies per second, seconds)`` over ``texts``, one by one, after one warm-up call."""
        self(texts[0])
        start = time.perf_counter()
        for text in texts:
            self(text)
        seconds = time.perf_counter() - start
        return len(texts) / seconds, seconds
