"""Finding problems in worker processes, for large batches on several cores.

The workers are forked from the process that already built the pipeline, so they start in milliseconds
and share its memory (the spaCy model, the classifier's weights) until they write to it. Each worker runs
the expensive stage only, ``Linter.find`` (parse, classify, match), on lists of ``(text, customer)`` and
sends back plain finding records; the parent keeps the sources, the cache and the output, and gets the
results back in input order. At most ``2 * jobs`` batches are in flight, so memory stays bounded on a
stream of any length.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TypeVar

if TYPE_CHECKING:
    from .linter import Linter

T = TypeVar("T")

_LINTER: "Linter | None" = None  # the parent's linter, inherited by the forked workers


def can_fork() -> bool:
    """Whether this platform can fork workers (Linux and the BSDs; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker() -> None:
    # One intra-op thread per worker: the workers already use every core between them. (numpy's BLAS has one
    # thread in every process that loaded the English pipeline: `pipeline.one_blas_thread`.)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def _find(items: list[tuple[str, str | None]]) -> list[Any]:
    from .nlp.memory import release_free_memory

    assert _LINTER is not None
    found = [str(r) if isinstance(r, Exception) else r for r in _LINTER.find(items)]
    release_free_memory()
    return found


class FindingsPool:
    """``jobs`` forked workers running ``linter.find``. Use as a context manager."""

    def __init__(self, linter: "Linter", jobs: int) -> None:
        global _LINTER
        _LINTER = linter
        self.jobs = jobs
        self._pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_worker)

    def __enter__(self) -> "FindingsPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.terminate()
        self._pool.join()

    def ordered(self, batches: Iterable[T], items_of: Callable[[T], list[tuple[str, str | None]]]
                ) -> Iterator[tuple[T, list[Any]]]:
        """``(batch, findings of its items)`` for each batch, in order; an item's failure comes back as its
        error message (a string) instead of its findings."""
        pending: deque = deque()
        for batch in batches:
            items = items_of(batch)
            pending.append((batch, self._pool.apply_async(_find, (items,)) if items else None))
            while len(pending) > 2 * self.jobs:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())

    @staticmethod
    def _collect(entry: tuple[T, Any]) -> tuple[T, list[Any]]:
        batch, handle = entry
        return batch, handle.get() if handle is not None else []
