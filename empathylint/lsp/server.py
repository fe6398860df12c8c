"""``empathylint lsp``: the language server, a thin front door like the CLI (pygls speaks the protocol).

A buffer is linted when it opens and again once its edits pause for the debounce (``--debounce-ms``, or the
client's ``initializationOptions.debounceMs``); the diagnostics of a version the editor has already moved past
are never published. Linting runs on one worker thread, so the protocol is answered while a buffer is linted,
and the pipeline is built once, at start-up, for every buffer that shares its settings. A saved or changed
``.empathylint.toml`` / ``pyproject.toml`` re-reads the configs and re-lints every open buffer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from .. import __version__
from ..config import CONFIG_FILES, Config
from ..errors import EmpathylintError, InputError
from . import DEFAULT_DEBOUNCE_MS
from .actions import FIX_ALL, code_actions
from .diagnostics import error_diagnostic, lsp_diagnostics
from .documents import Buffer, LintedDocument, document_path
from .hover import hover
from .linting import WorkspaceLinters
from .positions import Positions

logger = logging.getLogger(__name__)
#: What is linted at start-up, so that the pipeline (and the model) is loaded before the first buffer.
WARM_UP = "Thanks for writing in. I have refunded the order."


@dataclass(frozen=True)
class Settings:
    """The server's command-line options: the config file to use instead of each buffer's nearest one, how
    to adjust every config (``--no-model``, ``--precision``), the debounce, a reader to force and the tone
    model's threads."""

    config_path: Path | None = None
    adjust: Callable[[Config], Config] = lambda config: config
    debounce_ms: int = DEFAULT_DEBOUNCE_MS
    input_format: str | None = None
    torch_threads: int = 1


class Protocol(LanguageServerProtocol):
    """pygls's protocol, except that the server applies a buffer's edits itself (`documents.Buffer`): pygls's
    documents count lines as ``str.splitlines`` does (a form feed or U+2028 in a pasted draft ends one) and
    rewrite each change's range in place, so an edit after such a character landed on the wrong line."""

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None


