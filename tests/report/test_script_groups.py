"""Repeated replies worded apart but meaning the same join one group (`scripts.find_scripts`): each template
key, most used first, joins the nearest group's first key when their cosine reaches `SCRIPT_SIMILARITY`,
the first such group on a tie, and starts a group of its own otherwise."""

from __future__ import annotations

import torch

from empathylint.report.scripts import ScriptTable, find_scripts


class FixedEncoder:
    """Unit vectors chosen per text, so that every similarity in the test is known."""

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors

    def embed(self, texts):
        return torch.nn.functional.normalize(torch.tensor([self.vectors[t] for t in texts]), dim=-1)


def table_of(uses: dict[str, int]) -> ScriptTable:
    table = ScriptTable()
    for key, count in uses.items():
        for n in range(count):
            table.add(key, f"{key}-{n}/m", f"{key}-{n}", ("billing", "delivery")[n % 2], f"reply {key}", False)
    return table


def test_near_replies_join_the_first_group_whose_centre_is_near_enough():
    table = table_of({"a": 5, "b": 4, "c": 3, "d": 2})
    encoder = FixedEncoder({"reply a": [1, 0, 0], "reply b": [0, 1, 0],
                            "reply c": [1, 1, 0],  # equally near a and b (0.71), below the threshold
                            "reply d": [1, 0.1, 0]})  # 0.995 to a
    groups = {row["id"]: row["count"] for row in find_scripts(table, encoder)}
    assert groups == {"a": 7, "b": 4, "c": 3}


def test_a_tie_between_two_near_centres_goes_to_the_first():
    # a and b are 0.805 apart (two groups); c is 0.95 from each, the very same float: it joins a, used more
    table = table_of({"a": 5, "b": 4, "c": 3})
    encoder = FixedEncoder({"reply a": [0.95, 0.3122, 0], "reply b": [0.95, -0.3122, 0], "reply c": [1, 0, 0]})
    counts = {row["id"]: row["count"] for row in find_scripts(table, encoder)}
    assert counts == {"a": 8, "b": 4}
