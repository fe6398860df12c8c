"""`empathylint report` against `empathylint check` over the same agent messages, with the model, on two
cores (taskset), plus peak memory and a kill-and-resume identity check.

The export is built at run time from ../shared/data (never stored): the twitter-care dev.json conversations
and the Bitext rows (each a customer instruction and the agent's reply, a conversation of two messages, an
hour apart) replicated with timestamps shifted by a week per copy and ids made unique per copy, until
``--messages`` messages (100,000 by default). Replicated texts repeat, so both commands' sentence caches
help them equally.

    python benchmarks/report_throughput.py                      # 100,000 messages (about an hour here)
    python benchmarks/report_throughput.py --messages 20000     # a quicker look

Both commands run with their default worker processes (one per core: two), each (``/usr/bin/time``-style peak RSS from wait4), on cores 0 and 1.
The kill-and-resume run is killed (SIGKILL) once its checkpoint has counted half the conversations, then
resumed with --resume; its report.json must equal the uninterrupted run's byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BITEXT, ROOT, machine  # noqa: E402

TWITTER_CARE = ROOT.parent / "shared" / "data" / "twitter-care" / "dev.json"
CORES = "0,1"


def build_export(path: Path, messages: int) -> tuple[int, int]:
    """Write the replicated export; (messages, agent messages) written."""
    sys.path.insert(0, str(ROOT))
    from empathylint.conversations.exports import read_export

    base = [c for c in read_export(TWITTER_CARE) if not hasattr(c, "notice")]
    csv.field_size_limit(2**31 - 1)
    with open(BITEXT, encoding="utf-8", newline="") as fh:
        bitext = [row for row in csv.DictReader(fh) if row["response"].strip()]
    start = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    written = agents = 0
    with open(path, "w", encoding="utf-8") as out:
        copy = 0
        while written < messages:
            shift = timedelta(weeks=copy)
            for c in base:
                for m in c.messages:
                    out.write(json.dumps({"conversation_id": f"{c.id}~{copy}", "message_id": m.message_id,
                                          "role": m.role.value, "author": m.author,
                                          "timestamp": (m.timestamp + shift).isoformat(), "text": m.text}) + "\n")
                    written += 1
                    agents += m.role.value == "agent"
            for i, row in enumerate(bitext):
                at = start + shift + timedelta(minutes=3 * i)
                for n, (role, text, when) in enumerate((("customer", row["instruction"], at),
                                                        ("agent", row["response"], at + timedelta(hours=1)))):
                    out.write(json.dumps({"conversation_id": f"bitext-{i}~{copy}", "message_id": str(n + 1),
                                          "role": role, "author": "agent" if role == "agent" else "customer",
                                          "macro_id": row["intent"] if role == "agent" else None,
                                          "timestamp": when.isoformat(), "text": text}) + "\n")
                    written += 1
                    agents += role == "agent"
            copy += 1
    return written, agents


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and all its descendants (the forked workers), MiB, from
    /proc: memory they share (the models, loaded before forking) counted once, not once per process."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


PEAK_TREE: dict[str, float] = {}


def load() -> str:
    """The time and the load average now (the machine is shared: each phase's figures say when and how busy)."""
    one, five, _ = os.getloadavg()
    return f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC, load {one:.1f} / {five:.1f}]"


def timed(command: list[str], kill_when=None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB of the largest process, exit status) of a command on two cores;
    ``kill_when()`` polled each second. The peak PSS of the whole process tree (sampled each second) is left
    in ``PEAK_TREE["last"]``."""
    started = time.perf_counter()
    process = subprocess.Popen(["taskset", "-c", CORES, *command], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    PEAK_TREE["last"] = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        PEAK_TREE["last"] = max(PEAK_TREE["last"], tree_pss_mb(process.pid))
        if kill_when is not None and kill_when():
            process.send_signal(signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(1)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--no-resume-check", action="store_true")
    parser.add_argument("--skip-check", action="store_true", help="time the report only (and the resume)")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("empathylint"))
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "export.jsonl"
        written, agents = build_export(export, args.messages)
        print(f"export: {written:,} messages, {agents:,} agent messages ({export.stat().st_size / 2**20:.0f} MiB) "
              f"{load()}")
        check_s = float("nan")
        if not args.skip_check:
            check_s, check_mb, _ = timed([exe, "check", str(export), "--input-format", "conversations", "-f",
                                          "json", "-o", str(folder / "check.json"), "--no-cache", "--exit-zero"])
            print(f"check:  {check_s:8.1f} s  {agents / check_s:6.1f} agent messages/s  peak RSS {check_mb:6.0f} "
                  f"MiB (largest process; all processes together, PSS, {PEAK_TREE['last']:.0f} MiB) {load()}")
        report_s, report_mb, status = timed([exe, "report", str(export), "-o", str(folder / "whole"), "--no-progress"])
        print(f"report: {report_s:8.1f} s  {agents / report_s:6.1f} agent messages/s  peak RSS {report_mb:6.0f} MiB "
              f"(largest process; all processes together, PSS, {PEAK_TREE['last']:.0f} MiB)  ({report_s / check_s:.2f}x "
              f"check; exit {status}) {load()}")
        if args.no_resume_check:
            return
        resumed = folder / "resumed"
        checkpoint = resumed / "checkpoint.json"
        conversations = json.loads((folder / "whole" / "report.json").read_text())["totals"]["conversations"]

        def half_done() -> bool:
            try:
                return json.loads(checkpoint.read_text())["consumed"] >= conversations // 2
            except (OSError, ValueError, KeyError):
                return False

        killed_s, _, status = timed([exe, "report", str(export), "-o", str(resumed), "--no-progress"], half_done)
        rest_s, _, _ = timed([exe, "report", str(export), "-o", str(resumed), "--no-progress", "--resume"])
        same = (resumed / "report.json").read_bytes() == (folder / "whole" / "report.json").read_bytes()
        print(f"kill and resume: killed after {killed_s:.0f} s (exit {status}), resumed in {rest_s:.0f} s; "
              f"report.json byte-identical: {same} {load()}")


if __name__ == "__main__":
    main()
