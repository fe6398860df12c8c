"""The HTML report is written in pieces (`html.write_html`): the conversations behind its links are read back
from the run's conversations.jsonl one at a time. The page is the very page `render_html` makes with all of
them in hand, byte for byte, whatever the conversations hold."""

from __future__ import annotations

import json
import shutil

from empathylint.report.html import needed_conversations, render_html, write_html

from .conftest import details_of


def test_the_report_page_is_the_page_rendered_with_every_linked_conversation_in_hand(threads_report):
    document, all_details, out = threads_report
    details = {cid: all_details[cid] for cid in needed_conversations(document)}
    assert details, "the fixture's links point at conversations"
    title = f"empathylint report: {', '.join(document['inputs'])}"
    assert (out / "report.html").read_text(encoding="utf-8") == render_html(document, details, title)


def test_streamed_details_keep_script_safety_order_and_the_last_of_a_repeated_conversation(threads_report, tmp_path):
    document, _, out = threads_report
    jsonl = tmp_path / "conversations.jsonl"
    shutil.copy(out / "conversations.jsonl", jsonl)
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    linked = sorted(needed_conversations(document))
    again = dict(records[[r["id"] for r in records].index(linked[0])])
    again["messages"] = [dict(again["messages"][0], text="</script><script>alert(1)</script> ünïcode")]
    with open(jsonl, "a", encoding="utf-8") as fh:  # the same conversation written once more, later
        fh.write(json.dumps(again, ensure_ascii=False, sort_keys=True) + "\n")
    write_html(document, jsonl, tmp_path / "report.html", "t")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    details = {cid: c for cid, c in details_of(tmp_path).items() if cid in linked}  # the later line wins
    assert details[linked[0]]["messages"][0]["text"].startswith("</script>")
    assert page == render_html(document, details, "t")
    data = page.split('<script type="application/json" id="report-data">')[1].split("</script>")[0]
    assert "</" not in data
    embedded = json.loads(data)
    assert list(embedded["conversations"]) == linked
    assert embedded["conversations"][linked[0]]["messages"][0]["text"].endswith("ünïcode")
    assert not (tmp_path / "report.html.tmp").exists()
