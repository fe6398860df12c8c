"""Partial aggregates merge in any order and grouping to the partial of the whole (what lets Ray Data run
the same per-batch function): checked on the real per-batch function over every fixture conversation."""

from __future__ import annotations

import json
from functools import reduce
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from empathylint.conversations.exports import read_export
from empathylint.report.aggregate import EXACT_CAP, Quantiles
from empathylint.report.batch import BatchAnalyzer, Partial, ReportSettings

DATA = Path(__file__).parent / "data"
FILES = ("threads.jsonl", "zendesk.json", "tweets.csv", "bad.jsonl")


@pytest.fixture(scope="module")
def singles(rules_linter) -> tuple[list[Partial], Partial]:
    """Each item's own partial, and the partial of all items analysed as one batch."""
    items = [item for name in FILES for item in read_export(DATA / name)]
    analyse = BatchAnalyzer(ReportSettings(), rules_linter)
    return [analyse([item]).partial for item in items], analyse(items).partial


@st.composite
def merge_plans(draw, n: int = 14):
    """An order of the items and a way of cutting it into groups (each merged, then the groups merged)."""
    order = draw(st.permutations(range(n)))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1)))
    return order, cuts


def test_there_are_enough_items(singles):
    assert len(singles[0]) == 14


@given(plan=merge_plans())
def test_merging_in_any_order_and_grouping_gives_the_whole(singles, plan):
    parts, whole = singles
    order, cuts = plan
    ordered = [parts[i] for i in order]
    groups = [ordered[a:b] for a, b in zip([0, *cuts], [*cuts, len(ordered)])]
    merged = [reduce(Partial.merge, group) for group in groups]
    assert reduce(Partial.merge, reversed(merged)) == whole


def test_merge_is_commutative_and_associative_on_three(singles):
    a, b, c = singles[0][:3]
    assert a.merge(b) == b.merge(a)
    assert a.merge(b).merge(c) == a.merge(b.merge(c))


@given(st.lists(st.integers(0, 10**6), max_size=60), st.lists(st.integers(0, 10**6), max_size=60))
def test_quantiles_fall_back_to_the_histogram_the_same_way_in_any_order(left, right):
    def of(values):
        q = Quantiles()
        for v in values:
            q.add(v)
        return q

    ab, ba = of(left), of(right)
    ab.merge_in(of(right))
    ba.merge_in(of(left))
    assert ab.to_json() == ba.to_json()
    assert ab.quantile(0.5) == (sorted(left + right)[max(0, -(-len(left + right) // 2) - 1)] if left + right else None)


def test_quantiles_past_the_cap_are_within_two_percent():
    q = Quantiles()
    for v in range(1, EXACT_CAP + 2):
        q.add(v)
    assert q.exact is None
    assert abs(q.quantile(0.5) - (EXACT_CAP + 1) / 2) / ((EXACT_CAP + 1) / 2) < 0.02


@given(plan=merge_plans())
def test_absorbing_in_place_gives_what_merging_gives(singles, plan):
    parts, whole = singles
    order, _ = plan
    before = [json.dumps(p.to_json(), sort_keys=True) for p in parts]
    total = Partial()
    for i in order:
        total.absorb(parts[i])
    assert total == whole
    assert [json.dumps(p.to_json(), sort_keys=True) for p in parts] == before  # the parts are not changed
