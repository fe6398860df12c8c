"""A cache of linting results keyed by content, so unchanged replies are not parsed again.

What is cached is the expensive part of linting one reply: the rule and check findings in the reply's own
character offsets, as ``(code, start, end, message, severity, score)``, and the customer's situation. Everything that depends on where the reply came
from (the file's lines and columns, suppression comments, ``--select``/``--ignore``, severity overrides)
is worked out again on every run, so one cache entry serves any selection and any file holding the text.

An entry's key is a SHA-256 of the text, the customer's message and a fingerprint of everything else the
findings depend on: the empathylint code, spaCy and its English pipeline, every rule pack, and the model
(`fingerprint`). Change any of them and old entries are simply never hit again (and age out).

Entries live in memory (an LRU of ``memory_size``) and, given a folder, in an SQLite file there, so a CI job
that lints the same macros on every push skips the ones that did not change (``check --cache-dir``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sqlite3
import threading
import time
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from .config import Config

#: One finding: rule code, start and end offsets in the linted text, the message (None: the rule's own), the
#: severity the check chose (None: the rule's own) and the model's score (None: no model behind it).
FindingRecord = tuple[str, int, int, "str | None", "str | None", "float | None"]
#: What linting one ``(text, customer)`` gives: ``{"findings": [FindingRecord, ...], "situation": dict | None}``
#: (the customer's `situation.Situation` as a dict; None without a customer). JSON-ready, as cached.
Worked = dict

DB_NAME = "results-v3.sqlite3"
#: The on-disk cache is trimmed to this many entries (least recently used first) when a run closes it.
DEFAULT_DISK_ENTRIES = 200_000
DEFAULT_MEMORY_ENTRIES = 50_000


def default_cache_dir() -> Path:
    """The per-user cache folder (``~/.cache/empathylint`` on Linux, the platform's equivalent elsewhere)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("empathylint", appauthor=False))


class ResultCache:
    """Findings by content key, in memory and optionally in ``directory``. Thread-safe.

    A folder that cannot be written (read-only, full disk) is reported once as a warning and the cache goes
    on in memory only: a cache must never fail a lint run.
    """

    def __init__(self, directory: str | Path | None = None, memory_size: int = DEFAULT_MEMORY_ENTRIES,
                 disk_entries: int = DEFAULT_DISK_ENTRIES) -> None:
        self.directory = Path(directory) if directory is not None else None
        self.memory_size = memory_size
        self.disk_entries = disk_entries
        self._memory: OrderedDict[str, Worked] = OrderedDict()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._db_failed = False
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(fingerprint: str, text: str, customer: str | None) -> str:
        digest = hashlib.sha256()
        for part in (fingerprint, text, customer or ""):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, Worked]:
        """The cached findings of those keys that have an entry."""
        found: dict[str, Worked] = {}
        with self._lock:
            for key in keys:
                value = self._memory.get(key)
                if value is not None:
                    self._memory.move_to_end(key)
                    found[key] = value
            rest = [k for k in dict.fromkeys(keys) if k not in found]
            if rest and self._connect():
                found.update(self._db_get(rest))
                for key in rest:
                    if key in found:
                        self._remember(key, found[key])
            self.hits += sum(k in found for k in keys)
            self.misses += sum(k not in found for k in keys)
        return found

    def put_many(self, entries: Iterable[tuple[str, Worked]]) -> None:
        entries = list(entries)
        if not entries:
            return
        with self._lock:
            for key, value in entries:
                self._remember(key, value)
            if self._connect():
                now = int(time.time())
                rows = [(k, json.dumps(v, ensure_ascii=False, separators=(",", ":")), now) for k, v in entries]
                self._db_run(lambda db: db.executemany(
                    "INSERT OR REPLACE INTO results (key, findings, used) VALUES (?, ?, ?)", rows))

    def close(self) -> None:
        """Trim the on-disk cache to ``disk_entries`` and close it."""
        with self._lock:
            if self._db is None:
                return
            self._db_run(lambda db: db.execute(
                "DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY used DESC LIMIT -1 OFFSET ?)",
                (self.disk_entries,)))
            self._db.close()
            self._db = None

    def _remember(self, key: str, value: Worked) -> None:
        if self.memory_size <= 0:
            return
        self._memory[key] = value
        self._memory.move_to_end(key)
        while len(self._memory) > self.memory_size:
            self._memory.popitem(last=False)

    def _connect(self) -> bool:
        if self._db is not None:
            return True
        if self.directory is None or self._db_failed:
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.directory / DB_NAME, timeout=30, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS results "
                       "(key TEXT PRIMARY KEY, findings TEXT NOT NULL, used INTEGER NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
            return False
        self._db = db
        return True

    def _db_get(self, keys: list[str]) -> dict[str, Worked]:
        found: dict[str, Worked] = {}
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters is 999 in old builds
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db_run(lambda db: db.execute(
                f"SELECT key, findings FROM results WHERE key IN ({marks})", chunk).fetchall())
            for key, findings in rows or ():
                value = json.loads(findings)
                found[key] = {"findings": [tuple(f) for f in value["findings"]], "situation": value["situation"]}
        if found:
            now = int(time.time())
            self._db_run(lambda db: db.executemany("UPDATE results SET used = ? WHERE key = ?",
                                                   [(now, k) for k in found]))
        return found

    def _db_run(self, action):
        try:
            return action(self._db)
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None

    def _give_up(self, exc: Exception) -> None:
        if not self._db_failed:
            warnings.warn(f"empathylint: result cache in {self.directory} is not usable ({exc}); "
                          "going on without it", RuntimeWarning, stacklevel=3)
        self._db_failed = True
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None


def fingerprint(config: "Config") -> str:
    """What the findings of a text depend on besides the text: empathylint's own code, spaCy and the English
    pipeline, every rule pack (bundled and extra), and the classifier settings (with the precision it runs in on
    this machine) and files."""
    from .pipeline import english_pipeline_name
    from .resources import models_dir, rules_dir

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            data = str(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)

    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):  # a changed engine or check changes results
        stat = path.stat()
        add(path.relative_to(package), stat.st_size, stat.st_mtime_ns)
    english = english_pipeline_name()
    add(english, _version(english), _version("spacy"))
    for folder in (rules_dir(), *config.extra_rules):
        for path in sorted(Path(folder).rglob("*.y*ml")):
            add(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    add(config.use_model)
    if config.use_model:
        from .classifier.precision import resolve

        add(config.model, sorted((config.label_map or {}).items()), resolve(config.precision))
        folders = [models_dir()]
        if config.model and Path(config.model).is_dir():
            folders.append(Path(config.model))
        for folder in folders:
            for path in sorted(folder.iterdir()) if folder.is_dir() else ():
                stat = path.stat()
                add(path.name, stat.st_size, stat.st_mtime_ns)
    return digest.hexdigest()


def _version(distribution: str) -> str:
    for name in (distribution, distribution.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "?"
