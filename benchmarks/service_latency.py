"""Warm latency of ``POST /v1/lint`` through a real ``empathylint serve`` process, for a 150-word reply,
with and without the model.

    python benchmarks/service_latency.py [--requests 300] [--warmup 20] [--rules-only]

For each mode it starts ``empathylint serve [--no-model] --port <free port>`` as a separate process (uvicorn,
the way a pre-send hook or the compose page talks to it), waits for ``/healthz``, then sends the reply from
one keep-alive client: ``--warmup`` requests, then ``--requests`` timed ones. Each request changes the last
sentence (a case number), so the result cache never answers a whole request while the sentences an agent
keeps are cached, as they are for a real draft being edited. The time is the client's: request sent to
response parsed, HTTP and JSON included.

Target (issue 7): p50 < 50 ms on a warm process. Run by hand, not in CI; the first line says the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, model_dir, summary  # noqa: E402
from latency_memory import REPLY_150  # noqa: E402  (the same 150-word reply as the API benchmark)

TARGET_P50_MS = 50


def free_port() -> int:
    from empathylint.server.runner import free_port as pick

    return pick()


def start_server(workdir: Path, use_model: bool, model: str | None,
                 extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str, float]:
    """``(process, base URL, seconds until /healthz answered)``; the server runs in ``workdir`` with a config
    of its own, so no configuration file around the checkout changes what it does; ``extra`` are more
    ``serve`` options (``--allow-origin …``)."""
    config = workdir / ".empathylint.toml"
    config.write_text(f"model = {json.dumps(model)}\n" if use_model and model else "", encoding="utf-8")
    port = free_port()
    argv = [sys.executable, "-m", "empathylint", "serve", "--port", str(port), "--config", str(config)]
    if not use_model:
        argv.append("--no-model")
    argv.extend(extra)
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    while True:
        if process.poll() is not None:
            sys.exit(f"empathylint serve exited with {process.returncode}:\n{process.stdout.read()[-3000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return process, url, time.perf_counter() - start
        except httpx.TransportError:
            pass
        if time.perf_counter() - start > 300:
            process.kill()
            sys.exit("empathylint serve did not answer /healthz within 300 s")
        time.sleep(0.1)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def timed_requests(url: str, requests: int, warmup: int) -> tuple[list[float], int]:
    """Seconds per timed request, and the diagnostics of the last answer (a sanity check)."""
    seconds: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        last = None
        for i in range(warmup + requests):
            body = {"text": REPLY_150 + f"\nP.S. Your case number is {100_000 + i}."}
            start = time.perf_counter()
            response = client.post("/v1/lint", json=body)
            last = response.json()
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                sys.exit(f"/v1/lint answered {response.status_code}: {response.text[:500]}")
            if i >= warmup:
                seconds.append(elapsed)
    return seconds, len(last["results"][0]["diagnostics"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rules-only", action="store_true", help="skip the run with the model")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    model, note = model_dir()
    print(f"model: {note}; reply: {len(REPLY_150.split())} words; {args.requests} timed requests after "
          f"{args.warmup} warm-up, one keep-alive client, the server in its own process")
    for use_model in (False, True)[:1 if args.rules_only else 2]:
        label = "with the model" if use_model else "rules only (--no-model)"
        with tempfile.TemporaryDirectory(prefix="empathylint-serve-bench-") as tmp:
            process, url, ready = start_server(Path(tmp), use_model, model)
            try:
                seconds, found = timed_requests(url, args.requests, args.warmup)
            finally:
                stop(process)
        print(f"POST /v1/lint, {label}: {summary(seconds)}; server ready in {ready:.1f} s; "
              f"{found} diagnostics per reply  [target p50 < {TARGET_P50_MS} ms]")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
