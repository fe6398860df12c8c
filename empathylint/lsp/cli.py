"""``empathylint lsp``: the language server over stdin/stdout. Imports pygls only when it runs."""

from __future__ import annotations

from pathlib import Path

import click

from ..classifier.precision import PRECISIONS  # stdlib only
from . import DEFAULT_DEBOUNCE_MS


@click.command()
@click.option("--no-model", is_flag=True, help="Rules only: do not load the tone classifier (as for check).")
@click.option("--precision", type=click.Choice(PRECISIONS), help="The tone model's arithmetic (as for check) "
              "[default: the config file's, else auto].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, exists=True),
              help="Config file for every buffer (default: each file's nearest .empathylint.toml or "
              "pyproject.toml, as check finds it).")
@click.option("--debounce-ms", type=click.IntRange(0), default=DEFAULT_DEBOUNCE_MS, show_default=True,
              metavar="MS", help="Lint a changed buffer once its edits pause this long (a client's "
              "initializationOptions.debounceMs overrides it).")
@click.option("--input-format", metavar="NAME", help="Read every buffer as this format instead of choosing by "
              "its extension or languageId (e.g. conversations).")
@click.option("--threads", type=click.IntRange(0), default=1, show_default=True, metavar="N",
              help="Threads for the tone model (0: torch's default). An edit is a sentence or two: one thread "
              "keeps it quick when the editor and other programs share the cores.")
@click.option("--stdio", is_flag=True, hidden=True, help="Accepted for clients that pass it: stdio is the "
              "transport.")
def lsp(no_model, precision, config_path, debounce_ms, input_format, threads, stdio) -> None:
    """Run the language server on stdin/stdout (for an editor's LSP client)."""
    try:
        import pygls  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(f"the language server needs pygls ({exc}): pip install 'empathylint[lsp]'") \
            from None
    from ..cli import apply_overrides
    from .server import Settings, serve

    serve(Settings(Path(config_path) if config_path else None,
                   lambda config: apply_overrides(config, no_model=no_model, precision=precision),
                   debounce_ms, input_format, threads))
