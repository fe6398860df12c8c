"""The HTML report: one self-contained file that opens from disk and works offline (no CDN, no fonts, no
requests: a Content-Security-Policy forbids them), charts drawn in as SVG, readable on a laptop and a
phone. Like coverage.py's report, every number is a link down to what is behind it: summary → topic, rule,
agent, macro or week → its conversations → each conversation's messages with their findings.

The conversations behind the numbers (at most `aggregate.REF_CAP` per number) are embedded as JSON and
shown by a small script; the rest are in the run's ``conversations.jsonl``. `write_html` streams the page: the
embedded conversations are read back from ``conversations.jsonl`` one at a time (by their offsets in it) and
written as they are read, so the page's size (27,000 conversations and 42 MB at 100,000 messages, over 102
weeks) never sits in memory; the bytes are those `render_html` gives with every one of them in hand.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from ..conversations.findings import conversation_rules, human_duration
from .svg import bar_chart, line_chart, spark

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'")


def needed_conversations(document: dict[str, Any]) -> set[str]:
    """The conversations the report's links point at."""
    return {c for ref in document["refs"].values() for c in ref["conversations"]}


def detail_offsets(details_path: Path, wanted: set[str]) -> dict[str, int]:
    """Where each of the ``wanted`` conversations' line starts in ``conversations.jsonl`` (of a conversation
    written twice, its last line)."""
    offsets: dict[str, int] = {}
    with open(details_path, "rb") as lines:
        at = 0
        for line in lines:
            cid = json.loads(line)["id"]
            if cid in wanted:
                offsets[cid] = at
            at += len(line)
    return offsets


def write_html(document: dict[str, Any], details_path: Path, path: Path, title: str = "") -> None:
    """The page of `render_html`, written in pieces: the embedded conversations read from ``details_path``
    (the run's ``conversations.jsonl``) one at a time, in the order of their ids."""
    offsets = detail_offsets(details_path, needed_conversations(document))
    before, after = _page(document, title).split(_DATA_SLOT)
    # the page's JSON without the conversations, cut where they go (its first key: the keys are sorted)
    data_before, data_after = _json(_page_data(document, {})).split(_NO_CONVERSATIONS, 1)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out, open(details_path, "rb") as details:
        out.write(before + data_before + '"conversations": {')
        for n, cid in enumerate(sorted(offsets)):
            details.seek(offsets[cid])
            out.write((", " if n else "") + _json({cid: json.loads(details.readline())})[1:-1])
        out.write("}" + data_after + after)
    temporary.replace(path)


def render_html(document: dict[str, Any], details: dict[str, Any], title: str = "") -> str:
    """The whole page as text, with ``details`` the conversations its links point at (by id)."""
    return _page(document, title).replace(_DATA_SLOT, _json(_page_data(document, details)))


#: Where the page's embedded JSON goes (no JSON or HTML the page writes contains it).
_DATA_SLOT = "\x00report-data\x00"
_NO_CONVERSATIONS = '"conversations": {}'


