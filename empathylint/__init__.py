"""empathylint: a linter for drafted customer-support replies.

>>> import empathylint
>>> for d in empathylint.lint("As I already explained, just restart the router.", config={"model": False}):
...     print(d.code, d.name, repr(d.text))
CND001 as-already-explained 'As I already explained'
CND005 just-do-it 'just'

Importing the package is cheap; spaCy and the model load on the first lint, once per process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .config import Config
    from .diagnostic import Diagnostic
    from .linter import Linter

_LINTERS: dict[Any, "Linter"] = {}


def lint(text: str, customer: str | None = None,
         config: "Config | Mapping[str, Any] | None" = None) -> "list[Diagnostic]":
    """Lint one reply (optionally with the customer's message it answers); diagnostics in text order.

    ``config`` is a `Config` or a mapping with the config-file keys (``{"select": ["CND"], "model": False}``).
    Linters are cached per config, so repeated calls reuse the loaded pipeline.
    """
    from .config import Config, parse_config
    from .linter import Linter

    if config is None or isinstance(config, Mapping):
        key = repr(sorted((config or {}).items()))
        settings = parse_config(dict(config or {}), "config") if config else Config()
    else:
        key, settings = config, config
    linter = _LINTERS.get(key)
    if linter is None:
        linter = _LINTERS[key] = Linter(settings)
    return linter.lint(text, customer)


def __getattr__(name: str) -> Any:
    if name == "Linter":
        from .linter import Linter

        return Linter
    if name in ("Config", "Diagnostic", "Severity"):
        from . import config, diagnostic

        return getattr(config if name == "Config" else diagnostic, name)
    raise AttributeError(f"module 'empathylint' has no attribute {name!r}")


__all__ = ["lint", "Linter", "Config", "Diagnostic", "Severity", "__version__"]
