"""Importing spaCy without the parts a linter never runs.

Two imports that ``import spacy`` sets off are never used to lint, and cost start-up time:

* thinc imports torch whenever it is installed, only to offer PyTorch-backed layers; the English pipeline
  does not use them, and importing torch costs about two seconds. torch stays importable afterwards (the
  classifier imports it directly, never through thinc).
* spaCy's ``__init__`` imports its command line (``spacy.cli``: typer, weasel, requests, httpx; 0.16 s of a
  1.25 s start) for one name, ``spacy.info``. While spaCy imports, ``spacy.cli`` and ``spacy.cli.info``
  are stand-ins; afterwards they leave ``sys.modules``, ``spacy.info`` imports the real one when called, and
  ``spacy.cli`` imports on first use (``import spacy.cli`` and ``spacy.cli.…`` both work).

Nothing changes when spaCy is already imported.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types


def import_spacy(without_torch: bool) -> None:
    """Import spaCy (and `spacy.language`) without its command line and, if ``without_torch`` and torch
    is not imported yet, without letting thinc import torch."""
    if "spacy" in sys.modules:
        return
    block_torch = without_torch and "torch" not in sys.modules
    if block_torch:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    stand_ins = _stand_in_cli()
    try:
        import spacy
        import spacy.language  # noqa: F401
    finally:
        if block_torch:
            del sys.modules["torch"]
        for name in stand_ins:
            if sys.modules.get(name) is stand_ins[name]:
                del sys.modules[name]
    if stand_ins:
        if vars(spacy).get("cli") is stand_ins["spacy.cli"]:
            del spacy.cli
        if "cli" not in vars(spacy) and "__getattr__" not in vars(spacy):
            spacy.__getattr__ = _spacy_attribute  # PEP 562: `spacy.cli` imports on first use


def _stand_in_cli() -> dict[str, types.ModuleType]:
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return {}
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [os.path.join(location, "cli") for location in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    return stand_ins


def _info(*args, **kwargs):
    """`spacy.info`, imported when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _spacy_attribute(name: str):
    if name == "cli":
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")
