"""Running the application under uvicorn: in the foreground (``empathylint serve``) or on a background
thread (tests, the latency benchmark, an application embedding the service)."""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING

import uvicorn

if TYPE_CHECKING:
    from fastapi import FastAPI

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def uvicorn_config(app: "FastAPI", host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    # One process and one event loop: the pipeline is loaded once and shared; inference runs on the
    # thread pool behind the service's lock.
    return uvicorn.Config(app, host=host, port=port, workers=1, log_level=log_level, access_log=False,
                          timeout_keep_alive=30)


def serve(app: "FastAPI", host: str, port: int) -> None:
    """Serve until interrupted."""
    uvicorn.Server(uvicorn_config(app, host, port)).run()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class BackgroundServer:
    """``with BackgroundServer(app) as url:`` serves ``app`` on a free loopback port until the block ends."""

    def __init__(self, app: "FastAPI", host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.server = uvicorn.Server(uvicorn_config(app, self.host, self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="empathylint-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start on {self.url}")
            time.sleep(0.02)
        return self.url

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
