"""A report's partial stays bounded whatever the export's size: the tables that grow with it (the template
keys of repeated replies, the words of each topic) are exact under their caps and fall back to a sample past
them, the same way in any order and grouping; a script or a topic's word that is common is still found."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from functools import reduce
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from empathylint.conversations.exports import read_export
from empathylint.conversations.model import Conversation
from empathylint.report import aggregate, scripts
from empathylint.report.aggregate import Tally
from empathylint.report.batch import BatchAnalyzer, Partial, ReportSettings
from empathylint.report.document import build_document
from empathylint.report.scripts import ScriptTable, find_scripts

DATA = Path(__file__).parent / "data"
SMALL = {"TALLY_EXACT": 40, "TALLY_SAMPLE": 30, "SCRIPT_EXACT_KEYS": 12, "SCRIPT_SAMPLE": 10, "EXACT_CAP": 30,
         "REF_CAP": 5}


@pytest.fixture(scope="module", autouse=True)
def small_caps():
    """Caps small enough that a few fixture copies pass them (the defaults are in the thousands)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in SMALL.items():
            patch.setattr(scripts if name.startswith("SCRIPT") else aggregate, name, value)
        yield


def word(n: int) -> str:
    """A word of letters only for ``n`` (template keys drop digits): 0 → 'qa', 27 → 'qbb'."""
    out = ""
    while True:
        n, digit = divmod(n, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[digit] + out
        if not n:
            return "q" + out


def copies(count: int) -> list[Conversation]:
    """``count`` copies of the threads.jsonl conversations, every message of copy n ending in its own word,
    so that each copy adds new template keys and new topic words (the same week, the same agents)."""
    base = [c for c in read_export(DATA / "threads.jsonl") if isinstance(c, Conversation)]
    return [replace(c, id=f"{c.id}~{n}", messages=tuple(
        replace(m, conversation_id=f"{c.id}~{n}", text=f"{m.text} {word(n)}zz", location=None) for m in c.messages))
        for n in range(count) for c in base]


@pytest.fixture(scope="module")
def analyse(rules_linter):
    return BatchAnalyzer(ReportSettings(), rules_linter)


def size_of(partial: Partial) -> int:
    return len(json.dumps(partial.to_json(), sort_keys=True))


def test_the_partial_of_ten_times_the_conversations_is_not_ten_times_larger(analyse):
    def partial(count: int) -> Partial:
        total = Partial()
        items = copies(count)
        for start in range(0, len(items), 16):
            total.absorb(analyse(items[start:start + 16]).partial)
        return total

    small, large = partial(6), partial(60)
    assert small.parts["scripts"].exact is None and large.parts["scripts"].exact is None  # past the caps
    assert small.parts["totals"]["conversations"] * 10 == large.parts["totals"]["conversations"]
    assert size_of(large) < 1.3 * size_of(small)


def test_past_the_cap_a_common_script_is_still_found_with_about_its_count(monkeypatch):
    monkeypatch.setattr(scripts, "SCRIPT_SAMPLE", 100)
    table = ScriptTable()
    for n in range(600):
        table.add(f"k{n}", f"c{n}/m", f"c{n}", "-", f"a one-off reply {n}", False)  # 600 keys seen once
    for n in range(400):  # one reply sent 400 times, to complaints about two topics
        table.add("dm-us", f"d{n}/m", f"d{n}", ("billing", "delivery")[n % 2], "Please DM us your order number", n < 3)
    assert table.exact is None and len(table.sample) <= 200
    found = find_scripts(table, None)
    top = found[0]
    assert top["id"] == "dm-us" and top["scripted"] and top["estimated"]
    assert 250 <= top["count"] <= 550  # an estimate from a sample of 100 replies of 1,000
    assert top["_refs"].count == top["count"]


def test_under_the_cap_the_table_is_exact():
    table = ScriptTable()
    for n in range(5):
        table.add("dm-us", f"d{n}/m", f"d{n}", ("billing", "delivery")[n % 2], "Please DM us", n == 0)
    (row,) = find_scripts(table, None)
    assert (row["count"], row["topics"], row["upset_messages"]) == (5, ["billing", "delivery"], ["d0/m"])
    assert "estimated" not in row and row["_refs"].count == 5


def tally_of(records: list[tuple[str, dict[str, int]]]) -> Tally:
    tally = Tally()
    for record, counts in records:
        tally.add(record, counts)
    return tally


RECORDS = st.lists(st.tuples(st.text("abcdef", min_size=1, max_size=3),
                             st.dictionaries(st.text("wxyz", min_size=1, max_size=3), st.integers(1, 3), max_size=4)),
                   max_size=40, unique_by=lambda r: r[0])


@settings(deadline=None)
@given(RECORDS, st.randoms(use_true_random=False))
def test_tallies_merge_the_same_in_any_order_and_grouping(records, rng):
    whole = tally_of(records)
    parts = [tally_of([r]) for r in records]
    rng.shuffle(parts)
    cut = rng.randint(0, len(parts))
    left = reduce(lambda a, b: (a.merge_in(b), a)[1], parts[:cut], Tally())
    right = reduce(lambda a, b: (a.merge_in(b), a)[1], parts[cut:], Tally())
    right.merge_in(left)
    assert right.to_json() == whole.to_json()
    assert right.counts() == whole.counts()
    if whole.exact is not None:
        assert whole.counts() == sum((Counter(c) for _, c in records), Counter())


def test_past_the_cap_a_tally_estimates_the_common_words():
    records = [(f"r{n}", {"refund": 2, f"rare{word(n)}": 1}) for n in range(300)]
    tally = tally_of(records)
    assert tally.exact is None and len(tally.sample) <= 2 * SMALL["TALLY_SAMPLE"]
    counts = tally.counts()
    assert counts.most_common(1)[0][0] == "refund"
    assert 600 - 150 <= counts["refund"] <= 600 + 150  # 600 of 900 weight, from a sample of 30 occurrences
    assert sum(counts.values()) == pytest.approx(900, rel=0.05)


def test_a_report_past_the_caps_is_the_same_in_any_batching(analyse):
    items = copies(8)
    whole = analyse(items).partial
    total = Partial()
    for start in range(0, len(items), 5):
        total = analyse(items[start:start + 5]).partial.merge(total)
    assert total == whole
    document = build_document(total, ReportSettings())
    assert document == build_document(Partial.from_json(json.loads(json.dumps(whole.to_json()))), ReportSettings())
    assert all(s.get("estimated") for s in document["scripts"])


@pytest.fixture(scope="module")
def singles(analyse) -> tuple[list[Partial], Partial]:
    """Each conversation's own partial, and the partial of all of them as one batch, past the caps."""
    items = copies(3)
    return [analyse([item]).partial for item in items], analyse(items).partial


@settings(deadline=None, max_examples=40)
@given(st.data())
def test_past_the_caps_merging_in_any_order_and_grouping_gives_the_whole(singles, data):
    parts, whole = singles
    assert whole.parts["scripts"].exact is None
    order = data.draw(st.permutations(range(len(parts))))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(parts) - 1), max_size=6)))
    ordered = [parts[i] for i in order]
    groups = [reduce(Partial.merge, ordered[a:b]) for a, b in zip([0, *cuts], [*cuts, len(ordered)])]
    assert reduce(Partial.merge, reversed(groups)) == whole
