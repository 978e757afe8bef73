"""Rendered article bodies kept between builds.

A page whose Markdown did not change but which shows something that did (a linked term's
summary in its "Terms in this article") is re-assembled around its kept body instead of
being parsed, linked and highlighted again. A body's key is a digest of the glossary's
names and the article's text: whatever else changes, the body is the same.

The dev server keeps bodies in memory. `build` keeps them in SITE/.glossary-cache/bodies/,
one file per key, written by whichever process rendered the body; the index (source ->
key) is saved with the build cache, and files no longer indexed are swept when it is.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: `build` must not import markdown-it to learn it is up to date
    from ..linking.markdown import Rendered


def pack(rendered: Rendered) -> bytes:
    """Compressed, a body costs a fifth of its size."""
    return zlib.compress(pickle.dumps(rendered, protocol=5), 1)


def unpack(body: bytes) -> Rendered:
    return pickle.loads(zlib.decompress(body))


def write_body(folder: Path, key: str, body: bytes) -> None:
    """Atomically: a build killed mid-write leaves no half body under a valid key."""
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    tmp.write_bytes(body)
    os.replace(tmp, folder / key)


class BodyStore:
    def __init__(self, folder: Path | None = None, index: dict[str, str] | None = None):
        self.folder = folder
        """None: bodies are kept in memory (the dev server), or not at all."""
        self.index = index if index is not None else {}
        """Article source -> key of its kept body."""
        self._memory: dict[str, bytes] = {}

    def prepare(self) -> Path | None:
        """The folder, created if need be, where workers write new bodies (None: keep none on disk)."""
        if self.folder is None:
            return None
        try:
            self.folder.parent.mkdir(exist_ok=True)
            ignore = self.folder.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n")
            self.folder.mkdir(exist_ok=True)
        except OSError:  # a read-only site still builds, only without kept bodies
            self.folder = None
        return self.folder

    def get(self, source: str, key: str) -> bytes | None:
        if self.index.get(source) != key:
            return None
        if self.folder is None:
            return self._memory.get(key)
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def put(self, source: str, key: str, body: bytes | None) -> None:
        """`body` None: a worker wrote it into the folder already."""
        if body is not None:
            if self.folder is None:
                self._memory.pop(self.index.get(source, ""), None)
                self._memory[key] = body
            else:
                write_body(self.folder, key, body)
        self.index[source] = key

    def retain(self, sources) -> None:
        """Forget the bodies of sources that are gone."""
        for source in self.index.keys() - set(sources):
            self._memory.pop(self.index.pop(source), None)

    def sweep(self) -> None:
        """Delete body files no source uses any more (older versions, deleted articles)."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted = set(self.index.values())
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name not in wanted and entry.is_file():
                    os.unlink(entry.path)
