"""empathylint: a linter for drafted customer-support replies.

>>> import empathylint
>>> for d in empathylint.lint("As I already explained, just restart the router.", use_model=False):
...     print(d.code, d.name, repr(d.text))

Importing the package is cheap; spaCy and the model load on the first lint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .diagnostic import Diagnostic

_LINTERS: dict = {}


def lint(text: str, customer: str | None = None, *, select: Iterable[str] | None = None,
         ignore: Iterable[str] = (), use_model: bool = True) -> "list[Diagnostic]":
    """Lint one reply (optionally with the customer's message it answers); diagnostics in text order.

    Linters are cached per (select, ignore, use_model), so repeated calls reuse the loaded pipeline.
    """
    from .config import Config
    from .linter import Linter

    key = (tuple(select) if select is not None else None, tuple(ignore), use_model)
    linter = _LINTERS.get(key)
    if linter is None:
        linter = _LINTERS[key] = Linter(Config(select=key[0], ignore=key[1], use_model=use_model))
    return linter.lint(text, customer)


__all__ = ["lint", "__version__"]
