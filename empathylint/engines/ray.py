"""The Ray engine: the same batches as the local engine, run by Ray actors that each load the pipeline once.

* ``report``: the export is read on the driver by the same readers and cut into the same batches (a batch's
  id is its place in the export), which become a Ray Data dataset; ``map_batches`` runs `ReportActor` (a
  `report.batch.BatchAnalyzer` built once per actor, ``workers`` actors of one CPU each) on each batch; the
  driver reads ahead a window of batches at a time (its memory bound).
  Each result is committed by the driver as one file per batch id, written atomically, in whatever order
  the results arrive. At the end the partials are merged in batch order with the same `Partial.absorb` and
  the details concatenated in batch order: the same ``conversations.jsonl`` and report, byte for byte.
* ``check``: `RayFindingsPool` is `workers.FindingsPool` on Ray actors (`FindActor`: ``Linter.find``),
  results in input order, at most ``2 * workers`` batches in flight.

Failures: an actor that dies is restarted by Ray and its batch retried (``max_restarts`` /
``max_task_retries``); a batch committed twice is the same file written again, never a second count. A
driver that dies leaves the committed batches; ``--resume`` skips their ids (when the run's key, its inputs
and settings, is the same) and runs the others.

Ray is an optional extra (``pip install "empathylint[ray]"``), imported only here and only when used.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from ..errors import ConfigError
from .local import _batches, _write_atomically

T = TypeVar("T")
INSTALL_HINT = 'the Ray engine needs Ray: pip install "empathylint[ray]"'
BATCHES_DIR = "ray-batches"  # in the report's output folder: one committed file per batch id
COMMIT_FORMAT = 1


def import_ray() -> Any:
    """The ``ray`` module, or a `ConfigError` saying how to install it."""
    try:
        import ray
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    return ray


def connect(address: str | None, workers: int) -> Any:
    """Join the Ray cluster at ``address`` (``ray://head:10001``, ``auto``), or start a local one with
    ``workers`` CPUs when there is none; the ``ray`` module. A session already joined is kept."""
    ray = import_ray()
    if not ray.is_initialized():
        options: dict[str, Any] = {"logging_level": "warning", "log_to_driver": True}
        if address:
            _reachable(address)
            try:
                ray.init(address=address, **options)
            except Exception as exc:  # noqa: BLE001  (Ray raises several kinds: no cluster, wrong version, …)
                raise ConfigError(f"cannot join the Ray cluster at {address}: {' '.join(str(exc).split())[:300]}"
                                  ) from None
        else:
            ray.init(num_cpus=workers, include_dashboard=False, **options)
    import logging

    from ray.data import DataContext

    logging.getLogger("ray.data").setLevel(logging.WARNING)

    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    return ray


def _reachable(address: str, timeout: float = 5.0) -> None:
    """A `ConfigError` unless ``host:port`` (or ``ray://host:port``) takes a connection within ``timeout``:
    Ray itself waits minutes for a cluster that is not there. (``auto`` and other forms are left to Ray.)"""
    import socket

    where = address.split("://", 1)[-1].rstrip("/")
    host, _, port = where.rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ConfigError(f"cannot join the Ray cluster at {address}: {exc.strerror or exc}; is it running "
                          "(ray status), and is the address its head's?") from None


@dataclass(frozen=True)
class Fault:
    """A test's way of killing an actor mid-run: the actor that has begun ``after`` batches kills its own
    process (SIGKILL) when ``marker`` exists, removing it first, so that only one actor dies, once."""

    marker: str
    after: int

    def strike(self, done: int) -> None:
        if done >= self.after and os.path.exists(self.marker):
            try:
                os.remove(self.marker)
            except FileNotFoundError:  # another actor struck first
                return
            os.kill(os.getpid(), signal.SIGKILL)


def _one_thread() -> None:
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)  # one CPU per actor: the actors share the cores between them


# -- report ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnalyzerRecipe:
    """How an actor builds the report's `BatchAnalyzer`: the settings, the linter's config (the model on or
    off is in it) and whether to load the sentence encoder. Plain data, sent to every actor."""

    settings: Any
    config: Any
    use_encoder: bool

    def build(self) -> Callable[[list[Any]], Any]:
        from ..linter import Linter
        from ..report.batch import BatchAnalyzer

        encoder = None
        if self.use_encoder:
            from ..classifier.embeddings import load_sentence_encoder

            encoder = load_sentence_encoder()
        analyzer = BatchAnalyzer(self.settings, Linter(self.config, cache=False), encoder)
        analyzer.warm()
        return analyzer


class ReportActor:
    """A Ray Data ``map_batches`` class: ``__init__`` loads the pipeline (and the encoder) once; each call
    takes one row (a batch id and its pickled items) and returns the id and the pickled `BatchResult`."""

    def __init__(self, recipe: AnalyzerRecipe, fault: Fault | None = None) -> None:
        _one_thread()
        self.analyse = recipe.build()
        self.fault = fault
        self.done = 0

    def __call__(self, rows: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        ids, results = [], []
        for batch_id, payload in zip(rows["batch"], rows["items"]):
            if self.fault is not None:
                self.fault.strike(self.done)
            ids.append(int(batch_id))
            results.append(pickle.dumps(self.analyse(pickle.loads(payload)), protocol=pickle.HIGHEST_PROTOCOL))
            self.done += 1
        return {"batch": np.array(ids, dtype=np.int64), "result": np.array(results, dtype=object)}


@dataclass
class RayEngine:
    """``empathylint report --engine ray``: where to run (``address``; None starts a local Ray), how many
    actors (``workers``), how many batches the driver reads ahead into one Ray Data dataset (``window``, by
    default 500 per worker: the driver's memory bound, held pickled; each window starts its actors afresh, so
    a window is minutes of every worker's time), and a `Fault` for tests."""

    address: str | None = None
    workers: int = 2
    window: int | None = None
    fault: Fault | None = None

    def run_report(self, items: Iterable[Any], recipe: AnalyzerRecipe, details_path: Path, key: str,
                   batch_size: int = 64, resume: bool = False, progress: Any = None,
                   stop_after: int | None = None) -> Any:
        """The merged `Partial` of every batch of ``items``, with the details of each conversation written
        to ``details_path`` in input order (see the module). ``stop_after``: the driver stops (as if killed)
        once that many batches are committed, for tests."""
        from ..report.batch import Partial

        commits = Commits(details_path.parent / BATCHES_DIR, key, resume)
        tally = _Tally(progress, stop_after)
        count = 0
        window: list[dict[str, Any]] = []
        for batch_id, batch in enumerate(_batches(iter(items), batch_size)):
            count += 1
            if batch_id not in commits.done:
                window.append({"batch": batch_id, "items": pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)})
            if len(window) >= (self.window or 500 * self.workers):
                self._run(window, recipe, commits, tally)
                window = []
        if window:
            self._run(window, recipe, commits, tally)
        partial = Partial()
        details_path.parent.mkdir(parents=True, exist_ok=True)
        with open(details_path, "wb") as details:
            for batch_id in range(count):
                committed = commits.read(batch_id)
                partial.absorb(Partial.from_json(committed["partial"]))
                for record in committed["details"]:
                    details.write((json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        if progress is not None:
            progress.update(tally.conversations, tally.messages, force=True)
            progress.done()
        return partial

    def _run(self, rows: list[dict[str, Any]], recipe: AnalyzerRecipe, commits: "Commits", tally: "_Tally"
             ) -> None:
        """Run one window of rows (a batch id and its pickled items each), committing each result."""
        ray = connect(self.address, self.workers)
        # Ray Data's actor pool restarts a dead actor and retries its batch (max_restarts and
        # max_task_retries are -1 there unless told otherwise)
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            ReportActor, fn_constructor_args=(recipe, self.fault), batch_size=1, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=self.workers), num_cpus=1)
        rows.clear()  # the dataset holds them now, in the object store
        for row in dataset.iter_rows():
            result = pickle.loads(row["result"])
            commits.write(int(row["batch"]), result)
            tally.add(result)


@dataclass
class _Tally:
    """What the driver has committed so far in this run: for the progress line and a test's stop."""

    progress: Any
    stop_after: int | None
    committed: int = 0
    conversations: int = 0
    messages: int = 0

    def add(self, result: Any) -> None:
        self.committed += 1
        self.conversations += len(result.details)
        self.messages += sum(len(r["messages"]) for r in result.details)
        if self.progress is not None:
            self.progress.update(self.conversations, self.messages)
        if self.stop_after is not None and self.committed >= self.stop_after:
            raise KeyboardInterrupt("stopped for a test")


class Commits:
    """The committed batches of a run: ``NNNNNN.json`` per batch id (its partial and its details), each
    written to a temporary name and renamed, so a file is there whole or not at all; ``KEY`` names the run
    (inputs and settings). A run that is not resumed, or resumed with another key, starts empty."""

    def __init__(self, folder: Path, key: str, resume: bool) -> None:
        self.folder = folder
        marker = folder / "KEY"
        if not (resume and marker.exists() and marker.read_text(encoding="utf-8") == key):
            shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(marker, key)
        self.done = {int(p.stem) for p in folder.glob("[0-9]*.json")}

    def path(self, batch_id: int) -> Path:
        return self.folder / f"{batch_id:06d}.json"

    def write(self, batch_id: int, result: Any) -> None:
        text = json.dumps({"format": COMMIT_FORMAT, "batch": batch_id, "partial": result.partial.to_json(),
                           "details": result.details}, ensure_ascii=False, sort_keys=True)
        _write_atomically(self.path(batch_id), text)
        self.done.add(batch_id)

    def read(self, batch_id: int) -> dict[str, Any]:
        try:
            committed = json.loads(self.path(batch_id).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{self.path(batch_id)}: batch {batch_id} was never committed; run again with "
                              "--resume to compute the missing batches") from None
        if committed.get("format") != COMMIT_FORMAT or committed.get("batch") != batch_id:
            raise ConfigError(f"{self.path(batch_id)}: not batch {batch_id} of this run; run again without --resume")
        return committed


# -- check -----------------------------------------------------------------------------------------------

class FindActor:
    """A Ray actor running ``Linter.find`` with a linter built once from ``config``."""

    def __init__(self, config: Any, fault: Fault | None = None) -> None:
        from ..linter import Linter

        _one_thread()
        self.linter = Linter(config, cache=False)
        self.linter.parser  # noqa: B018  (load the pipeline now, not in the first batch)
        self.fault = fault
        self.done = 0

    def find(self, items: list[tuple[str, str | None]]) -> list[Any]:
        if self.fault is not None:
            self.fault.strike(self.done)
        self.done += 1
        return [str(r) if isinstance(r, Exception) else r for r in self.linter.find(items)]


class RayFindingsPool:
    """`workers.FindingsPool` on Ray: ``workers`` `FindActor` s (one CPU each) on the cluster at ``address``
    (None: a local Ray). Use as a context manager; the actors are killed on exit."""

    def __init__(self, config: Any, workers: int, address: str | None = None, fault: Fault | None = None) -> None:
        self.ray = connect(address, workers)
        remote = self.ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(FindActor)
        self.actors = [remote.remote(config, fault) for _ in range(workers)]
        self.jobs = workers

    def __enter__(self) -> "RayFindingsPool":
        return self

    def __exit__(self, *exc: object) -> None:
        for actor in self.actors:
            self.ray.kill(actor)

    def ordered(self, batches: Iterable[T], items_of: Callable[[T], list[tuple[str, str | None]]]
                ) -> Iterator[tuple[T, list[Any]]]:
        """``(batch, findings of its items)`` for each batch, in order (as `FindingsPool.ordered`)."""
        from collections import deque

        pending: deque = deque()
        for number, batch in enumerate(batches):
            items = items_of(batch)
            actor = self.actors[number % len(self.actors)]
            pending.append((batch, actor.find.remote(items) if items else None))
            while len(pending) > 2 * self.jobs:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    def _collect(self, entry: tuple[T, Any]) -> tuple[T, list[Any]]:
        batch, handle = entry
        return batch, self.ray.get(handle) if handle is not None else []
