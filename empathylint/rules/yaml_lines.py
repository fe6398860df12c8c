"""A YAML loader that remembers the line of every mapping, so a bad rule is reported by file and line."""

from __future__ import annotations

import re
from typing import Any

import yaml


class LineDict(dict):
    """A dict that knows the 1-based line where it started in its YAML file."""

    line: int = 0


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading, YAML 1.2 booleans: only true/false are booleans. In YAML 1.1 ``on``, ``off``,
    ``yes`` and ``no`` are booleans too, which silently breaks word lists like ``IN: [in, on]``.

    libyaml's parser when PyYAML has it (the wheels do): the packs parse in a tenth of the time, which is
    most of a rules-only start-up otherwise; the nodes carry the same line marks."""


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                  list("tTfF"))


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_with_lines(text: str) -> Any:
    """Parse YAML (safe subset); mappings come back as `LineDict`."""
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


def line_of(node: Any, default: int = 0) -> int:
    return getattr(node, "line", default)