class EmpathylintServer(LanguageServer):
    def __init__(self, settings: Settings = Settings()) -> None:
        super().__init__("empathylint", __version__, protocol_cls=Protocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = settings
        self.debounce = settings.debounce_ms / 1000
        self.linters = WorkspaceLinters(settings.config_path, settings.adjust, input_format=settings.input_format,
                                        torch_threads=settings.torch_threads)
        self.buffers: dict[str, Buffer] = {}
        self.linted: dict[str, LintedDocument] = {}
        self._pending: dict[str, asyncio.Task] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="empathylint-lint")
        self._shown_errors: set[str] = set()
        for name, handler, options in [
            (types.INITIALIZE, self._initialize, None),
            (types.INITIALIZED, self._initialized, None),
            (types.TEXT_DOCUMENT_DID_OPEN, self._did_open, None),
            (types.TEXT_DOCUMENT_DID_CHANGE, self._did_change, None),
            (types.TEXT_DOCUMENT_DID_SAVE, self._did_save, None),
            (types.TEXT_DOCUMENT_DID_CLOSE, self._did_close, None),
            (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, self._config_changed, None),
            (types.TEXT_DOCUMENT_HOVER, self._hover, None),
            (types.TEXT_DOCUMENT_CODE_ACTION, self._code_action,
             types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL])),
        ]:
            self.feature(name, options)(_unbound(handler))

    # -- lifecycle -----------------------------------------------------------------------------------------

    def _initialize(self, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("debounceMs"), (int, float)) and options["debounceMs"] >= 0:
            self.debounce = options["debounceMs"] / 1000
        root = self.workspace.root_path
        self.linters.root = Path(root) if root else None
        self._loop = asyncio.get_running_loop()

    def _initialized(self, params: types.InitializedParams) -> None:
        self._executor.submit(self._warm_up)
        watch = self.client_capabilities.workspace and self.client_capabilities.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            self.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="empathylint-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    def _warm_up(self) -> None:
        try:
            self.linters.lint(str(self.linters.root or "."), WARM_UP)
        except EmpathylintError:  # reported when a buffer is linted with that config
            pass

    # -- documents -----------------------------------------------------------------------------------------

    def _did_open(self, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        self.buffers[document.uri] = Buffer(document.text, document.version, document.language_id)
        self._schedule(document.uri, 0)

    def _did_change(self, params: types.DidChangeTextDocumentParams) -> None:
        buffer = self.buffers.get(params.text_document.uri)
        if buffer is None:
            return  # never opened: nothing to apply the edits to
        for change in params.content_changes:
            buffer.apply(change, self.workspace.position_encoding)
        buffer.version = params.text_document.version
        self._schedule(params.text_document.uri, self.debounce)

    def _did_save(self, params: types.DidSaveTextDocumentParams) -> None:
        if os.path.basename(document_path(params.text_document.uri)) in CONFIG_FILES:
            self._reload()

    def _did_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in self._pending:
            self._pending.pop(uri).cancel()
        self.linted.pop(uri, None)
        self.buffers.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _config_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        self._reload()

    def _reload(self) -> None:
        """Re-read the configs (on the worker thread, after the lints queued before) and re-lint every buffer."""
        self._executor.submit(self.linters.reset)
        self._shown_errors.clear()
        for uri in list(self.buffers):
            self._schedule(uri, 0)

    def _schedule(self, uri: str, delay: float) -> None:
        if uri in self._pending:
            self._pending.pop(uri).cancel()
        self._pending[uri] = asyncio.get_running_loop().create_task(self._lint_after(uri, delay))

    async def _lint_after(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        linted, diagnostics = await self._lint_current(uri)
        if self._pending.get(uri) is asyncio.current_task():
            del self._pending[uri]
        buffer = self.buffers.get(uri)
        if linted is None or buffer is None or linted.version != buffer.version:
            return  # the buffer changed (or closed) meanwhile: its own lint is on the way
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=linted.version, diagnostics=diagnostics))

    async def _lint_current(self, uri: str) -> tuple[LintedDocument | None, list[types.Diagnostic]]:
        buffer = self.buffers.get(uri)
        if buffer is None:
            return None, []
        snapshot = (uri, buffer.version, buffer.text, buffer.language_id)
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._lint, *snapshot)

    def _lint(self, uri: str, version: int | None, text: str,
              language_id: str | None) -> tuple[LintedDocument | None, list[types.Diagnostic]]:
        """Lint one snapshot of a buffer (on the worker thread) and convert its diagnostics."""
        positions = Positions(text, self.workspace.position_encoding)
        linted = LintedDocument(uri, version, text, positions, [])
        try:
            path = document_path(uri)
            linted.results = self.linters.lint(path, text, language_id)
            linted.rules = self.linters.linter_for(self.linters.config_for(path)).rules
        except InputError as exc:
            return linted, [error_diagnostic(exc, positions)]
        except EmpathylintError as exc:  # a bad config: said once, until the configs are read again
            self._loop.call_soon_threadsafe(self._show_once, str(exc))  # messages go out from the event loop
            return linted, []
        except Exception:  # a bug: logged, and the editor goes on
            logger.exception("empathylint: internal error linting %s", uri)
            return None, []
        return linted, lsp_diagnostics(linted, linted.rules)

    def _show_once(self, message: str) -> None:
        if message not in self._shown_errors:
            self._shown_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error,
                                                             message=f"empathylint: {message}"))

    async def _current(self, uri: str) -> LintedDocument | None:
        """The buffer as linted at its current version (linted now if its lint is still pending)."""
        linted, buffer = self.linted.get(uri), self.buffers.get(uri)
        if buffer is not None and (linted is None or linted.version != buffer.version):
            linted = (await self._lint_current(uri))[0]
        return linted

    # -- requests ------------------------------------------------------------------------------------------

    async def _hover(self, params: types.HoverParams) -> types.Hover | None:
        linted = await self._current(params.text_document.uri)
        return hover(linted, params.position, linted.rules) if linted and linted.rules else None

    async def _code_action(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        linted = await self._current(params.text_document.uri)
        if linted is None or linted.rules is None:
            return None
        return code_actions(linted, params.range, linted.rules, params.context.only)


def _unbound(method: Callable) -> Callable:
    """``method`` as a plain function of the params (pygls marks the functions it registers, which a bound
    method cannot carry)."""
    if asyncio.iscoroutinefunction(method):
        async def call_async(params):
            return await method(params)

        return call_async

    def call(params):
        return method(params)

    return call


def serve(settings: Settings) -> None:
    """Serve over stdin/stdout until the client exits. Anything else printing to stdout (a library's
    warning) goes to stderr instead, so that it cannot corrupt the protocol."""
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    EmpathylintServer(settings).start_io(sys.stdin.buffer, protocol_out)