def _page_data(document: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    return {"refs": document["refs"], "conversations": details,
            "rules": {r.code: {"name": r.name, "reason": r.reason} for r in conversation_rules()}}


def _json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (no ``</``). Applied to a part of the page's JSON, it gives
    that part of the whole's: a part begins with ``{`` or ``"`` and ends with ``}``, so no ``</`` spans two."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _page(document: dict[str, Any], title: str) -> str:
    d = document
    periods = [p["period"] for p in d["periods"]]
    t = d["totals"]
    rt = d["response_times"]
    cards = [
        ("Conversations", _num(t.get("conversations", 0), "conversations")),
        ("Messages", _num(t.get("messages", 0))),
        ("Complaints", _num(t.get("complaints", 0), "complaints")),
        ("Agent replies linted", _num(t.get("linted", 0))),
        ("Warnings", _num(d["warnings"]["total"], d["warnings"]["ref"])),
        ("First response, median", _num(_dur(rt["first_response"]["median_s"]), _finding_ref(d, "CNV001"))),
        ("First response, p90", _num(_dur(rt["first_response"]["p90_s"]), _finding_ref(d, "CNV001"))),
        ("Reply, median / p90", _num(f'{_dur(rt["reply"]["median_s"])} / {_dur(rt["reply"]["p90_s"])}',
                                     _finding_ref(d, "CNV002"))),
        ("Promises kept", f'{_num(d["promises"]["kept"], d["promises"]["ref_kept"])} of {d["promises"]["made"]}'),
        ("Promises broken", _num(d["promises"]["broken"], d["promises"]["ref_broken"])),
    ]
    charts = [
        bar_chart(f"Conversations and complaints per {d['settings']['period']}", periods, [
            ("conversations", [p["conversations"] for p in d["periods"]], [p["ref_conversations"] for p in d["periods"]]),
            ("complaints", [p["complaints"] for p in d["periods"]], [p["ref_complaints"] for p in d["periods"]])]),
        line_chart("Response time, hours (median and p90)", periods, [
            ("first response median", [_hours(p["first_response"]["median_s"]) for p in d["periods"]]),
            ("reply median", [_hours(p["reply"]["median_s"]) for p in d["periods"]]),
            ("reply p90", [_hours(p["reply"]["p90_s"]) for p in d["periods"]])]),
        bar_chart(f"Warnings and broken promises per {d['settings']['period']}", periods, [
            ("warnings", [p["warnings"] for p in d["periods"]], [p["ref_warnings"] for p in d["periods"]]),
            ("promises broken", [p["promises"]["broken"] for p in d["periods"]], [p["ref_broken"] for p in d["periods"]])]),
    ]
    docs = {r.code: r for r in conversation_rules()}
    per = d["settings"]["period"]
    sections = [
        _section(f"Per {per}", "periods", [per.capitalize(), "Conversations", "Complaints", "Warnings",
                                           "First response (median)", "Reply (median / p90)", "Promises kept",
                                           "Promises broken"],
                 [[escape(p["period"]), _num(p["conversations"], p["ref_conversations"]),
                   _num(p["complaints"], p["ref_complaints"]), _num(p["warnings"], p["ref_warnings"]),
                   _dur(p["first_response"]["median_s"]),
                   f'{_dur(p["reply"]["median_s"])} / {_dur(p["reply"]["p90_s"])}',
                   f'{p["promises"]["kept"]} of {p["promises"]["made"]}', _num(p["promises"]["broken"], p["ref_broken"])]
                  for p in reversed(d["periods"])]),
        _section("Complaint topics", "topics", ["Topic", "Complaints", f"Per {d['settings']['period']}", "Examples"],
                 [[f'<b>{escape(tp["label"])}</b><br><small>{escape(tp["id"])}</small>', _num(tp["count"], tp["ref"]),
                   spark(list(tp["periods"].values())),
                   "".join(f'<q>{escape(e["quote"])}</q>' for e in tp["examples"])] for tp in d["topics"]],
                 "Complaints grouped by meaning; labels are each topic's most distinctive words."),
        _section("Rising topics", "rising", ["Topic", "Period", "Complaints", "Mean before"],
                 [[escape(r["topic"]), escape(r["period"]), str(r["count"]), str(r["baseline"])]
                  for r in d["rising_topics"]], "Recurring problems growing fastest: fix these first."),
        _section("Conversation findings", "findings", ["Code", "Finding", "Why it matters", "Conversations"],
                 [[f'<code>{f["code"]}</code>', escape(f["name"]), escape(docs[f["code"]].reason[:180] + "…"),
                   _num(f["count"], f["ref"])] for f in d["findings"]]),
        _section("Warnings by rule", "rules", ["Code", "Rule", "Family", "Warnings"],
                 [[f'<code>{escape(r["code"])}</code>', escape(r["name"]), escape(r["family"] or ""),
                   _num(r["count"], r["ref"])] for r in d["warnings"]["rules"]]),
        _section("Macro leaderboard", "macros", ["Macro", "Uses", "Warnings", "Per use", "Top rules"],
                 [[f'<code>{escape(m["macro"])}</code>', str(m["uses"]), _num(m["warnings"], m["ref"]),
                   f'{m["warnings_per_use"]:.2f}', escape(", ".join(m["top_rules"]))] for m in d["macros"]],
                 "The canned responses that draw the most warnings: what a team fixes first."),
        _section("Agents", "agents", ["Agent", "Replies", "Warnings", "Per reply", "Top rules"],
                 [[escape(a["agent"]), str(a["messages"]), _num(a["warnings"], a["ref"]),
                   f'{a["warnings_per_message"]:.2f}', escape(", ".join(a["top_rules"]))] for a in d["agents"][:50]]),
        _section("Repeated replies", "scripts", ["Sent", "To topics", "Scripted", "Example"],
                 [[_num(s["count"], s["ref"]), escape(", ".join(s["topics"])), "yes" if s["scripted"] else "",
                   f'<q>{escape(s["examples"][0]["quote"]) if s["examples"] else ""}</q>'] for s in d["scripts"][:30]],
                 "Near-identical replies; scripted when sent to complaints about different topics."),
    ]
    if d["notices"]:
        sections.append('<section><h2>Records not read</h2><ul class="notices">' + "".join(
            f"<li>{escape(n)}</li>" for n in d["notices"]) + "</ul></section>")
    return _PAGE.format(
        csp=_CSP, title=escape(title or "empathylint report"),
        settings=escape(f'per {d["settings"]["period"]} · first-response target '
                        f'{human_duration(d["settings"]["first_response_target_s"])} · reply target '
                        f'{human_duration(d["settings"]["reply_target_s"])}'
                        + (f' · business hours {d["settings"]["business_hours"]}' if d["settings"]["business_hours"]
                           else "") + (" · personal data masked" if d["settings"]["redacted"] else "")),
        cards="".join(f'<div class="card"><div class="v">{v}</div><div class="k">{escape(k)}</div></div>'
                      for k, v in cards),
        charts="".join(f'<figure>{c}</figure>' for c in charts), sections="".join(sections),
        data=_DATA_SLOT, script=_SCRIPT, style=_STYLE)


def _num(value: Any, ref: str | None = None) -> str:
    text = f"{value:,}" if isinstance(value, int) else escape(str(value))
    if not ref:
        return text
    return f'<a class="ref" data-ref="{escape(ref)}" href="#ref={escape(ref)}">{text}</a>'


def _finding_ref(document: dict[str, Any], code: str) -> str | None:
    return next((f["ref"] for f in document["findings"] if f["code"] == code), None)


def _dur(seconds: float | None) -> str:
    return "–" if seconds is None else human_duration(seconds)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 3600


def _section(title: str, key: str, head: list[str], rows: list[list[str]], note: str = "") -> str:
    if not rows:
        return f'<section id="{key}"><h2>{escape(title)}</h2><p class="note">None.</p></section>'
    th = "".join(f'<th data-col="{i}">{escape(h)}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    return (f'<section id="{key}"><h2>{escape(title)}</h2>{note_html}<div class="scroll"><table class="sortable">'
            f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div></section>")


_STYLE = """
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
background:#f6f7f9}header,main{max-width:1100px;margin:0 auto;padding:12px 16px}h1{font-size:1.4em;margin:.3em 0}
h2{font-size:1.15em;margin:1.2em 0 .4em}.meta{color:#666;font-size:.9em}.cards{display:grid;
grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px}.card{background:#fff;border:1px solid #e3e5e8;
border-radius:8px;padding:10px}.card .v{font-size:1.3em;font-weight:600}.card .k{color:#666;font-size:.85em}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:10px;margin-top:10px}
figure{margin:0;background:#fff;border:1px solid #e3e5e8;border-radius:8px;padding:6px}svg.chart{width:100%;
height:auto}.axis{font-size:11px;fill:#555}.scroll{overflow-x:auto;background:#fff;border:1px solid #e3e5e8;
border-radius:8px}table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #eee;
text-align:left;vertical-align:top}th{cursor:pointer;background:#fafbfc;white-space:nowrap}q{display:block;
color:#444;font-size:.9em;margin:2px 0}a.ref{color:#1a56c4;font-weight:600}.note{color:#666;font-size:.9em}
#panel{position:fixed;top:0;right:0;bottom:0;width:min(560px,100%);background:#fff;border-left:1px solid #ccc;
box-shadow:-4px 0 16px rgba(0,0,0,.12);overflow-y:auto;padding:12px 16px;display:none}#panel.open{display:block}
#panel .close{float:right}.conv{border:1px solid #e3e5e8;border-radius:6px;padding:8px;margin:6px 0}
.msg{border-left:3px solid #ccc;padding:4px 8px;margin:6px 0;white-space:pre-wrap}.msg.customer{border-color:#3366cc}
.msg.agent{border-color:#2e8b57}.msg.bot,.msg.note{border-color:#aaa;color:#666}.msg.flagged{background:#fff7e6}
.who{font-size:.8em;color:#666}.diag{font-size:.85em;color:#8a4b00;margin:2px 0}.finding{font-size:.9em;
background:#fdecea;border-radius:4px;padding:4px 6px;margin:4px 0}ul.notices{font-size:.85em}
@media (max-width:600px){body{font-size:14px}th,td{padding:5px}}
"""

_SCRIPT = """
(function(){
var DATA=JSON.parse(document.getElementById('report-data').textContent);
var panel=document.getElementById('panel'),body=document.getElementById('panel-body');
function esc(s){return String(s==null?'':s).replace(/[&<>"]/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
function first(c){for(var i=0;i<c.messages.length;i++){if(c.messages[i].role==='customer')return c.messages[i].text;}return '';}
var KINDS={rule:'Rule',finding:'Finding',topic:'Topic',agent:'Agent',macro:'Macro',period:'Period',script:'Repeated reply',promises:'Promises',conversations:'All conversations',complaints:'All complaints'};
function title(key){var p=key.split(':'),kind=KINDS[p[0]]||p[0],rest=p.slice(1).join(' ');
 if(p[0]==='finding'&&DATA.rules[p[1]]){rest+=' '+DATA.rules[p[1]].name;}return kind+(rest?': '+rest:'');}
function showRef(key){var ref=DATA.refs[key];if(!ref){return;}
 var h='<h3>'+esc(title(key))+'</h3><p class="note">'+ref.count+' counted'+(ref.count>ref.conversations.length?'; '+ref.conversations.length+' conversations shown':'')+'</p><ol class="ref-list">';
 ref.conversations.forEach(function(id){var c=DATA.conversations[id];h+='<li class="conv"><a href="#c='+encodeURIComponent(id)+'" class="conv-link" data-conv="'+esc(id)+'">'+esc(id)+'</a> '+(c?'<span class="who">'+esc(c.period)+' · '+c.findings.length+' findings</span><div>'+esc(first(c).slice(0,160))+'</div>':'')+'</li>';});
 body.innerHTML=h+'</ol>';panel.classList.add('open');}
function showConv(id){var c=DATA.conversations[id];if(!c){return;}
 var flagged={};c.findings.forEach(function(f){f.messages.forEach(function(m){flagged[m]=1;});});
 var h='<h3>Conversation '+esc(id)+'</h3><p class="who">'+esc(c.channel||'')+' · '+esc(c.period)+'</p>';
 c.findings.forEach(function(f){h+='<div class="finding"><b>'+esc(f.code)+' '+esc(f.name)+'</b>: '+esc(f.message)+'</div>';});
 c.messages.forEach(function(m){h+='<div class="msg '+esc(m.role)+(flagged[m.record]?' flagged':'')+'" id="m-'+esc(m.record)+'"><div class="who">'+esc(m.role)+' '+esc(m.author||'')+' · '+esc(m.time)+(m.macro?' · macro '+esc(m.macro):'')+'</div>'+esc(m.text);
  m.diagnostics.forEach(function(d){h+='<div class="diag">'+esc(d.code)+' '+esc(d.name)+' ('+esc(d.severity)+'): '+esc(d.message)+'</div>';});h+='</div>';});
 body.innerHTML=h;panel.classList.add('open');}
function route(){var h=decodeURIComponent(location.hash.slice(1));
 if(h.indexOf('ref=')===0){showRef(h.slice(4));}else if(h.indexOf('c=')===0){showConv(h.slice(2));}else{panel.classList.remove('open');}}
window.addEventListener('hashchange',route);route();
document.getElementById('panel-close').addEventListener('click',function(){history.pushState('',document.title,location.pathname);panel.classList.remove('open');});
Array.prototype.forEach.call(document.querySelectorAll('table.sortable th'),function(th){th.addEventListener('click',function(){
 var table=th.closest('table'),col=+th.dataset.col,rows=Array.prototype.slice.call(table.tBodies[0].rows),dir=th.dataset.dir==='asc'?-1:1;th.dataset.dir=dir===1?'asc':'desc';
 function val(r){var t=r.cells[col].textContent.replace(/,/g,'');var n=parseFloat(t);return isNaN(n)?t:n;}
 rows.sort(function(a,b){var x=val(a),y=val(b);return (x>y?1:x<y?-1:0)*dir;});rows.forEach(function(r){table.tBodies[0].appendChild(r);});});});
})();
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{style}</style></head>
<body><header><h1>{title}</h1><div class="meta">{settings}</div></header>
<main><div class="cards">{cards}</div><div class="charts">{charts}</div>{sections}</main>
<aside id="panel" aria-live="polite"><button class="close" id="panel-close" type="button">Close</button>
<div id="panel-body"></div></aside>
<script type="application/json" id="report-data">{data}</script>
<script>{script}</script>
</body></html>
"""
