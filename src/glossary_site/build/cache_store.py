"""The build cache on disk: one SQLite file of (section, key, pickled value) rows.

A full build reads whole sections; an edit of a few files (`build` after saving one
article) reads and rewrites only the rows it needs, which a single pickle of the whole
cache cannot offer: at 10,000 articles loading that pickle alone took longer than the
whole edit may. Every save is one SQLite transaction, so a build killed at any moment
leaves the previous cache or the new one; a file that cannot be read is a fresh cache.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BLOB = ""
"""The key of a section stored as one value."""
_MISSING = object()
WHOLE = 2000
"""Rows.fetch of more keys than this reads the whole section: one scan is cheaper than
chunks of key lookups (8,800 of 10,000 entries: 0.14 s against 0.24 s)."""


class Store:
    def __init__(self, path: Path, version: tuple):
        """A file written by another version of the format is emptied: its rows could not be trusted."""
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA synchronous=OFF")  # a cache: a crash loses at most a rebuild, never the site
        self.db.execute("CREATE TABLE IF NOT EXISTS kv (section TEXT, key TEXT, value BLOB, PRIMARY KEY (section, key))")
        if self.get("format", BLOB) != version:
            self.db.execute("DELETE FROM kv")
            self.write({"format": ({BLOB: version}, ())})

    def get(self, section: str, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM kv WHERE section=? AND key=?", (section, key)).fetchone()
        return default if row is None else pickle.loads(row[0])

    def has(self, section: str, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM kv WHERE section=? AND key=?", (section, key)).fetchone() is not None

    def raw(self, section: str) -> dict[str, bytes]:
        return dict(self.db.execute("SELECT key, value FROM kv WHERE section=?", (section,)))

    def section(self, section: str) -> dict[str, Any]:
        return {key: pickle.loads(value) for key, value in self.db.execute(
            "SELECT key, value FROM kv WHERE section=? ORDER BY key", (section,))}  # fmt: skip

    def write(self, changes: dict[str, tuple[dict[str, Any], Any]]) -> None:
        """Section -> (rows to set, keys to delete), all in one transaction."""
        with _transaction(self.db):
            for section, (rows, deleted) in changes.items():
                self.db.executemany("DELETE FROM kv WHERE section=? AND key=?", [(section, k) for k in deleted])
                self.db.executemany("INSERT OR REPLACE INTO kv VALUES (?, ?, ?)",
                                    [(section, k, pickle.dumps(v, protocol=5)) for k, v in rows.items()])  # fmt: skip

    def sync(self, section: str, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """The changes that make a section hold exactly `values` (by their pickled bytes:
        nothing to compare them with is loaded when a full build saves state it computed anew)."""
        old = self.raw(section)
        rows = {}
        for key, value in values.items():
            if old.pop(key, None) != pickle.dumps(value, protocol=5):
                rows[key] = value
        return rows, list(old)


@contextmanager
def _transaction(db):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class Rows(MutableMapping):
    """A section read row by row as it is used, remembering what was set or deleted.

    Iterating (or len) reads the whole section once; lookups before that read one row."""

    def __init__(self, store: Store, section: str):
        self.store, self.section = store, section
        self._values: dict[str, Any] = {}
        self._absent: set[str] = set()
        self._complete = False
        self.changed: dict[str, Any] = {}
        self.deleted: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        value = self._values.get(key, _MISSING)
        if value is _MISSING:
            if self._complete or key in self._absent:
                raise KeyError(key)
            value = self.store.get(self.section, key, _MISSING)
            if value is _MISSING:
                self._absent.add(key)
                raise KeyError(key)
            value = self._values[key] = self.decode(value)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._values[key] = value
        self._absent.discard(key)
        self.changed[key] = value
        self.deleted.discard(key)

    def __delitem__(self, key: str) -> None:
        self[key]  # KeyError when absent, as a dict
        del self._values[key]
        self._absent.add(key)
        self.changed.pop(key, None)
        self.deleted.add(key)

    def fetch(self, keys) -> None:
        """Read these rows (those not read yet) in a few queries instead of one each."""
        todo = [k for k in keys if k not in self._values and k not in self._absent] if not self._complete else []
        if len(todo) > WHOLE:
            self.load()
            return
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            rows = self.store.db.execute(f"SELECT key, value FROM kv WHERE section=? AND key IN ({','.join('?' * len(chunk))})",
                                         (self.section, *chunk))  # fmt: skip
            found = {key: self.decode(pickle.loads(value)) for key, value in rows}
            self._values.update(found)
            self._absent.update(k for k in chunk if k not in found)

    def peek(self, keys, pick) -> dict[str, Any]:
        """pick(key, value) of each of these rows that exists, read in a few queries and not
        kept (a row set or read already comes from memory): for what only needs a little of
        many big rows."""
        found, todo = {}, []
        for key in keys:
            value = self._values.get(key, _MISSING)
            if value is not _MISSING:
                found[key] = pick(key, value)
            elif not self._complete and key not in self._absent:
                todo.append(key)
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            rows = self.store.db.execute(f"SELECT key, value FROM kv WHERE section=? AND key IN ({','.join('?' * len(chunk))})",
                                         (self.section, *chunk))  # fmt: skip
            found.update((key, pick(key, self.decode(pickle.loads(value)))) for key, value in rows)
        return found

    def load(self) -> dict[str, Any]:
        """Every row, in one query: cheaper than a thousand lookups one by one."""
        if not self._complete:
            stored = {key: self.decode(value) for key, value in self.store.section(self.section).items()}
            for key in self._absent | self.deleted:
                stored.pop(key, None)
            stored.update(self._values)
            self._values, self._complete = stored, True
        return self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self.load())

    def __len__(self) -> int:
        return len(self.load())

    def changes(self) -> tuple[dict[str, Any], set[str]]:
        return {key: self.encode(value) for key, value in self.changed.items()}, self.deleted

    # How values are stored: as they are, unless a section says otherwise.
    @staticmethod
    def encode(value: Any) -> Any:
        return value

    @staticmethod
    def decode(value: Any) -> Any:
        return value


class NameRows(Rows):
    """Rows whose values are tuples of names, stored as one string: a thousand-name list
    is read in microseconds instead of a thousand strings being unpickled."""

    @staticmethod
    def encode(value: tuple[str, ...]) -> str:
        return "\n".join(value)

    @staticmethod
    def decode(value: str) -> tuple[str, ...]:
        return tuple(value.split("\n")) if value else ()
