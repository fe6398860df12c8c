"""``empathylint serve``: the local HTTP service for pre-send hooks and the compose page."""

from __future__ import annotations

import sys

import click

from ..classifier.precision import PRECISIONS  # stdlib only

TOKEN_ENV = "EMPATHYLINT_TOKEN"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. The default is loopback only; binding elsewhere wants --token.")
@click.option("--port", default=8750, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar=TOKEN_ENV, metavar="TOKEN", show_envvar=True,
              help="Require 'Authorization: Bearer TOKEN' on /v1/*.")
@click.option("--no-model", is_flag=True, help="Rules only: do not load the tone classifier.")
@click.option("--precision", type=click.Choice(PRECISIONS), help="The tone model's arithmetic (as for check) "
              "[default: the config file's, else auto].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="Config file (default: the nearest .empathylint.toml or pyproject.toml).")
@click.option("--max-chars", default=20_000, show_default=True, type=click.IntRange(1),
              help="Longest text (and customer message) accepted, in characters (longer: HTTP 422).")
@click.option("--max-body", default=512 * 1024, show_default=True, type=click.IntRange(1), metavar="BYTES",
              help="Largest request body accepted (larger: HTTP 413).")
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://acme.zendesk.com) call the API from the browser "
              "(CORS), or the browser extension from its origin (chrome-extension://ID, moz-extension://UUID); "
              "repeatable. Without it, no other page can read the answers and /v1/* refuses other origins.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Also serve requests whose Host header is HOST (the name clients use to reach a service "
              "bound beyond loopback); repeatable. Without it only 127.0.0.1, localhost and [::1] (and the "
              "--host address) are served, so a web page cannot reach the service through DNS rebinding.")
def serve(host, port, token, no_model, precision, config_path, max_chars, max_body, allow_origins,
          allowed_hosts) -> None:
    """Serve POST /v1/lint, GET /v1/rules, GET /healthz and the compose page at /."""
    from ..cli import _fail, build_config
    from ..errors import EmpathylintError

    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(f"the service needs FastAPI and uvicorn ({exc}): "
                                   "pip install 'empathylint[serve]'") from None
    from .app import create_app
    from .runner import LOOPBACK
    from .runner import serve as run
    from .service import Limits, LintService

    # The token travels in an HTTP header: a client sends other characters as bytes the server reads back
    # differently (or, in a browser, cannot send them at all), so every request would get a puzzling 401.
    if token and not (token.isascii() and token.isprintable() and token == token.strip()):
        raise click.BadParameter("use printable ASCII without leading or trailing spaces: the token is sent "
                                 "in an HTTP header, which cannot carry anything else",
                                 param_hint=f"'--token' / {TOKEN_ENV}")
    if host not in LOOPBACK and not token:
        click.echo(f"empathylint: warning: serving on {host} without a token: anyone who can reach this "
                   f"address can use the service (pass --token or set {TOKEN_ENV})", err=True)
    if host in ("0.0.0.0", "::") and not allowed_hosts:
        click.echo("empathylint: note: only requests addressed to 127.0.0.1, localhost or [::1] are served; "
                   "name the host clients use with --allowed-host", err=True)
    click.echo("empathylint: loading the pipeline…", err=True)
    try:
        service = LintService(build_config(config_path, no_model=no_model, precision=precision),
                              limits=Limits(max_body_bytes=max_body, max_chars=max_chars))
    except EmpathylintError as exc:
        _fail(exc)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"empathylint: compose page at http://{shown}:{port}/ · API at /v1/lint · docs at /docs"
               f"{' · bearer token required' if token else ''}", err=True)
    hosts = tuple(allowed_hosts)
    if host not in LOOPBACK and host not in ("0.0.0.0", "::"):
        hosts += (f"[{host}]" if ":" in host else host,)  # the address it was told to bind
    run(create_app(service, token=token or None, allow_origins=tuple(allow_origins), allowed_hosts=hosts),
        host, port)
    sys.exit(0)

