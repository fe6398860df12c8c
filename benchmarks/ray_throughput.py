"""`empathylint report` on the same export with the local engine (one process), with Ray on 1 worker and
with Ray on 2 workers (the two cores here): messages per second per core, start-up cost, peak memory per
worker, and whether the three wrote the same report.json and conversations.jsonl.

The export is `report_throughput.build_export`'s (built at run time from ../shared/data, never stored):
``--messages`` messages (100,000 by default; about an hour of both cores with the model here).

    python benchmarks/ray_throughput.py                           # 100,000 messages, with the model
    python benchmarks/ray_throughput.py --messages 3000 --no-model

Every run is a fresh ``empathylint report`` process pinned (taskset) to one core per worker: the 1-worker runs to
core 0, the 2-worker run to cores 0 and 1; ``--engine ray`` starts its own local Ray (``-j`` CPUs), whose own
processes (raylet, GCS, Ray Data's coordinators) share those cores, as they would share a node. Start-up cost is the wall time of the same command on the export's first 40 messages
(process start, imports, Ray's start, each worker loading the pipeline and the model); the steady rate is
messages / (wall - start-up), and the rate while the batches ran is messages / (the time from the first
result on disk to the last: committed batches, conversations.jsonl). Memory is sampled each second from /proc: the largest resident size of each
process of the run's tree, the workers told by their title (``ray::MapWorker``; the local engine's one process
is its own worker), and the tree's proportional set size (shared pages counted once).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402
from report_throughput import CORES, build_export, tree_pss_mb  # noqa: E402

CONFIGS = (("local", 1), ("ray", 1), ("ray", 2))
START_MESSAGES = 40


@dataclass
class Run:
    wall: float
    status: int
    driver_mb: float = 0.0
    worker_mb: dict[int, float] = field(default_factory=dict)
    tree_pss_mb: float = 0.0
    first_result: float = 0.0  # seconds from the start to the first batch's result on disk
    last_result: float = 0.0  # … to the last change of the results on disk (the engine done)

    @property
    def peak_worker_mb(self) -> float:
        return max(self.worker_mb.values(), default=self.driver_mb)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _rss_mb(pid: int) -> tuple[float, str]:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return 0.0, ""
    rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return rss / 1024, title


def _results_on_disk(out: Path) -> tuple[int, int]:
    """How far the run's batches are: committed Ray batches, and the bytes of conversations.jsonl."""
    try:
        size = (out / "conversations.jsonl").stat().st_size
    except OSError:
        size = 0
    batches = out / "ray-batches"
    return (sum(1 for _ in batches.glob("[0-9]*.json")) if batches.is_dir() else 0), size


def timed(command: list[str], cores: str, out: Path) -> Run:
    """Run ``command`` on ``cores`` (taskset), sampling each second its process tree's memory and how far
    its results in ``out`` are."""
    started = time.perf_counter()
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # a file, not a pipe: Ray's logs would fill a pipe
    process = subprocess.Popen(["taskset", "-c", cores, *command], stdout=subprocess.DEVNULL, stderr=errors)
    run = Run(0.0, 0)
    seen = (0, 0)
    while process.poll() is None:
        now = _results_on_disk(out)
        if now != seen:
            at = time.perf_counter() - started
            run.first_result = run.first_result or at
            run.last_result, seen = at, now
        for pid in _tree(process.pid):
            rss, title = _rss_mb(pid)
            if pid == process.pid:
                run.driver_mb = max(run.driver_mb, rss)
            elif title.startswith("ray::MapWorker"):
                run.worker_mb[pid] = max(run.worker_mb.get(pid, 0.0), rss)
        run.tree_pss_mb = max(run.tree_pss_mb, tree_pss_mb(process.pid))
        time.sleep(1)
    run.wall = time.perf_counter() - started
    run.status = process.returncode
    if run.status:
        errors.seek(0)
        sys.stderr.write(errors.read()[-3000:])
    errors.close()
    return run


def first_difference(a: Path, b: Path) -> str:
    """Where two outputs first differ: the line number and the start of each line."""
    with open(a, encoding="utf-8") as left, open(b, encoding="utf-8") as right:
        for number, (x, y) in enumerate(zip(left, right), 1):
            if x != y:
                at = next(i for i, (p, q) in enumerate(zip(x, y)) if p != q) if x[:1] == y[:1] else 0
                return f"line {number}, character {at}: {x[max(at - 80, 0):at + 120]!r} / {y[max(at - 80, 0):at + 120]!r}"
    return "one is a prefix of the other"


