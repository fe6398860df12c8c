"""The FastAPI application: ``POST /v1/lint``, ``GET /v1/rules``, ``GET /healthz``, the OpenAPI document
and the compose page at ``/``.

The request body of ``/v1/lint`` is read and parsed here rather than by FastAPI, so that an oversized body
is refused while it streams in (413) and malformed JSON is a 400, not FastAPI's 422; the parsed object is
then validated by `LintRequest` (422 with the failing fields).
"""

from __future__ import annotations

import json
import logging
import secrets
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from .. import __version__
from .service import LintRequest, LintService, RequestError, ServiceBusy

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("empathylint.server")


class HTTPProblem(Exception):
    """An error answered as ``{"detail": message}`` with ``status``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def _output_schema() -> dict:
    """The ``--format json`` schema, its ``$defs`` moved to OpenAPI components so references resolve."""
    text = resources.files("empathylint").joinpath("schemas/output-v2.json").read_text(encoding="utf-8")
    text = text.replace('"#/$defs/', '"#/components/schemas/LintOutput_')
    schema = json.loads(text)
    defs = {f"LintOutput_{name}": value for name, value in schema.pop("$defs", {}).items()}
    schema.pop("$schema", None)
    schema.pop("$id", None)
    return {"LintOutput": schema, **defs}


#: The names a request to a service on the loopback interface may give in its ``Host`` header.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def create_app(service: LintService, token: str | None = None, allow_origins: tuple[str, ...] = (),
               allowed_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The application around a ready `LintService`; with ``token``, ``/v1/*`` needs
    ``Authorization: Bearer <token>``; web pages and browser extensions from ``allow_origins`` (a helpdesk
    app, ``chrome-extension://<id>``) may call it from their own origin (CORS), and a request to ``/v1/*``
    from any other origin is refused (403). Only requests whose ``Host`` is a loopback name or one of
    ``allowed_hosts`` are served (400 otherwise): a web page that makes its own host name resolve to
    127.0.0.1 (DNS rebinding) still sends that name, so it cannot reach the service."""
    app = FastAPI(title="empathylint", version=__version__,
                  description="Lint drafted customer-support replies before they are sent. `POST /v1/lint` "
                  "returns the same document as `empathylint check --format json`.")
    if allow_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(allow_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"], max_age=600)
    # Added last, so it runs first: a foreign Host gets 400 before anything else looks at the request.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK_HOSTS, *allowed_hosts],
                       www_redirect=False)
    app.state.service = service
    bearer = HTTPBearer(auto_error=False, description="Required when the server was started with --token.")

    def authorize(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        _check_origin(request, allow_origins)
        if token is None:
            return
        given = credentials.credentials if credentials else ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPProblem(401, "missing or wrong bearer token: send 'Authorization: Bearer <token>'",
                              {"WWW-Authenticate": "Bearer"})

    api = APIRouter(prefix="/v1", dependencies=[Depends(authorize)])

    @api.post("/lint", summary="Lint one reply", response_class=Response, responses={
        200: {"description": "The diagnostics (schema of `--format json`, one result).",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LintOutput"}}}},
        400: {"description": "The body is not valid JSON."},
        401: {"description": "The bearer token is missing or wrong."},
        413: {"description": "The body is larger than the server accepts."},
        415: {"description": "The body is sent as something other than JSON."},
        422: {"description": "Wrong field types, unknown fields or selectors, or a text over the length cap."},
        503: {"description": "The linter stayed busy longer than a request waits; retry."},
    }, openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/LintRequest"}}}}})
    async def lint(request: Request) -> Response:
        _require_json(request.headers.get("content-type"))
        body = await _read_body(request, service.limits.max_body_bytes)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, absurd nesting
            raise HTTPProblem(400, f"the body is not valid JSON: {exc}") from None
        try:
            lint_request = LintRequest.model_validate(data)
        except ValidationError as exc:
            return JSONResponse(status_code=422, content={"detail": jsonable_encoder(
                exc.errors(include_url=False, include_context=False, include_input=False))})
        try:
            document = await run_in_threadpool(service.lint, lint_request)
        except RequestError as exc:
            raise HTTPProblem(422, exc.message) from None
        except ServiceBusy as exc:
            raise HTTPProblem(503, str(exc), {"Retry-After": "1"}) from None
        return Response(document, media_type="application/json")

    @api.get("/rules", summary="Every rule the server knows")
    def rules() -> list[dict]:
        return service.rules()

    app.include_router(api)

    @app.get("/healthz", summary="Liveness and what is loaded")
    def healthz() -> dict:
        return service.health()

    @app.get("/", include_in_schema=False)
    def compose() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(HTTPProblem)
    async def problem(request: Request, exc: HTTPProblem) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"detail": exc.message}, headers=exc.headers)

    _add_schemas(app)
    return app


def _check_origin(request: Request, allowed: tuple[str, ...]) -> None:
    """Refuse (403) a browser's request from an origin that is neither the service's own (the compose page)
    nor named with ``--allow-origin``. CORS only keeps a page from reading an answer; an extension with host
    permission for the loopback address is not held by CORS at all, so its origin is checked here."""
    origin = request.headers.get("origin")
    if origin is None or origin in allowed:
        return
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    if origin.lower() == own:
        return
    raise HTTPProblem(403, f"requests from {origin} are refused: start the service with --allow-origin {origin} "
                      "to let it call the API")


def _require_json(content_type: str | None) -> None:
    """Refuse a body declared as anything but JSON (415). A web page can send a form or ``text/plain`` to any
    address without asking first; a JSON body needs the browser's CORS permission (``--allow-origin``)."""
    if content_type is None:
        return
    media = content_type.split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise HTTPProblem(415, f"the body is {media or 'of no type'}; send it as application/json")


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit`` bytes (by its declared
    length, or while it streams in)."""
    too_large = HTTPProblem(413, f"the body is larger than {limit:,} bytes; send a shorter reply")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _add_schemas(app: FastAPI) -> None:
    """Put the request model and the output schema into the OpenAPI components."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = original()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            request_schema = LintRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(request_schema.pop("$defs", {}))
            components["LintRequest"] = request_schema
            components.update(_output_schema())
        return app.openapi_schema

    app.openapi = openapi
