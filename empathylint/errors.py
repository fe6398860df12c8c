"""Errors a user can act on: each names the file (and line) and what is wrong."""

from __future__ import annotations


class EmpathylintError(Exception):
    """Base class for every error empathylint reports to a user."""


class InputError(EmpathylintError):
    """A file or record could not be read or linted; the rest of the batch goes on."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class RuleFileError(EmpathylintError):
    """A rule pack is malformed; names the YAML file and line."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class ConfigError(EmpathylintError):
    """A configuration file or option is invalid."""


class PipelineError(EmpathylintError):
    """The spaCy pipeline or the classifier could not be loaded."""
