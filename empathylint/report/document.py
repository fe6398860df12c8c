"""The report document: a merged `Partial` turned into the versioned JSON that every writer reads
(schema ``empathylint/schemas/report-v1.json``). Deterministic: the same partial gives the same bytes, so
a resumed run's report equals an uninterrupted one's.

Scripted replies (CNV006) are found here, once every batch is merged (`scripts.find_scripts`): replies that
share a template key (their words without handles, numbers and links) are grouped, the groups near-identical
in meaning (all-MiniLM, cosine ≥ `scripts.SCRIPT_SIMILARITY`; the `scripts.SCRIPT_KEYS` most used keys) joined, and a group
sent three or more times to complaints about two or more topics is a script.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..conversations.findings import conversation_rules
from .aggregate import Quantiles, Refs
from .batch import Partial, ReportSettings
from .scripts import find_scripts
from .topics import label_words, rising

VERSION = 1
SCHEMA = "https://empathylint.dev/schemas/report-v1.json"


def build_document(partial: Partial, settings: ReportSettings, encoder: Any = None,
                   rules: Any = None) -> dict[str, Any]:
    """The report as JSON data. ``rules``: the linter's `RuleSet` (for rule names and families)."""
    p = partial.parts
    totals = dict(sorted(p.get("totals", {}).items()))
    periods = sorted(k for k in p.get("periods", {}) if k != "unknown")
    refs: dict[str, Refs] = p.get("refs", {})
    used_refs: set[str] = set()

    def ref(key: str) -> str | None:
        if key in refs:
            used_refs.add(key)
            return key
        return None

    topics = _topics(p.get("topics", {}), periods, ref)
    doc = {
        "format": "empathylint-report", "version": VERSION, "$schema": SCHEMA,
        "settings": {"period": settings.period, "first_response_target_s": settings.targets.first_response_s,
                     "reply_target_s": settings.targets.reply_s,
                     "business_hours": _hours(settings), "redacted": settings.redact},
        "totals": totals,
        "response_times": {name: _times(p.get(name)) for name in ("first_response", "reply")},
        "promises": _promises(p.get("promises", {}), ref),
        "periods": [_period(key, p["periods"][key], ref) for key in periods],
        "topics": topics,
        "rising_topics": rising(periods, {t["id"]: Counter(t["periods"]) for t in topics}),
        "warnings": _warnings(p, rules, ref),
        "findings": [],
        "agents": _agents(p.get("agents", {}), ref),
        "macros": _macros(p.get("macros", {}), ref),
        "scripts": find_scripts(p.get("scripts"), encoder),
        "notices": [quote for _, quote in p["notices"].ordered()] if "notices" in p else [],
    }
    findings = Counter(p.get("findings", Counter()))
    scripted = sum(s["count"] for s in doc["scripts"] if s["scripted"])
    if scripted:
        findings["CNV006"] += scripted
    for r in conversation_rules():
        if findings.get(r.code):
            doc["findings"].append({"code": r.code, "name": r.name, "severity": str(r.severity),
                                    "count": findings[r.code], "ref": ref(f"finding:{r.code}") or
                                    (_script_ref(doc["scripts"]) if r.code == "CNV006" else None)})
    doc["refs"] = {key: {"count": refs[key].count, "conversations": refs[key].conversations()}
                   for key in sorted(used_refs)}
    for script in doc["scripts"]:
        merged = script.pop("_refs")
        doc["refs"][script["ref"]] = {"count": merged.count, "conversations": merged.conversations()}
    doc["refs"] = dict(sorted(doc["refs"].items()))
    return doc


def dumps(document: dict[str, Any]) -> str:
    """The document as JSON text: keys in a fixed order, so equal reports are equal bytes."""
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _hours(settings: ReportSettings) -> str | None:
    hours = settings.targets.hours
    if hours is None:
        return None
    days = ",".join(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[d] for d in sorted(hours.days))
    return f"{days} {hours.opens:%H:%M}-{hours.closes:%H:%M} {hours.zone}"


def _times(q: Quantiles | None) -> dict[str, Any]:
    if q is None or not q.count:
        return {"count": 0, "median_s": None, "p90_s": None, "exact": True}
    return {"count": q.count, "median_s": q.quantile(0.5), "p90_s": q.quantile(0.9), "exact": q.exact is not None}


