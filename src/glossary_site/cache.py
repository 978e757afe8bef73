"""The build cache: what earlier builds computed, keyed by content digests.

It lives in SITE/.glossary-cache/ (safe to delete at any time) and is keyed by the engine
version, so an upgrade starts fresh. A cache that cannot be read is ignored with a note;
it is written to a temporary file and renamed, so a crash never leaves it half-written.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .bodies import BodyStore
from .diagnostics import Diagnostics, SourcePos

CACHE_DIR = ".glossary-cache"
FORMAT = 6


def digest(*parts: Any) -> str:
    """A stable digest of plain data (str, bytes, numbers, tuples, dataclasses ...).

    The pickler runs without its memo ("fast" mode): with it, equal data pickled to different
    bytes when one copy shared a string object and the other held an equal copy, so the dev
    server's fast path (freshly parsed strings) and a full build (shared ones) disagreed on
    page keys and the next build re-rendered pages that had not changed."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def text_digest(key: str, text: str) -> str:
    """digest() for the common case of a key and a file's text, without pickling the text."""
    return hashlib.blake2b(key.encode() + b"\0" + text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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
    docs: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Source path -> (link key, linked result) for terms and articles."""
    pages: dict[str, str] = field(default_factory=dict)
    """Output path -> digest of every input of that page at the last successful build."""
    entries: dict[str, Any] = field(default_factory=dict)
    """Digest of an article's list entry inputs -> its rendered HTML."""
    output: str = ""
    """The output directory those pages were written to."""
    units: tuple[str, dict[str, str]] = ("", {})
    """(article base key, term slug -> ref digest) the article page keys were made with."""
    search: str = ""
    """search_index.index_key of the published search bundle ('' when there is none)."""
    bodies: BodyStore = field(default_factory=BodyStore, repr=False, compare=False)
    """Rendered article bodies: in memory for the dev server, in CACHE_DIR/bodies/ for `build`."""
    live: Any = field(default=None, repr=False, compare=False)
    dirty: bool = field(default=False, repr=False, compare=False)
    """Set by a build that changed anything saved: an unchanged cache is not written again."""
    """The last build's in-memory state (delta.Live) for the dev server; never saved."""

    def remember_parse(self, rel: str, key: str, doc, ok: bool, items: tuple = ()) -> None:
        """Keep a parsed document without its body (the body is the text after the front matter,
        restored from the file on the next build)."""
        self.parsed[rel] = (key, (with_body(doc, "") if doc is not None else None, ok, tuple(items)))

    @classmethod
    def load(cls, root: Path, diags: Diagnostics) -> "BuildCache":
        path = root / CACHE_DIR / "build.pickle"
        fresh = cls(bodies=BodyStore(root / CACHE_DIR / "bodies"))
        if not path.exists():
            return fresh
        try:
            with path.open("rb") as handle:
                version, payload = pickle.load(handle)
            if version != (FORMAT, __version__):
                return fresh
            index = payload.pop("bodies")
            return cls(**payload, bodies=BodyStore(root / CACHE_DIR / "bodies", index))
        except Exception as exc:  # any unreadable cache is the same problem: start fresh
            diags.note(SourcePos(f"{CACHE_DIR}/build.pickle"), f"ignoring an unreadable build cache ({type(exc).__name__})")
            return fresh

    def save(self, root: Path) -> None:
        if not self.dirty and (root / CACHE_DIR / "build.pickle").exists():
            return
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        tmp = folder / f"build.pickle.{os.getpid()}.tmp"
        payload = {"parsed": self.parsed, "docs": self.docs, "pages": self.pages, "entries": self.entries,
                   "output": self.output, "units": self.units, "search": self.search,
                   "bodies": self.bodies.index if self.bodies.folder is not None else {}}
        with tmp.open("wb") as handle:
            pickle.dump(((FORMAT, __version__), payload), handle, protocol=5)
        os.replace(tmp, folder / "build.pickle")
        self.bodies.sweep()
        self.dirty = False
