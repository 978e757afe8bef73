"""The build cache: what earlier builds computed, keyed by content digests.

It lives in SITE/.glossary-cache/ (safe to delete at any time) and is keyed by the engine:
the version, and the files of this package and of the libraries that render
(up_to_date.engine()), so an upgrade of any of them, or an edit of this package, starts
fresh. A cache that cannot be read is ignored with a note.
It is saved as rows of a SQLite file (cache_store.py), only those that changed, in one
transaction: a crash never leaves it half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..content.diagnostics import Diagnostics, SourcePos
from .cache_store import BLOB, Rows, Store
from .kept_bodies import BodyStore
from .up_to_date import engine_key

CACHE_DIR = ".glossary-cache"
FORMAT = 18


def with_body(doc, body: str):
    """`dataclasses.replace(doc, body=body)` for a frozen dataclass, ten times cheaper:
    a cached document gets its body back on every build."""
    copy = object.__new__(type(doc))
    copy.__dict__.update(doc.__dict__)
    object.__setattr__(copy, "body", body)
    return copy


@dataclass
class BuildCache:
    parsed: dict[str, tuple[str, Any, tuple]] = field(default_factory=dict)
    """Source path -> (text digest, parsed document without body or None, its diagnostics)."""
    docs: dict[str, tuple] = field(default_factory=dict)
    """Source path -> (link key, linked result) for terms; (source digest, the terms it links,
    the sentence of each first mention) for articles (article_contexts)."""
    pages: dict[str, str] = field(default_factory=dict)
    """Output path -> digest of every input of that page at the last successful build."""
    entries: dict[str, Any] = field(default_factory=dict)
    """Digest of an article's list entry inputs -> its rendered HTML."""
    output: str = ""
    """The output directory those pages were written to."""
    units: tuple[str, dict[str, str]] = ("", {})
    """(article base key, term slug -> label digest) the article page keys were made with."""
    search: tuple[str, ...] = ()
    """search_index.SearchPlan.keys of the published search shards (() when there are none)."""
    bodies: BodyStore = field(default_factory=BodyStore, repr=False, compare=False)
    """Rendered article bodies: in memory for the dev server, in CACHE_DIR/bodies/ for `build`."""
    live: Any = field(default=None, repr=False, compare=False)
    """The last build's state (last_build.LastBuild): the dev server's fast paths start from it, and `build`
    saves it for its own edit path."""
    dirty: bool = field(default=False, repr=False, compare=False)
    """Set by a build that changed anything saved: an unchanged cache is not written again."""
    store: Any = field(default=None, repr=False, compare=False)
    """The Store this cache was loaded from (None: in memory only, or not saved yet)."""
    root: Path | None = field(default=None, repr=False, compare=False)
    _loaded: dict = field(default_factory=dict, repr=False, compare=False)
    """Shallow copies of the sections as loaded or last saved: save() writes the difference."""

    def remember_parse(self, rel: str, key: str, doc, ok: bool, items: tuple = ()) -> None:
        """Keep a parsed document without its body (the body is the text after the front matter,
        restored from the file on the next build)."""
        self.parsed[rel] = (key, (with_body(doc, "") if doc is not None else None, ok, tuple(items)))

    def remember_article(self, result, source_digest: str, body_key: str, on_disk: bool = False) -> None:
        """An article page just rendered (an article_pages.ArticleResult): the terms it links and
        its kept body (`on_disk`: a worker wrote it to the bodies folder, so only the index learns
        its key)."""
        self.docs[result.source] = (source_digest, result.terms, result.contexts)
        if result.body is not None or on_disk:
            self.bodies.put(result.source, body_key, result.body)

    @classmethod
    def load(cls, root: Path, diags: Diagnostics, lazy: bool = False, create: bool = False) -> "BuildCache":
        """The saved cache, whole (a full build), or `lazy`: rows read as they are used (an edit).
        `create`: a new, empty store when there is none (a site that cannot be written gets none)."""
        folder = root / CACHE_DIR
        try:
            return cls._read(open_store(folder, create), root, lazy)
        except Exception as exc:  # any unreadable cache is the same problem: start fresh
            diags.note(SourcePos(f"{CACHE_DIR}/{STORE}"), f"ignoring an unreadable build cache ({type(exc).__name__})")
            _discard(folder / STORE)
        try:
            return cls._read(open_store(folder, create), root, lazy)
        except Exception:
            return cls(bodies=BodyStore(folder / "bodies"), root=root)

    @classmethod
    def _read(cls, store: Store | None, root: Path, lazy: bool) -> "BuildCache":
        folder = root / CACHE_DIR
        if store is None:
            return cls(bodies=BodyStore(folder / "bodies"), root=root)
        if lazy:
            cache = cls(**{name: Rows(store, name) for name in SECTIONS},
                        bodies=BodyStore(folder / "bodies", Rows(store, "bodies")))  # fmt: skip
        else:
            cache = cls(**{name: store.section(name) for name in SECTIONS},
                        bodies=BodyStore(folder / "bodies", store.section("bodies")))  # fmt: skip
            cache._remember_saved()
        cache.output, cache.units, cache.search = store.get("meta", BLOB, ("", ("", {}), ()))
        cache.store, cache.root = store, root
        return cache

    def changes(self, extra: dict | None = None) -> dict:
        """What differs from the saved cache: changed rows of every section, and the blobs."""
        changes = dict(extra or {})
        for name in (*SECTIONS, "bodies"):
            value = self.bodies.index if name == "bodies" else getattr(self, name)
            if isinstance(value, Rows):
                changes[name] = value.changes()
                continue
            old = self._loaded.get(name, {})
            rows = {k: v for k, v in value.items() if (o := old.get(k, _MISSING)) is not v and o != v}
            changes[name] = (rows, old.keys() - value.keys())
        changes["meta"] = ({BLOB: (self.output, self.units, self.search)}, ())
        return changes

    def save(self, root: Path, extra: dict | None = None) -> None:
        """Write what changed (and `extra`: more sections, e.g. the state edits start from)."""
        if not self.dirty and not extra and self.store is not None:
            return
        store = self.store if self.store is not None else open_store(root / CACHE_DIR, create=True)
        if store is None:
            return
        store.write(self.changes(extra))
        self.store = store
        self.dirty = False
        if isinstance(self.pages, Rows):  # an edit: old bodies are left to the next full build
            return
        self._remember_saved()
        self.bodies.sweep()

    def _remember_saved(self) -> None:
        """Shallow copies of what the store now holds: the next save writes the difference."""
        self._loaded = {name: dict(getattr(self, name)) for name in SECTIONS}
        self._loaded["bodies"] = dict(self.bodies.index)


def article_contexts(row) -> tuple:
    """The sentences of an article's row in BuildCache.docs, one per term it links (None where
    there is none). The same objects as the build's Backlinks holds: a copy of a million
    sentences (the large bench corpus) would cost 170 MB."""
    terms = row[1] if len(row) > 1 else ()
    return row[2] if len(row) > 2 and len(row[2]) == len(terms) else (None,) * len(terms)


SECTIONS = ("parsed", "docs", "pages", "entries")
"""The dict fields saved as rows (with the body index, saved as "bodies")."""
STORE = "cache.sqlite"
COMPILED = "jinja"
"""Jinja's bytecode cache (templates.make_environment)."""
_MISSING = object()


def open_store(folder: Path, create: bool = False) -> Store | None:
    """The cache's store, or None when there is none yet (and `create` is not asked) or it
    cannot be created (a read-only site builds without a cache)."""
    path = folder / STORE
    if not path.exists():
        if not create:
            return None
        try:
            folder.mkdir(exist_ok=True)
            (folder / ".gitignore").write_text("*\n")
        except OSError:
            return None
    return Store(path, (FORMAT, __version__, engine_key()))


def _discard(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal")):
        try:
            os.unlink(name)
        except OSError:
            pass