def report_command(export: Path, out: Path, engine: str, workers: int, no_model: bool) -> list[str]:
    exe = str(Path(sys.executable).with_name("empathylint"))
    return [exe, "report", str(export), "-o", str(out), "--no-progress", "--engine", engine, "-j", str(workers),
            *(["--no-model"] if no_model else [])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--no-model", action="store_true", help="rules only (no tone model, no encoder)")
    args = parser.parse_args()
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")  # a local Ray of this run only: no token to set up
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "export.jsonl"
        written, agents = build_export(export, args.messages)
        with open(export, encoding="utf-8") as lines, open(folder / "start.jsonl", "w", encoding="utf-8") as head:
            for _, line in zip(range(START_MESSAGES), lines):
                head.write(line)
        if written > args.messages:  # build_export writes whole copies of its base: keep the first ones asked
            with open(export, encoding="utf-8") as lines, open(folder / "cut.jsonl", "w", encoding="utf-8") as cut:
                for _, line in zip(range(args.messages), lines):
                    cut.write(line)
            os.replace(folder / "cut.jsonl", export)
            written = args.messages
            agents = sum('"role": "agent"' in line for line in open(export, encoding="utf-8"))
        print(f"export: {written:,} messages, {agents:,} agent messages ({export.stat().st_size / 2**20:.1f} MiB); "
              f"{'rules only' if args.no_model else 'with the model'}")
        results, starts = {}, {}
        for engine, workers in CONFIGS:
            name = f"{engine} x{workers}"
            cores = CORES.split(",")[0] if workers == 1 else CORES  # a worker per core, Ray's own processes with them
            start_out, out = folder / f"start-{engine}{workers}", folder / f"{engine}{workers}"
            start = timed(report_command(folder / "start.jsonl", start_out, engine, workers, args.no_model), cores,
                          start_out)
            run = timed(report_command(export, out, engine, workers, args.no_model), cores, out)
            results[name], starts[name] = run, start
            steady = written / max(run.wall - start.wall, 1e-9)
            busy = written / max(run.last_result - run.first_result, 1e-9)
            print(f"{name:8}: {run.wall:7.1f} s (exit {run.status})  {written / run.wall / workers:7.1f} messages/s "
                  f"per core end to end, {steady / workers:7.1f} after start-up, {busy / workers:7.1f} while the "
                  f"batches ran ({run.first_result:.0f}-{run.last_result:.0f} s) | start-up {start.wall:5.1f} s  | "
                  f"peak RSS per worker {run.peak_worker_mb:5.0f} MiB, driver {run.driver_mb:5.0f} MiB, "
                  f"whole tree PSS {run.tree_pss_mb:5.0f} MiB", flush=True)
        local, one, two = (results[f"{e} x{w}"].wall for e, w in CONFIGS)
        local_s, one_s, two_s = (results[f"{e} x{w}"].wall - starts[f"{e} x{w}"].wall for e, w in CONFIGS)
        local_b, one_b, two_b = (results[f"{e} x{w}"].last_result - results[f"{e} x{w}"].first_result
                                 for e, w in CONFIGS)
        print(f"Ray 2 workers / 1 worker: {one / two:.2f}x end to end, {one_s / two_s:.2f}x after start-up, "
              f"{one_b / two_b:.2f}x while the batches ran; Ray 1 worker over local: {(one / local - 1) * 100:+.1f} % "
              f"end to end, {(one_s / local_s - 1) * 100:+.1f} % after start-up, {(one_b / local_b - 1) * 100:+.1f} % "
              "while the batches ran")
        for name in ("report.json", "conversations.jsonl"):
            base = folder / "local1" / name
            for engine, workers in CONFIGS[1:]:
                other = folder / f"{engine}{workers}" / name
                same = base.read_bytes() == other.read_bytes()
                print(f"{name}: {engine} x{workers} byte-identical to local x1: {same}"
                      + ("" if same else f" (first difference: {first_difference(base, other)})"))


if __name__ == "__main__":
    main()
