"""Latency of the language server's diagnostics after an edit, for a 150-word draft, rules only and with the
model: the time from sending ``textDocument/didChange`` to receiving ``textDocument/publishDiagnostics`` for
that version.

    python benchmarks/lsp_latency.py [--changes 200] [--warmup 10] [--rules-only]

For each mode it starts ``empathylint lsp [--no-model] --debounce-ms D`` as its own process and talks to it
over stdio with pygls's own client, the way an editor does: initialize, open the draft, then ``--warmup``
edits and ``--changes`` timed ones, one at a time, each waiting for its diagnostics. Each edit retypes the
order number (an incremental change of five characters), so no text repeats and the result cache never
answers a whole draft, while the sentences the agent did not touch are parsed once, as they are when a real
draft is edited. Each mode runs twice: with ``--debounce-ms 0`` (the server's own time: reading the buffer,
linting, converting positions, the JSON-RPC round trip) and with the default debounce (what an editor sees
once typing pauses); with the model once more on torch's own threads (``--threads 0``), against the server's
one thread. The same edits are then timed through the Python API in this process, the linting alone.

Target (issue 24): p50 ≤ 100 ms rules only. Run by hand, not in CI; the first line says the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, model_dir, percentile  # noqa: E402

from empathylint.lsp import DEFAULT_DEBOUNCE_MS  # noqa: E402

TARGET_P50_MS = 100
ORDER = "48213"
DRAFT_150 = (
    f"Hi Sam,\n\nThank you for getting in touch about order {ORDER}, and I'm sorry it has not arrived yet. I "
    "checked with the carrier this morning: the parcel was scanned at their Leeds depot on Monday and has not "
    "moved since. As I already explained, our system won't let me refund the delivery fee before the parcel "
    "is returned, but I have booked a replacement that will leave our warehouse today by express delivery at "
    "no cost to you. You will get a tracking link by email within the hour. If the first parcel turns up "
    "after all, you can keep it or send it back with the prepaid label in the box. Please do not hesitate to "
    "contact us if anything else comes up, and just reply to this email at your earliest convenience with "
    "the delivery day that suits you, and I will book the courier.\n\nBest,\nAlex"
)


def number(i: int) -> str:
    """The order number the ``i``-th edit types."""
    return f"{10000 + i:05d}"


def order_range() -> types.Range:
    """Where the order number is (ASCII before it: UTF-16 columns are code points here)."""
    line = DRAFT_150[:DRAFT_150.index(ORDER)].count("\n")
    column = DRAFT_150.split("\n")[line].index(ORDER)
    return types.Range(types.Position(line, column), types.Position(line, column + len(ORDER)))


async def measure(argv: list[str], workdir: Path, changes: int, warmup: int) -> tuple[list[float], float, int]:
    """Seconds from each timed didChange to its diagnostics, seconds from start to the first diagnostics,
    and how many diagnostics the last edit got."""
    client = LanguageClient("empathylint-benchmark", "1")
    waiting: dict[int, asyncio.Future] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        future = waiting.pop(params.version, None)
        if future is not None and not future.done():
            future.set_result((time.perf_counter(), len(params.diagnostics)))

    def expect(version: int) -> asyncio.Future:
        waiting[version] = asyncio.get_running_loop().create_future()
        return waiting[version]

    started = time.perf_counter()
    await client.start_io(*argv, cwd=str(workdir))
    uri = (workdir / "draft.txt").as_uri()
    try:
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                             root_uri=workdir.as_uri()))
        client.initialized(types.InitializedParams())
        first = expect(1)
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=DRAFT_150)))
        await asyncio.wait_for(first, 300)
        ready = time.perf_counter() - started
        where, seconds, found = order_range(), [], 0
        for i in range(warmup + changes):
            version = i + 2
            done = expect(version)
            sent = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [types.TextDocumentContentChangePartial(range=where, text=number(i))]))
            received, found = await asyncio.wait_for(done, 60)
            if i >= warmup:
                seconds.append(received - sent)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    return seconds, ready, found


def in_process(use_model: bool, model: str | None, changes: int, warmup: int) -> list[float]:
    """Seconds per edit for the same edits through the Python API in this process: the linting alone, on
    the machine as loaded as it is now, to read the server's figures against."""
    from empathylint.config import Config
    from empathylint.linter import Linter

    linter = Linter(Config(use_model=use_model, model=model))
    linter.lint(DRAFT_150)
    if use_model:
        import torch

        torch.set_num_threads(1)  # as the server runs it (`empathylint lsp --threads 1`, the default)
    seconds = []
    for i in range(warmup + changes):
        text = DRAFT_150.replace(ORDER, number(i))
        start = time.perf_counter()
        linter.lint(text, path="draft.txt")
        if i >= warmup:
            seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--rules-only", action="store_true", help="skip the runs with the model")
    args = parser.parse_args()
    words = len(DRAFT_150.split())
    print(f"machine: {machine()}")
    model, note = model_dir()
    assert words == 150, words
    print(f"model: {note}; draft: {words} words; {args.changes} timed edits after {args.warmup} warm-up, "
          "one at a time, the server in its own process over stdio")
    # (model, debounce, torch threads): the default server, then with the model on torch's own threads
    runs = [(False, 0, 1), (False, DEFAULT_DEBOUNCE_MS, 1),
            (True, 0, 1), (True, DEFAULT_DEBOUNCE_MS, 1), (True, 0, 0)]
    for use_model, debounce, threads in runs[:2 if args.rules_only else None]:
        label = "with the model" if use_model else "rules only (--no-model)"
        with tempfile.TemporaryDirectory(prefix="empathylint-lsp-bench-") as tmp:
            config = Path(tmp) / ".empathylint.toml"
            config.write_text(f'model = "{model}"\n' if use_model and model else "", encoding="utf-8")
            argv = [sys.executable, "-m", "empathylint", "lsp", "--config", str(config), "--debounce-ms",
                    str(debounce), "--threads", str(threads)] + ([] if use_model else ["--no-model"])
            seconds, ready, found = asyncio.run(measure(argv, Path(tmp), args.changes, args.warmup))
        ms = [s * 1000 for s in seconds]
        print(f"didChange → publishDiagnostics, {label}, debounce {debounce} ms"
              + (f", --threads {threads}" if use_model else "") + ": "
              f"p50 {percentile(ms, 0.5):.1f} ms, p90 {percentile(ms, 0.9):.1f} ms, "
              f"p99 {percentile(ms, 0.99):.1f} ms (n={len(ms)}); "
              f"first diagnostics {ready:.1f} s after start; {found} diagnostics per edit"
              + (f"  [target p50 ≤ {TARGET_P50_MS} ms]" if not use_model else ""))
        if debounce == DEFAULT_DEBOUNCE_MS:
            api = [s * 1000 for s in in_process(use_model, model, args.changes, args.warmup)]
            print(f"  the same edits through the Python API in this process, {label}: "
                  f"p50 {percentile(api, 0.5):.1f} ms, p90 {percentile(api, 0.9):.1f} ms "
                  "(the linting alone, on the machine as loaded as it is now)")

if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
