"""What the HTTP service does, without HTTP: one shared `Linter` (pipeline and model loaded once), a lock
around inference, per-request rule selection, and the request's text read as plain text, HTML or a
template. Knows nothing about FastAPI, so it is tested and benchmarked on its own."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import __version__, rule_docs
from ..config import EMPTY_SELECT, Config, split_selectors
from ..errors import ConfigError, InputError
from ..formatters import FORMATTERS, Summary
from ..linter import Linter, LintResult
from ..source import OffsetMap, Source, SourceFile

#: The path results carry (there is no file behind a request).
REQUEST_PATH = "<request>"
Selectors = list[str] | str | None


class LintRequest(BaseModel):
    """The body of ``POST /v1/lint``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(description="The drafted reply (or the HTML / template source when `format` says so).")
    customer: str | None = Field(None, description="The customer's message the reply answers; enables the "
                                 "checks that compare the two (e.g. a missing apology).")
    format: Literal["text", "html", "template"] = Field(
        "text", description="How to read `text`: as written, as HTML (visible text only) or as a "
        "Liquid/Handlebars/Mustache/Jinja template (placeholders masked).")
    select: Selectors = Field(None, description="Only these rules: codes, code prefixes, names or "
                              "categories (a list, or one comma-separated string). Replaces the server's "
                              "configured selection.")
    ignore: Selectors = Field(None, description="Skip these rules (same selectors); added to the server's "
                              "configured ignores.")


class RequestError(Exception):
    """A request the service understood but cannot serve (HTTP 422): too long, bad selector, bad input."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ServiceBusy(Exception):
    """The linter stayed busy longer than a request may wait for it (HTTP 503)."""


@dataclass(frozen=True)
class Limits:
    """Caps on one request: the raw body (HTTP 413), the characters of each text field (HTTP 422), and how
    long it may queue for the linter (HTTP 503)."""

    max_body_bytes: int = 512 * 1024
    max_chars: int = 20_000
    max_selectors: int = 100
    max_wait_s: float = 30.0


class LintService:
    """Lints requests with one linter built at start-up. spaCy's `Language` and the classifier are not
    documented as safe for concurrent calls, so inference is serialised by a lock: correctness first; a
    150-word reply takes milliseconds, so the queue stays short."""

    def __init__(self, config: Config | None = None, linter: Linter | None = None,
                 limits: Limits = Limits(), warm: bool = True) -> None:
        self.config = (linter.config if linter is not None else config) or Config()
        # The shared linter knows every rule; each request's selection is applied to its findings, which
        # is what a linter built with that selection would report, without building one per request.
        self.linter = linter if linter is not None else Linter(self.config.with_(select=None, ignore=()))
        self.limits = limits
        self._lock = threading.Lock()
        self._selections: dict[tuple, frozenset[str]] = {}
        if warm:
            self.lint(LintRequest(text="Thanks for writing in. I have refunded the order."))

    @property
    def uses_model(self) -> bool:
        return self.linter.config.use_model

    def lint(self, request: LintRequest) -> str:
        """The ``--format json`` document for one request (a JSON string)."""
        for field in ("text", "customer"):
            self._check_length(field, getattr(request, field))
        selected = self._selection(request.select, request.ignore)
        sources = self._sources(request)
        # A bounded wait: should one request ever keep the linter (a pathological input), the others get a
        # 503 they can retry instead of piling up behind it for ever.
        if not self._lock.acquire(timeout=self.limits.max_wait_s):
            raise ServiceBusy(f"the linter has been busy for over {self.limits.max_wait_s:g} s; try again shortly")
        try:
            results = list(self.linter.lint_sources(sources))
        finally:
            self._lock.release()
        out = io.StringIO()
        formatter = FORMATTERS["json"](out, self.linter.rules)
        summary = Summary()
        formatter.start()
        for result in results:
            result = LintResult(result.source, [d for d in result.diagnostics if d.code in selected],
                                result.error, result.situation)
            summary.add(result)
            formatter.result(result)
        formatter.finish(summary)
        return out.getvalue()

    def rules(self) -> list[dict]:
        """Every rule the service knows, as ``empathylint rules --format json`` lists them."""
        return [rule_docs.rule_dict(r) for r in self.linter.rules]

    def health(self) -> dict:
        return {"status": "ok", "version": __version__, "model": self.uses_model,
                "rules": len(self.linter.rules)}

    def _check_length(self, field: str, value: str | None) -> None:
        if value is None:
            return
        if len(value) > self.limits.max_chars:
            raise RequestError(f"'{field}' is {len(value):,} characters; the service accepts at most "
                               f"{self.limits.max_chars:,} (lint longer documents with `empathylint check`)")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise RequestError(f"'{field}' is not valid Unicode: an unpaired surrogate at offset "
                               f"{exc.start}") from None

    def _selection(self, select: Selectors, ignore: Selectors) -> frozenset[str]:
        """Rule codes chosen by the request, the way ``check --select/--ignore`` combine with the config:
        ``select`` replaces the configured selection, ``ignore`` adds to the configured ignores."""
        chosen = split_selectors([select] if isinstance(select, str) else select)
        if chosen == ():
            raise RequestError(f"'select' {EMPTY_SELECT}")
        ignored = split_selectors([ignore] if isinstance(ignore, str) else ignore) or ()
        if len(chosen or ()) + len(ignored) > self.limits.max_selectors:
            raise RequestError(f"at most {self.limits.max_selectors} selectors per request")
        key = (chosen if chosen is not None else self.config.select, self.config.ignore + ignored)
        found = self._selections.get(key)
        if found is None:
            try:
                found = frozenset(self.linter.rules.select(*key))
            except ConfigError as exc:
                raise RequestError(str(exc)) from None
            if len(self._selections) > 256:  # requests choose selectors freely: keep the memo bounded
                self._selections.clear()
            self._selections[key] = found
        return found

    def _sources(self, request: LintRequest) -> list[Source]:
        if request.format == "text":
            return [Source.from_text(request.text, REQUEST_PATH, request.customer)]
        from ..readers import READERS, ReadOptions

        spec = READERS.get(request.format)
        if spec is None or spec.read is None:
            source = Source.from_text(request.text, REQUEST_PATH, request.customer)
            source.notices.append(f"this version of empathylint has no '{request.format}' reader; the text "
                                  "was linted as plain text")
            return [source]
        file = SourceFile(REQUEST_PATH, request.text)
        try:
            sources = list(spec.read(file, ReadOptions(customer=request.customer)))
        except InputError as exc:
            raise RequestError(exc.problem) from None
        for source in sources:
            if request.customer and not source.customer:
                source.customer = request.customer
        return sources or [Source("", file, OffsetMap(), request.customer, notices=["nothing to lint"])]
