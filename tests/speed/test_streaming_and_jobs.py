"""Streaming and worker processes: results come back in input order, the same as in one process, and the
input is pulled only a few batches ahead of the output."""

from __future__ import annotations

import pytest

from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.source import Source
from empathylint.workers import can_fork

REPLIES = ["As I already explained, just restart the router.", "Thanks for waiting! It ships today.",
           "Unfortunately, that's our policy.", "Like I said, you should have read the terms.",
           "I'm sorry it arrived late; I've sent a replacement."]


def sources(count: int, pulled: list[int] | None = None):
    for i in range(count):
        if pulled is not None:
            pulled[0] = i + 1
        yield Source.from_text(f"{REPLIES[i % len(REPLIES)]} Case {i}.", path=f"r{i}.txt")


def test_lint_sources_pulls_its_input_lazily(rules_linter):
    linter = Linter(Config(use_model=False), nlp=rules_linter.nlp)
    pulled = [0]
    stream = linter.lint_sources(sources(10_000, pulled), batch_size=4)
    first = next(stream)
    assert first.source.path == "r0.txt" and pulled[0] <= 8


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked")
def test_workers_give_the_same_results_in_order(rules_linter):
    linter = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=False)
    alone = [(r.source.path, r.diagnostics) for r in linter.lint_sources(sources(40), batch_size=4)]
    pulled = [0]
    stream = linter.lint_sources(sources(40, pulled), batch_size=4, jobs=2)
    first = next(stream)
    assert pulled[0] <= 4 * (2 * 2 + 2)  # at most 2 * jobs batches in flight, plus the one being planned
    together = [(first.source.path, first.diagnostics)] + [(r.source.path, r.diagnostics) for r in stream]
    assert together == alone and any(d for _, d in alone)


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked")
def test_a_worker_failure_is_reported_per_source(rules_linter, monkeypatch):
    linter = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=False)
    real = linter._find

    def fragile(items):
        if any("boom" in text for text, _ in items):
            raise RuntimeError("boom")
        return real(items)

    monkeypatch.setattr(linter, "_find", fragile)
    batch = [Source.from_text("boom"), Source.from_text(REPLIES[0])] * 3
    results = list(linter.lint_sources(batch, batch_size=2, jobs=2))
    assert [bool(r.error) for r in results] == [True, False] * 3
    assert "could not be linted: boom" in str(results[0].error)
    assert [d.code for d in results[1].diagnostics] == ["CND001", "CND005"]


def test_freed_memory_goes_back_to_the_os_where_glibc_can():
    import platform

    from empathylint.nlp.memory import release_free_memory

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's")
    # 128 MB on the C heap, each block followed by a small one that stays: freeing the big ones leaves holes,
    # which free() alone never gives back (only the top of the heap shrinks)
    buffers, pins = [], []
    for _ in range(2000):
        buffers.append(bytearray(64 * 1024))
        pins.append(bytearray(1000))
    del buffers
    before = _rss_mb()
    assert release_free_memory() is True
    assert _rss_mb() < before - 64  # most of the 128 MB went back
    del pins


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20