def _promises(node: dict[str, int], ref) -> dict[str, Any]:
    made = node.get("made", 0)
    kept = node.get("kept", 0)
    return {"made": made, "kept": kept, "broken": node.get("broken", 0),
            "kept_share": round(kept / made, 4) if made else None,
            "ref_kept": ref("promises:kept"), "ref_broken": ref("promises:broken")}


def _period(key: str, node: dict[str, Any], ref) -> dict[str, Any]:
    return {"period": key, "conversations": node.get("conversations", 0), "complaints": node.get("complaints", 0),
            "agent_messages": node.get("agent_messages", 0), "warnings": node.get("warnings", 0),
            "first_response": _times(node.get("first_response")), "reply": _times(node.get("reply")),
            "promises": {k: node.get("promises", {}).get(k, 0) for k in ("made", "kept", "broken")},
            "findings": dict(sorted(node.get("findings", {}).items())),
            "families": dict(sorted(node.get("families", {}).items())),
            "ref_conversations": ref(f"period:{key}:conversations"), "ref_complaints": ref(f"period:{key}:complaints"),
            "ref_warnings": ref(f"period:{key}:warnings"), "ref_broken": ref(f"period:{key}:broken")}


def _topics(nodes: dict[str, Any], periods: list[str], ref) -> list[dict[str, Any]]:
    labels = label_words({k: v["words"].counts() if "words" in v else Counter() for k, v in nodes.items()})
    out = []
    for key, node in nodes.items():
        words = labels.get(key, [])
        out.append({"id": key, "label": " / ".join(words) if words else key, "words": words,
                    "count": node.get("count", 0),
                    "periods": {p: node.get("periods", {}).get(p, 0) for p in periods},
                    "examples": [{"record": r, "quote": q} for r, q in node["examples"].ordered()]
                    if "examples" in node else [], "ref": ref(f"topic:{key}")})
    out.sort(key=lambda t: (-t["count"], t["id"]))
    return out


def _warnings(p: dict[str, Any], rules, ref) -> dict[str, Any]:
    def rows(counter: Counter) -> list[dict[str, Any]]:
        out = []
        for code, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            rule = rules.get(code) if rules is not None else None
            out.append({"code": code, "name": rule.name if rule else code, "family": rule.category if rule else None,
                        "count": count, "ref": ref(f"rule:{code}")})
        return out

    warnings = p.get("warnings", {})
    return {"total": sum(warnings.get("rules", Counter()).values()), "ref": ref("warnings"),
            "rules": rows(warnings.get("rules", Counter())),
            "families": dict(sorted(warnings.get("families", Counter()).items(), key=lambda kv: (-kv[1], kv[0]))),
            "hints": rows(p.get("hints", {}).get("rules", Counter()))}


def _ranked(nodes: dict[str, Any], name: str, uses: str, ref) -> list[dict[str, Any]]:
    """Agents or macros by the warnings they drew (then by use): ``name`` and ``uses`` name the columns."""
    out = [{name: key, uses: n.get(uses, 0), "warnings": n.get("warnings", 0),
            f"warnings_per_{uses.rstrip('s')}": round(n.get("warnings", 0) / n[uses], 3) if n.get(uses) else 0,
            "top_rules": [c for c, _ in sorted(n.get("rules", {}).items(), key=lambda kv: (-kv[1], kv[0]))[:3]],
            "ref": ref(f"{name}:{key}")} for key, n in nodes.items()]
    out.sort(key=lambda row: (-row["warnings"], -row[uses], row[name]))
    return out


def _agents(nodes: dict[str, Any], ref) -> list[dict[str, Any]]:
    return _ranked(nodes, "agent", "messages", ref)


def _macros(nodes: dict[str, Any], ref) -> list[dict[str, Any]]:
    """The macro leaderboard: the canned responses drawing the most warnings, first."""
    return _ranked(nodes, "macro", "uses", ref)


def _script_ref(scripts: list[dict[str, Any]]) -> str | None:
    return next((s["ref"] for s in scripts if s["scripted"]), None)
