"""Configuration: ``.empathylint.toml`` or ``[tool.empathylint]`` in ``pyproject.toml``, found by walking
up from the working directory, then overridden by command-line options.

```toml
[tool.empathylint]
select = ["ALL"]              # codes, code prefixes, rule names or categories
ignore = ["PRN", "cliche"]
fail-on = "warning"           # lowest severity that makes `check` exit 1
extra-rules = ["team-rules"]  # folders of extra rule packs, relative to this file
exclude = ["drafts/**"]       # globs skipped when walking folders
model = true                  # false: rules only; or a model name / path for the sentiment head
precision = "auto"            # the tone model's arithmetic: auto, float32, bfloat16 or int8
[tool.empathylint.severity]
EXC = "error"                 # severity overrides by selector
```
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .classifier.precision import PRECISIONS
from .diagnostic import Severity
from .errors import ConfigError

CONFIG_FILES = (".empathylint.toml", "empathylint.toml", "pyproject.toml")
#: Why an empty selection is refused (`select` absent means every rule; present, it must name some).
EMPTY_SELECT = "is empty, which would turn off every rule: name the rules to run, or ALL for every rule"
KEYS = {"select", "ignore", "fail-on", "extra-rules", "exclude", "severity", "model", "label-map", "precision"}


@dataclass(frozen=True)
class Config:
    """Settings for a run. ``select=None`` means every rule."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.WARNING
    extra_rules: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    use_model: bool = True
    model: str | None = None
    label_map: dict[str, str] | None = None
    precision: str = "auto"  # see empathylint.classifier.precision
    path: str | None = None

    def with_(self, **changes: Any) -> "Config":
        return replace(self, **changes)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest config file at or above ``start`` (a ``pyproject.toml`` counts only with a
    ``[tool.empathylint]`` table)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "empathylint" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: Path | None) -> Config:
    """Read a config file (``None``: defaults); a bad file or value is a `ConfigError` naming the file."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("empathylint", {})
    return parse_config(data, str(path), base=path.parent)


def parse_config(data: dict[str, Any], origin: str, base: Path | None = None) -> Config:
    """Validate a config mapping (from TOML, or from an HTTP request)."""
    for key in data:
        if key not in KEYS:
            close = difflib.get_close_matches(key, sorted(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{origin}: unknown option '{key}'{hint}")
    model = data.get("model", True)
    if not isinstance(model, (bool, str)):
        raise ConfigError(f"{origin}: 'model' must be true, false or a model name/path")
    precision = data.get("precision", "auto")
    if precision not in PRECISIONS:
        raise ConfigError(f"{origin}: 'precision' must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    base = base or Path.cwd()
    if "select" in data and not _strings(data, "select", origin):
        raise ConfigError(f"{origin}: 'select' {EMPTY_SELECT}")
    try:
        return Config(
            select=_strings(data, "select", origin) if "select" in data else None,
            ignore=_strings(data, "ignore", origin),
            severity={sel: Severity.parse(sev) for sel, sev in _table(data, "severity", origin).items()},
            fail_on=Severity.parse(data.get("fail-on", "warning")),
            extra_rules=tuple(str((base / p).resolve()) for p in _strings(data, "extra-rules", origin)),
            exclude=_strings(data, "exclude", origin),
            use_model=model is not False,
            model=model if isinstance(model, str) else None,
            label_map=_table(data, "label-map", origin) or None,
            precision=precision,
            path=origin,
        )
    except ValueError as exc:
        raise ConfigError(f"{origin}: {exc}") from None


class ConfigResolver:
    """The config for each linted file: ``explicit`` when given (``--config``), else the nearest config file
    above the file (cached per folder), each passed through ``adjust`` (the command-line overrides)."""

    def __init__(self, explicit: Path | None = None, adjust=lambda config: config) -> None:
        self._explicit = explicit
        self._adjust = adjust
        self._by_folder: dict[Path, Config] = {}
        self._by_file: dict[Path | None, Config] = {}

    def for_path(self, path: str) -> Config:
        """The config that applies to ``path`` (``-`` and ``.``: the working directory)."""
        if path in ("-", "."):
            folder = Path.cwd()
        else:
            candidate = Path(path).absolute()
            folder = candidate if candidate.is_dir() else candidate.parent
        config = self._by_folder.get(folder)
        if config is None:
            file = self._explicit or find_config(folder)
            config = self._by_file.get(file)
            if config is None:
                config = self._by_file[file] = self._adjust(load_config(file))
            self._by_folder[folder] = config
        return config


def split_selectors(values: tuple[str, ...] | list[str] | None) -> tuple[str, ...] | None:
    """``("CND,BLM", "EXC")`` → ``("CND", "BLM", "EXC")``; ``None`` stays ``None``."""
    if values is None:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _strings(data: dict[str, Any], key: str, origin: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: '{key}' must be a list of strings")
    return split_selectors(value) or ()


def _table(data: dict[str, Any], key: str, origin: str) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{origin}: '{key}' must be a table of strings")
    return dict(value)
