"""The local engine: streams an export a batch of conversations at a time through the per-batch function,
keeps the running total (a merged `Partial`) and appends each conversation's details to a JSON Lines file,
so memory is bounded by one batch whatever the export's size.

Every ``checkpoint_every`` batches it writes a checkpoint (atomically): how many items of the export were
consumed, the running total, and the length of the details file then. ``resume=True`` reads it, cuts the
details file back to that length, skips the items already counted and goes on: the same batches, the same
merges, the same report, byte for byte.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import deque
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from ..report.batch import BatchResult, Partial

CHECKPOINT_FORMAT = 1


@dataclass
class RunState:
    """Where a run stands: items consumed, the running total, bytes of details written."""

    consumed: int
    partial: Partial
    details_bytes: int
    key: str

    def to_json(self) -> dict[str, Any]:
        return {"format": CHECKPOINT_FORMAT, "key": self.key, "consumed": self.consumed,
                "details_bytes": self.details_bytes, "partial": self.partial.to_json()}


class Progress:
    """A progress bar on a terminal, at most once a second: messages done out of ``total`` (an estimate:
    the lines of a message-per-line export), else a count and a rate."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, total: int | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, conversations: int, messages: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < 1.0):
            return
        self.last = now
        rate = messages / max(now - self.started, 1e-9)
        line = f"{conversations:,} conversations, {messages:,} messages, {rate:,.0f} messages/s"
        if self.total:
            done = min(messages / self.total, 1.0)
            left = (self.total - messages) / rate if rate and messages < self.total else 0
            line = f"[{'#' * int(done * 30):<30}] {done:4.0%} {line}, about {left:,.0f} s left"
        self.stream.write(f"\r{line} ")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def run_local(items: Iterable[Any], analyse: Callable[[list[Any]], BatchResult], details_path: Path,
              checkpoint_path: Path | None = None, key: str = "", batch_size: int = 64,
              checkpoint_every: int = 10, resume: bool = False, progress: Progress | None = None,
              stop_after: int | None = None, jobs: int = 1) -> Partial:
    """The merged partial of every batch of ``items`` (see the module). ``key`` names the input and the
    settings: a checkpoint made with another key is not resumed from. ``stop_after``: stop (as if
    killed) after that many batches, for tests. ``jobs`` > 1 runs the batches in that many forked worker
    processes (sharing the loaded models), their results taken in input order: the same report."""
    state = RunState(0, Partial(), 0, key)
    if resume and checkpoint_path is not None and checkpoint_path.exists():
        saved = json.loads(checkpoint_path.read_text(encoding="utf-8"))
        if saved.get("format") == CHECKPOINT_FORMAT and saved.get("key") == key:
            state = RunState(saved["consumed"], Partial.from_json(saved["partial"]), saved["details_bytes"], key)
    details_path.parent.mkdir(parents=True, exist_ok=True)
    mode = "r+b" if state.consumed and details_path.exists() else "wb"
    with open(details_path, mode) as details:
        details.truncate(state.details_bytes)
        details.seek(state.details_bytes)
        stream = islice(iter(items), state.consumed, None)
        conversations = messages = 0
        for number, (batch, result) in enumerate(_results(_batches(stream, batch_size), analyse, jobs), 1):
            state.partial.absorb(result.partial)
            state.consumed += len(batch)
            for record in result.details:
                details.write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
                conversations += 1
                messages += len(record["messages"])
            if progress is not None:
                progress.update(conversations, messages)
            if checkpoint_path is not None and number % checkpoint_every == 0:
                details.flush()
                state.details_bytes = details.tell()
                _write_atomically(checkpoint_path, json.dumps(state.to_json(), sort_keys=True))
            if stop_after is not None and number >= stop_after:
                raise KeyboardInterrupt("stopped for a test")
        details.flush()
    if progress is not None:
        progress.update(conversations, messages, force=True)
        progress.done()
    return state.partial


_ANALYSE: Callable[[list[Any]], BatchResult] | None = None  # inherited by forked workers


def _start_worker() -> None:
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)  # the workers use the cores between them


def _analyse(batch: list[Any]) -> BatchResult:
    assert _ANALYSE is not None
    return _ANALYSE(batch)


def _results(batches: Iterator[list[Any]], analyse: Callable[[list[Any]], BatchResult], jobs: int
             ) -> Iterator[tuple[list[Any], BatchResult]]:
    """Each batch with its result, in order; with ``jobs`` > 1 at most ``2 * jobs`` batches in flight."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for batch in batches:
            yield batch, analyse(batch)
        return
    global _ANALYSE
    _ANALYSE = analyse
    warm = getattr(analyse, "warm", None)
    if warm is not None:
        warm()  # load the models before forking, so that every worker shares them
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append((batch, pool.apply_async(_analyse, (batch,))))
            if len(pending) >= 2 * jobs:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
