"""The linters of a workspace: each buffer is linted with the config found upward from its file (the nearest
``.empathylint.toml`` or ``[tool.empathylint]`` in a ``pyproject.toml``, as ``check`` finds it), overridden by
the server's command-line options; untitled buffers take the workspace root's. One `Linter` per config file,
all sharing one spaCy pipeline per settings (`pipeline.build_pipeline` builds each once per process).

The tone model runs on ``torch_threads`` threads (1 by default): an edit sends one or two new sentences to it,
which one thread classifies in milliseconds, while two threads on cores the editor and other programs share
stall each other (on a loaded 2-core machine: p50 46 ms a draft with one thread, 800 ms with two)."""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..config import Config, ConfigResolver
from ..linter import Linter
from ..readers import ReadOptions
from .documents import read_document

if TYPE_CHECKING:
    from ..linter import LintResult


class WorkspaceLinters:
    """Configs and linters for the buffers of one workspace. Not thread-safe: the server calls it from one
    worker thread."""

    def __init__(self, explicit: Path | None = None, adjust: Callable[[Config], Config] = lambda c: c,
                 root: Path | None = None, input_format: str | None = None,
                 options: ReadOptions = ReadOptions(), torch_threads: int = 1) -> None:
        self.explicit = explicit
        self.adjust = adjust
        self.root = root
        self.input_format = input_format
        self.options = options
        self.torch_threads = torch_threads
        self._torch_limited = torch_threads <= 0  # 0: torch's own default
        self._linters: dict[str | None, Linter] = {}
        self.reset()

    def reset(self) -> None:
        """Forget the configs read so far (one was saved or changed on disk); the pipelines stay loaded."""
        self._configs = ConfigResolver(self.explicit, self.adjust)
        self._linters.clear()

    def config_for(self, path: str) -> Config:
        """The config of the buffer at ``path`` (a file path, or an untitled buffer's URI)."""
        if not os.path.isabs(path):
            return self._configs.for_path(str(self.root) if self.root else ".")
        return self._configs.for_path(path)

    def linter_for(self, config: Config) -> Linter:
        linter = self._linters.get(config.path)
        if linter is None:
            linter = self._linters[config.path] = Linter(config, cache=True)
        return linter

    def lint(self, path: str, text: str, language_id: str | None = None) -> list["LintResult"]:
        """The results of each source in the buffer; `EmpathylintError` for a bad config or buffer."""
        config = self.config_for(path)
        if excluded(path, config):
            return []
        sources = read_document(path, text, language_id, self.input_format, self.options)
        results = list(self.linter_for(config).lint_sources(sources)) if sources else []
        if not self._torch_limited and "torch" in sys.modules:  # a config with the model was loaded
            sys.modules["torch"].set_num_threads(self.torch_threads)
            self._torch_limited = True
        return results


def excluded(path: str, config: Config) -> bool:
    """Whether the config's ``exclude`` globs name the file, relative to the config's folder (as ``check``
    matches them against the paths it walks) or by its name alone."""
    if not config.exclude or not os.path.isabs(path):
        return False
    shown = os.path.relpath(path, Path(config.path).parent) if config.path else path
    return any(fnmatch.fnmatch(shown, pattern) or fnmatch.fnmatch(os.path.basename(path), pattern)
               for pattern in config.exclude)
