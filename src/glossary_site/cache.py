"""The build cache: what earlier builds computed, keyed by content digests.

It lives in SITE/.glossary-cache/ (safe to delete at any time) and is keyed by the engine
version, so an upgrade starts fresh. A cache that cannot be read is ignored with a note;
it is written to a temporary file and renamed, so a crash never leaves it half-written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Diagnostics, SourcePos

CACHE_DIR = ".glossary-cache"
FORMAT = 2


def digest(*parts: Any) -> str:
    """A stable digest of plain data (str, bytes, numbers, tuples, dataclasses ...)."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


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
    bodies: dict[str, tuple[str, bytes]] = field(default_factory=dict, repr=False, compare=False)
    """Article source -> (body key, packed rendered body), kept by the dev server only; never saved."""
    live: Any = field(default=None, repr=False, compare=False)
    """The last build's in-memory state (delta.Live) for the dev server; never saved."""

    @classmethod
    def load(cls, root: Path, diags: Diagnostics) -> "BuildCache":
        path = root / CACHE_DIR / "build.pickle"
        if not path.exists():
            return cls()
        try:
            with path.open("rb") as handle:
                version, payload = pickle.load(handle)
            if version != (FORMAT, __version__):
                return cls()
            return cls(**payload)
        except Exception as exc:  # any unreadable cache is the same problem: start fresh
            diags.note(SourcePos(f"{CACHE_DIR}/build.pickle"), f"ignoring an unreadable build cache ({type(exc).__name__})")
            return cls()

    def save(self, root: Path) -> None:
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        tmp = folder / f"build.pickle.{os.getpid()}.tmp"
        payload = {"parsed": self.parsed, "docs": self.docs, "pages": self.pages, "entries": self.entries,
                   "output": self.output}
        with tmp.open("wb") as handle:
            pickle.dump(((FORMAT, __version__), payload), handle, protocol=5)
        os.replace(tmp, folder / "build.pickle")
