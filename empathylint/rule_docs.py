"""A rule's documentation, rendered from the same YAML the engine loads: the rule list and each rule's
page (what it flags, why it hurts, examples, what to write instead, measured precision)."""

from __future__ import annotations

import textwrap
from typing import Any, Iterable

from .rules.model import Rule


def rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code, "name": rule.name, "category": rule.category, "severity": str(rule.severity),
        "message": rule.message, "reason": rule.reason, "description": rule.description,
        "suggestions": list(rule.suggestions), "precision": rule.precision or None,
        "kind": f"check:{rule.check}" if rule.check else "patterns", "patterns": len(rule.patterns),
        "examples": {"flag": [e.text for e in rule.examples if e.flags],
                     "pass": [e.text for e in rule.examples if not e.flags]},
        "fix": {"replacement": rule.fix.replacement, "safe": rule.fix.safe} if rule.fix else None,
        "pack": rule.pack,
        "with_customer": rule.with_customer.describe() if rule.with_customer else None,
    }


def table_text(rules: Iterable[Rule]) -> str:
    rows = [(r.code, r.name, str(r.severity), r.category) for r in rules]
    if not rows:
        return "no rules"
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(f"{c:<{widths[0]}}  {n:<{widths[1]}}  {s:<{widths[2]}}  {cat}" for c, n, s, cat in rows)


def table_markdown(rules: Iterable[Rule]) -> str:
    lines = ["| code | name | category | severity | flags |", "|---|---|---|---|---|"]
    for r in rules:
        lines.append(f"| `{r.code}` | {r.name} | {r.category} | {r.severity} | {_one_line(r.description or r.message)} |")
    return "\n".join(lines)


def page_text(rule: Rule) -> str:
    wrap = lambda text: textwrap.fill(" ".join(text.split()), 96, initial_indent="  ", subsequent_indent="  ")
    parts = [f"{rule.code} {rule.name}  [{rule.severity}, {rule.category}]", ""]
    if rule.with_customer:
        parts += [f"With the customer's message: {rule.with_customer.describe()}.", ""]
    parts += ["What it flags:", wrap(rule.description or rule.message.replace("{text}", "…")), ""]
    parts += ["Why it hurts:", wrap(rule.reason), ""]
    parts += ["Flags:"] + [f"  ✗ {e.text}" for e in rule.examples if e.flags] + [""]
    parts += ["Passes:"] + [f"  ✓ {e.text}" for e in rule.examples if not e.flags] + [""]
    parts += ["Instead:"] + [f"  → {s}" for s in rule.suggestions]
    if rule.fix:
        replacement = f'"{rule.fix.replacement}"' if rule.fix.replacement else "delete the words"
        parts += ["", f"Fix ({'safe' if rule.fix.safe else 'needs review'}): {replacement}"]
    if rule.precision:
        parts += ["", "Measured precision:", wrap(rule.precision)]
    parts += ["", f"Defined in {rule.path}:{rule.line}"]
    return "\n".join(parts)


def page_markdown(rule: Rule) -> str:
    parts = [f"### {rule.code} `{rule.name}` ({rule.category}, {rule.severity})", "",
             f"**What it flags:** {_one_line(rule.description or rule.message)}", "",
             f"**Why it hurts:** {_one_line(rule.reason)}", ""]
    if rule.with_customer:
        parts += [f"**With the customer's message:** {rule.with_customer.describe()}.", ""]
    parts += ["**Flags:**", ""]
    parts += [f"- {e.text}" for e in rule.examples if e.flags] + ["", "**Passes:**", ""]
    parts += [f"- {e.text}" for e in rule.examples if not e.flags] + ["", "**Instead:**", ""]
    parts += [f"- {s}" for s in rule.suggestions]
    if rule.precision:
        parts += ["", f"**Measured precision:** {_one_line(rule.precision)}"]
    return "\n".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.replace("{text}", "…").split()).replace("|", "\\|")
