"""How batches move: `local` streams an export through the per-batch function on this machine, with
checkpoints to resume from; `ray` runs the same batches on Ray actors. The batch function (`report.batch`)
knows nothing of engines; `sources` and `sinks` are the inputs and outputs every engine shares."""

from __future__ import annotations

from typing import Any


def make_engine(name: str, address: str | None = None, jobs: int = 0) -> Any:
    """None for ``local`` (the report's own loop), else the `ray.RayEngine` for ``jobs`` workers (0: one
    per core here)."""
    if name == "local":
        return None
    from ..workers import available_cores
    from .ray import RayEngine, import_ray

    import_ray()  # say how to install it before reading any input
    return RayEngine(address, jobs or available_cores())
