"""A real LSP client over stdio: ``python -m empathylint lsp --no-model`` in a subprocess, spoken to in JSON-RPC
with Content-Length framing, written here rather than taken from pygls so that the tests read the wire as an
editor does (camelCase names, UTF-16 positions)."""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0


class LspClient:
    """One server process; `request` waits for the answer, `wait_diagnostics` for a publication."""

    def __init__(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "empathylint", "lsp", *args], cwd=cwd or ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env={**os.environ, **(env or {})})
        self._ids = itertools.count(1)
        self._answers: dict[int, queue.Queue] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.server_requests: list[dict] = []
        self._backlog: list[dict] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr: list[bytes] = []
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr), daemon=True).start()

    def _send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        out = self.process.stdout
        while True:
            length = None
            while (line := out.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line or length is None:
                return
            message = json.loads(out.read(length))
            if "method" in message and "id" in message:  # a request from the server (registerCapability)
                self.server_requests.append(message)
                self._send({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.put(message)
            else:
                self._answers.setdefault(message["id"], queue.Queue()).put(message)

    def request(self, method: str, params: Any) -> Any:
        request_id = next(self._ids)
        answers = self._answers.setdefault(request_id, queue.Queue())
        self._send({"id": request_id, "method": method, "params": params})
        answer = answers.get(timeout=TIMEOUT)
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def initialize(self, root: Path | None = None, encodings: list[str] | None = None,
                   options: dict | None = None) -> dict:
        capabilities: dict = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                                               "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {
                                                   "valueSet": ["quickfix", "source.fixAll"]}}}},
                              "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
        if encodings:
            capabilities["general"] = {"positionEncodings": encodings}
        root = root or ROOT
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                             "capabilities": capabilities, "initializationOptions": options})
        self.notify("initialized", {})
        return result

    def wait_notification(self, method: str, accept: Callable[[dict], bool] = lambda params: True,
                          timeout: float = TIMEOUT) -> dict:
        """The params of the first ``method`` notification that ``accept`` takes, waiting for it if need be;
        the others are kept for later waits."""
        for i, message in enumerate(self._backlog):
            if message["method"] == method and accept(message["params"]):
                return self._backlog.pop(i)["params"]
        while True:
            message = self.notifications.get(timeout=timeout)
            if message["method"] == method and accept(message["params"]):
                return message["params"]
            self._backlog.append(message)

    def wait_diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        def accept(params: dict) -> bool:
            return params["uri"] == uri and (version is None or params.get("version") == version)

        return self.wait_notification("textDocument/publishDiagnostics", accept)["diagnostics"]

    def open(self, uri: str, text: str, language_id: str = "plaintext", version: int = 1) -> list[dict]:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language_id,
                                                              "version": version, "text": text}})
        return self.wait_diagnostics(uri, version)

    def change(self, uri: str, version: int, changes: list[dict], wait: bool = True) -> list[dict] | None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": changes})
        return self.wait_diagnostics(uri, version) if wait else None

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def offset_of(text: str, position: dict) -> int:
    """The code-point offset of an LSP position counted in UTF-16 units (LF or CR LF line ends)."""
    lines = text.split("\n")
    if position["line"] >= len(lines):
        return len(text)
    offset = sum(len(line) + 1 for line in lines[:position["line"]])
    units = 0
    for ch in lines[position["line"]].rstrip("\r"):
        if units >= position["character"]:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
        offset += 1
    return offset


def text_at(text: str, where: dict) -> str:
    """The characters an LSP range covers."""
    return text[offset_of(text, where["start"]):offset_of(text, where["end"])]


def apply_edits(text: str, edits: list[dict]) -> str:
    """``text`` with LSP ``TextEdit``s applied, last first, as an editor applies them."""
    spans = sorted(((offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def utf16_range(text: str, start: int, end: int) -> dict:
    """The LSP range of code points ``[start, end)`` of ``text`` (LF line ends), counted independently of the
    server's `positions`."""
    def position(offset: int) -> dict:
        line = text.count("\n", 0, offset)
        line_start = text.rfind("\n", 0, offset) + 1
        return {"line": line, "character": len(text[line_start:offset].encode("utf-16-le")) // 2}

    return {"start": position(start), "end": position(end)}


@pytest.fixture(scope="module")
def lsp():
    """A rules-only server rooted at the repository, initialized."""
    client = LspClient("--no-model")
    client.initialize()
    yield client
    client.close()
