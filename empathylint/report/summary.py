"""The short terminal summary of a report."""

from __future__ import annotations

from typing import Any

from ..conversations.findings import human_duration


def summary_text(document: dict[str, Any], outputs: list[str]) -> str:
    d = document
    t = d["totals"]
    rt = d["response_times"]

    def dur(value: float | None) -> str:
        return "–" if value is None else human_duration(value)

    lines = [f"{t.get('conversations', 0):,} conversations, {t.get('messages', 0):,} messages, "
             f"{t.get('complaints', 0):,} complaints, {t.get('linted', 0):,} agent replies linted"
             + (f", {t['bad_records']:,} records not read" if t.get("bad_records") else ""),
             f"first response: median {dur(rt['first_response']['median_s'])}, p90 {dur(rt['first_response']['p90_s'])}; "
             f"replies: median {dur(rt['reply']['median_s'])}, p90 {dur(rt['reply']['p90_s'])}",
             f"promises: {d['promises']['made']} made, {d['promises']['kept']} kept, {d['promises']['broken']} broken"]
    if d["topics"]:
        lines.append("top complaint topics: " + "; ".join(f"{tp['label']} ({tp['count']})" for tp in d["topics"][:4]))
    if d["findings"]:
        lines.append("conversation findings: " + ", ".join(f"{f['code']} {f['name']} {f['count']}"
                                                           for f in d["findings"]))
    if d["warnings"]["rules"]:
        lines.append("most frequent warnings: " + ", ".join(f"{r['code']} {r['count']}" for r in d["warnings"]["rules"][:5]))
    if d["macros"]:
        m = d["macros"][0]
        lines.append(f"macro drawing the most warnings: {m['macro']} ({m['warnings']} in {m['uses']} uses)")
    lines += [f"wrote {o}" for o in outputs]
    return "\n".join(lines)
