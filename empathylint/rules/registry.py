"""The rule registry: every rule from the bundled packs (and any extra folders), looked up by code or
name and selected by code prefix, name or category, the way ``--select``/``--ignore`` and the config do."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ConfigError, RuleFileError
from .model import CATEGORIES, Rule


class RuleSet:
    """An ordered, validated collection of rules with unique codes and names."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._rules: list[Rule] = []
        self._by_key: dict[str, Rule] = {}
        for rule in rules:
            for key in (rule.code, rule.name):
                other = self._by_key.get(key)
                if other is not None:
                    raise RuleFileError(rule.path, f"rule {rule.code}: '{key}' is already used by rule "
                                        f"{other.code} ({other.path}:{other.line})", rule.line)
                self._by_key[key] = rule
            self._rules.append(rule)

    @classmethod
    def load(cls, extra_dirs: Iterable[str | Path] = ()) -> "RuleSet":
        """The bundled packs plus the packs in ``extra_dirs``; raises `RuleFileError` on a bad pack."""
        rules = list(_builtin_rules())
        for folder in extra_dirs:
            rules.extend(_load_folder(Path(folder)))
        return cls(rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> Rule | None:
        """A rule by its code (any case) or its name."""
        return self._by_key.get(key) or self._by_key.get(key.upper())

    def matching(self, selector: str) -> list[Rule]:
        """The rules a selector names: ``ALL``, a code or code prefix (``CND``, ``CND00``), a rule name or
        a category. An unknown selector is a `ConfigError`, so a typo never silently selects nothing."""
        sel = selector.strip()
        if not sel:
            return []
        if sel.upper() == "ALL":
            return list(self._rules)
        if sel in CATEGORIES:
            return [r for r in self._rules if r.category == sel]
        rule = self._by_key.get(sel)
        if rule is not None:
            return [rule]
        found = [r for r in self._rules if r.code.startswith(sel.upper())]
        if not found:
            raise ConfigError(f"unknown rule selector '{selector}': use a code or code prefix (e.g. CND, "
                              f"CND001), a rule name or a category ({', '.join(CATEGORIES)})")
        return found

    def select(self, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> set[str]:
        """Codes of the rules chosen by ``select`` (all when ``None``) minus those named by ``ignore``."""
        chosen = {r.code for r in self._rules} if select is None else {
            r.code for s in select for r in self.matching(s)}
        for s in ignore:
            chosen -= {r.code for r in self.matching(s)}
        return chosen


def _load_folder(folder: Path) -> list[Rule]:
    from ..checks import CHECKS
    from .conditions import CONDITIONS
    from .loader import load_pack, pack_files

    rules: list[Rule] = []
    for path in pack_files(folder):
        rules.extend(load_pack(path, set(CONDITIONS), set(CHECKS)))
    return rules


@lru_cache(maxsize=1)
def _builtin_rules() -> tuple[Rule, ...]:
    from ..resources import rules_dir

    return tuple(_load_folder(rules_dir()))
