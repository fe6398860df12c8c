"""What the extension's browser tests and its latency benchmark share: the packed extension built into a
folder, fixture pages served over HTTPS under the real sites' host names (Chromium's host resolver maps
them to a local server with a throwaway certificate), and Chromium started with the unpacked extension.
Nothing leaves the machine: every preset host resolves to 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "pages"
EXTENSION_SOURCE = ROOT / "extension"

#: Fixture page per preset: the host it is served under, its path, and what kind of editor it has.
FIXTURES = {
    "zendesk": ("acme.zendesk.com", "/agent/tickets/1", "zendesk.html"),
    "gmail": ("mail.google.com", "/mail/u/0/", "gmail.html"),
    "outlook": ("outlook.office.com", "/mail/inbox/id/1", "outlook.html"),
    "freshdesk": ("acme.freshdesk.com", "/a/tickets/1", "freshdesk.html"),
    "helpscout": ("secure.helpscout.net", "/conversation/1", "helpscout.html"),
    "front": ("app.frontapp.com", "/inboxes/1", "front.html"),
    "generic": ("acme.zendesk.com", "/hc/requests/new", "generic.html"),
}
ROUTES = {path: page for _, path, page in FIXTURES.values()}


def system_program(*names: str) -> str | None:
    """The first of ``names`` found in /usr/bin or on PATH."""
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    return None


CHROMIUM = system_program("chromium", "chromium-browser")
CHROMEDRIVER = system_program("chromedriver")
OPENSSL = system_program("openssl")


def extension_id(manifest: dict) -> str:
    """Chromium's id for an extension with this manifest ``key``: the first 128 bits of the SHA-256 of the
    public key, written with the letters a-p."""
    digest = hashlib.sha256(base64.b64decode(manifest["key"])).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def build_extension(out: Path) -> Path:
    """The Chromium folder built by extension/build.py."""
    sys.path.insert(0, str(EXTENSION_SOURCE))
    try:
        import build  # extension/build.py
    finally:
        sys.path.pop(0)
    build.build(out)
    return out / "chromium"


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=empathylint fixtures", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = self.path.split("?", 1)[0]
        name = ROUTES.get(path) or (path.rsplit("/", 1)[-1] if path.endswith((".js", ".html")) else None)
        file = PAGES / name if name else None
        if file is None or not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8" if file.suffix == ".html"
                         else "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class FixtureSite:
    """``with FixtureSite(folder) as port:`` serves the fixture pages over HTTPS on 127.0.0.1:port."""

    def __init__(self, folder: Path) -> None:
        cert, key = certificate(folder)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> int:
        self.thread.start()
        return self.server.server_address[1]

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def chromium(extension: Path, site_port: int, headless: bool = True):
    """Chromium with the unpacked extension, every preset host resolved to the fixture site."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never fetch a browser or a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    hosts = sorted({host for host, _, _ in FIXTURES.values()})
    rules = ", ".join(f"MAP {host} 127.0.0.1:{site_port}" for host in hosts)
    for argument in (*(["--headless=new"] if headless else []), "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--window-size=1280,900", "--no-first-run", "--ignore-certificate-errors",
                     f"--host-resolver-rules={rules}", f"--load-extension={extension}",
                     f"--disable-extensions-except={extension}"):
        options.add_argument(argument)
    options.accept_insecure_certs = True
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def page_url(preset: str) -> str:
    host, path, _ = FIXTURES[preset]
    return f"https://{host}{path}"


def manifest() -> dict:
    return json.loads((EXTENSION_SOURCE / "manifest.json").read_text(encoding="utf-8"))


def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="empathylint-extension-") as folder:
        yield Path(folder)
