"""Loading and validating rule packs (``rules/*.yml``).

Every problem is reported as a `RuleFileError` naming the pack file and the line, e.g.
``rules/condescension.yml:42: rule CND003: unknown key 'pattern' (did you mean 'patterns'?)``.
Patterns are checked against spaCy's own pattern schemas when they are compiled (`matching.py`).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..diagnostic import Severity
from ..errors import RuleFileError
from .model import (CATEGORIES, PATTERN_KINDS, SITUATION_TRAITS, CustomerSeverity, Example, FixTemplate, Pattern,
                    Rule)
from .yaml_lines import LineDict, line_of, load_yaml_with_lines

CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PACK_KEYS = {"family", "prefix", "description", "rules"}
RULE_KEYS = {"code", "name", "category", "severity", "message", "reason", "suggestions", "patterns",
             "check", "params", "examples", "fix", "description", "precision", "when", "unless",
             "with_customer"}
PATTERN_KEYS = set(PATTERN_KINDS) | {"report", "when", "unless"}
EXAMPLE_KEYS = {"text", "span", "customer"}
#: Where measured precision lives for rules that carry none in their own pack (relative to the pack).
FIGURES = Path("precision") / "figures.yml"


class _PackReader:
    def __init__(self, path: Path, known_conditions: set[str], known_checks: set[str]) -> None:
        self.path = path
        self.display = str(path)
        self.known_conditions = known_conditions
        self.known_checks = known_checks

    def figures(self) -> dict[str, str]:
        """Measured precision written by ``scripts/rule_precision.py`` beside the packs, for rules whose
        own ``precision`` field is empty."""
        return measured_figures(self.path.parent / FIGURES)

    def fail(self, problem: str, node: Any = None, line: int | None = None) -> RuleFileError:
        return RuleFileError(self.display, problem, line if line is not None else line_of(node) or None)

    def keys(self, node: LineDict, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(f"{what}: unknown key '{key}'{hint}", node)

    def text(self, node: LineDict, key: str, what: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                raise self.fail(f"{what}: missing '{key}'", node)
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what}: '{key}' must be a non-empty string", node)
        return value.strip()

    def names(self, value: Any, node: Any, what: str, known: set[str], kind: str) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value or []
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise self.fail(f"{what}: {kind} must be a name or a list of names", node)
        for item in items:
            if item not in known:
                close = difflib.get_close_matches(item, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise self.fail(f"{what}: unknown condition '{item}'{hint}", node)
        return tuple(items)

    def read(self) -> list[Rule]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(f"cannot read rule pack: {exc}") from None
        try:
            data = load_yaml_with_lines(raw)
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise self.fail(f"invalid YAML: {exc.problem}", line=line) from None
        except yaml.YAMLError as exc:
            raise self.fail(f"invalid YAML: {exc}") from None
        if not isinstance(data, LineDict):
            raise self.fail("a rule pack must be a mapping with 'family', 'prefix' and 'rules'", line=1)
        self.keys(data, PACK_KEYS, "pack")
        family = self.text(data, "family", "pack")
        prefix = self.text(data, "prefix", "pack")
        if not re.fullmatch(r"[A-Z]{2,4}", prefix):
            raise self.fail(f"pack: prefix '{prefix}' must be 2-4 capital letters", data)
        rules = data.get("rules")
        if not isinstance(rules, list) or not rules:
            raise self.fail("pack: 'rules' must be a non-empty list", data)
        return [self.rule(node, family, prefix) for node in rules]

    def rule(self, node: Any, family: str, prefix: str) -> Rule:
        if not isinstance(node, LineDict):
            raise self.fail("each entry of 'rules' must be a mapping", node)
        code = node.get("code")
        if not isinstance(code, str) or not CODE_RE.fullmatch(code):
            raise self.fail(f"rule code {code!r} must look like {prefix}001", node)
        what = f"rule {code}"
        if not code.startswith(prefix):
            raise self.fail(f"{what}: code must start with the pack prefix '{prefix}'", node)
        self.keys(node, RULE_KEYS, what)
        name = self.text(node, "name", what)
        if not NAME_RE.fullmatch(name):
            raise self.fail(f"{what}: name '{name}' must be kebab-case", node)
        category = self.text(node, "category", what)
        if category not in CATEGORIES:
            raise self.fail(f"{what}: unknown category '{category}'; use one of {', '.join(CATEGORIES)}", node)
        try:
            severity = Severity.parse(self.text(node, "severity", what))
        except ValueError as exc:
            raise self.fail(f"{what}: {exc}", node) from None
        suggestions = node.get("suggestions")
        if (not isinstance(suggestions, list) or not suggestions
                or not all(isinstance(s, str) and s.strip() for s in suggestions)):
            raise self.fail(f"{what}: 'suggestions' must be a non-empty list of strings", node)
        rule_when = self.names(node.get("when"), node, what, self.known_conditions, "'when'")
        rule_unless = self.names(node.get("unless"), node, what, self.known_conditions, "'unless'")
        patterns = tuple(self.pattern(p, what, rule_when, rule_unless) for p in node.get("patterns") or [])
        check = node.get("check")
        if check is not None and check not in self.known_checks:
            close = difflib.get_close_matches(str(check), sorted(self.known_checks), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise self.fail(f"{what}: unknown check '{check}'{hint}", node)
        if not patterns and check is None:
            raise self.fail(f"{what}: needs 'patterns' or a 'check'", node)
        params = node.get("params") or {}
        if not isinstance(params, dict):
            raise self.fail(f"{what}: 'params' must be a mapping", node)
        examples = self.examples(node, what)
        return Rule(
            code=code, name=name, category=category, severity=severity,
            message=self.text(node, "message", what), reason=self.text(node, "reason", what),
            suggestions=tuple(s.strip() for s in suggestions), examples=examples, pack=family,
            path=self.display, line=node.line, patterns=patterns, check=check, params=dict(params),
            fix=self.fix(node, what), description=self.text(node, "description", what, required=False),
            precision=self.text(node, "precision", what, required=False) or self.figures().get(code, ""),
            with_customer=self.with_customer(node, what),
        )

    def with_customer(self, node: LineDict, what: str) -> CustomerSeverity | None:
        item = node.get("with_customer")
        if item is None:
            return None
        if not isinstance(item, LineDict):
            raise self.fail(f"{what}: 'with_customer' must be a mapping with 'severity' and 'unless'", node)
        self.keys(item, {"severity", "unless"}, f"{what} with_customer")
        try:
            severity = Severity.parse(str(item.get("severity")))
        except ValueError as exc:
            raise self.fail(f"{what} with_customer: {exc}", item) from None
        unless = item.get("unless") or []
        if not isinstance(unless, list) or not all(u in SITUATION_TRAITS for u in unless):
            raise self.fail(f"{what} with_customer: 'unless' must list traits of the customer's situation "
                            f"({', '.join(SITUATION_TRAITS)})", item)
        return CustomerSeverity(severity, tuple(unless))

    def pattern(self, node: Any, what: str, rule_when: tuple[str, ...],
                rule_unless: tuple[str, ...]) -> Pattern:
        if not isinstance(node, LineDict):
            raise self.fail(f"{what}: each pattern must be a mapping with one of {', '.join(PATTERN_KINDS)}", node)
        self.keys(node, PATTERN_KEYS, f"{what} pattern")
        kinds = [k for k in PATTERN_KINDS if k in node]
        if len(kinds) != 1:
            raise self.fail(f"{what}: a pattern needs exactly one of {', '.join(PATTERN_KINDS)}", node)
        kind = kinds[0]
        value = node[kind]
        if kind == "phrases":
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise self.fail(f"{what}: 'phrases' must be a string or a list of strings", node)
        elif not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{what}: '{kind}' must be a non-empty list of token mappings", node)
        report = node.get("report", [])
        report = tuple(report) if isinstance(report, list) else (report,)
        when = rule_when + self.names(node.get("when"), node, what, self.known_conditions, "'when'")
        unless = rule_unless + self.names(node.get("unless"), node, what, self.known_conditions, "'unless'")
        return Pattern(kind, _plain(value), report, when, unless, node.line)

    def examples(self, node: LineDict, what: str) -> tuple[Example, ...]:
        examples = node.get("examples")
        if not isinstance(examples, LineDict) or set(examples) - {"flag", "pass"}:
            raise self.fail(f"{what}: 'examples' must be a mapping with 'flag' and 'pass' lists", node)
        out: list[Example] = []
        for key in ("flag", "pass"):
            items = examples.get(key)
            if not isinstance(items, list) or not items:
                raise self.fail(f"{what}: needs at least one '{key}' example", examples)
            for item in items:
                out.append(self.example(item, key == "flag", what, examples.line))
        return tuple(out)

    def example(self, item: Any, flags: bool, what: str, line: int) -> Example:
        if isinstance(item, str):
            return Example(item, flags, line=line)
        if not isinstance(item, LineDict):
            raise self.fail(f"{what}: an example must be a string or a mapping with 'text'", line=line)
        self.keys(item, EXAMPLE_KEYS, f"{what} example")
        text = self.text(item, "text", f"{what} example")
        span = item.get("span")
        if span is not None and (not flags or span not in text):
            raise self.fail(f"{what} example: 'span' must be part of the text of a flag example", item)
        return Example(text, flags, span, item.get("customer"), item.line)

    def fix(self, node: LineDict, what: str) -> FixTemplate | None:
        fix = node.get("fix")
        if fix is None:
            return None
        if not isinstance(fix, LineDict) or not isinstance(fix.get("replacement"), str):
            raise self.fail(f"{what}: 'fix' must be a mapping with a 'replacement' string", node)
        self.keys(fix, {"replacement", "safe"}, f"{what} fix")
        return FixTemplate(fix["replacement"], bool(fix.get("safe", False)))


def _plain(value: Any) -> Any:
    """Turn `LineDict`s back into plain dicts (spaCy's pattern validation wants real dicts)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@lru_cache(maxsize=8)
def measured_figures(path: Path) -> dict[str, str]:
    """``{rule code: measured precision}`` from a figures file (``rules:`` mapping); empty when there is
    none. A broken figures file is reported like a broken pack."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleFileError(str(path), f"cannot read measured figures: {exc}") from None
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict) or not all(isinstance(v, str) for v in rules.values()):
        raise RuleFileError(str(path), "'rules' must map rule codes to text")
    return {str(code): " ".join(text.split()) for code, text in rules.items()}


def load_pack(path: Path, known_conditions: set[str], known_checks: set[str]) -> list[Rule]:
    """Read and validate one pack; raises `RuleFileError` naming the file and line."""
    return _PackReader(path, known_conditions, known_checks).read()


def pack_files(folder: Path) -> list[Path]:
    """The rule packs in a folder, in a stable order."""
    if not folder.is_dir():
        raise RuleFileError(str(folder), "rule folder does not exist")
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def parse_patterns(raw: Any, path: str, what: str) -> list[Pattern]:
    """Validate a list of patterns given outside ``patterns`` (a check's ``params``)."""
    from .conditions import CONDITIONS

    reader = _PackReader(Path(path), set(CONDITIONS), set())
    if not isinstance(raw, list):
        raise reader.fail(f"{what}: must be a list of patterns", raw)
    return [reader.pattern(node, what, (), ()) for node in raw]
