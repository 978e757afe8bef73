"""WRITE: output files -> a staging directory, then an atomic swap into place.

Pages are written as they are rendered (so nothing holds the whole site in memory).
Until `commit()` the previous output is untouched; a failed build calls `abort()` and
the staging directory disappears. Two outputs claiming one path is an error.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
from pathlib import Path, PurePosixPath

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..pages.render import OutputFile

MARKER = ".glossary-site"
"""Written into every output directory: proof that the tool owns (and may replace) it."""


def check_output_dir(config: SiteConfig, diags: Diagnostics, clean: bool = False) -> bool:
    """Refuse outputs that would overwrite the author's files."""
    out, root = config.output.resolve(), config.root.resolve()
    pos = SourcePos(str(config.output))
    if out == root or out in root.parents:
        diags.error(pos, "output directory contains the site's own sources", "Choose a separate directory, e.g. public/.")
        return False
    for name in ("terms", "content", "templates", "static"):
        src = root / name
        if out == src or src in out.parents:
            diags.error(pos, f"output directory is inside the source directory '{name}/'", "Use public/ instead.")
            return False
    if out.exists() and not out.is_dir():
        diags.error(pos, "output path exists and is not a directory")
        return False
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists() and not clean:
        diags.error(pos, "output directory holds files this tool did not write; refusing to replace it",
                    "Pass --clean to replace it anyway, or choose another --output.")
        return False
    return True


def safe_rel(rel: str) -> str | None:
    """A normalised relative path, or None when it could escape the output directory."""
    if "\0" in rel or "\\" in rel:
        return None
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("..", ".", "") for part in path.parts):
        return None
    return path.as_posix()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (renameat2 with RENAME_EXCHANGE); False where unsupported."""
    libc = _libc()
    if libc is None:
        return False
    return libc.renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0  # AT_FDCWD, RENAME_EXCHANGE


@functools.lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc if hasattr(libc, "renameat2") else None
    except OSError:
        return None


class OutputWriter:
    """Collects one build's output in a staging directory, then swaps it into place.

    Pages unchanged since the last build are only `claim`ed; at commit they are
    hard-linked from the current output into staging, so the swap stays atomic while
    nothing unchanged is rendered or rewritten. A build that changed nothing swaps nothing.
    """

    def __init__(self, output: Path, diags: Diagnostics):
        self.output = output
        self.diags = diags
        self.staging = output.parent / f".{output.name}.staging"
        self.owners: dict[str, str] = {}
        self.written: list[str] = []
        self.kept: list[str] = []
        self._ready = False

    def ensure_staging(self) -> None:
        if self._ready:
            return
        self.recover()
        # An existing staging directory is the site before last (left by the last exchange) or
        # the remains of an interrupted build: commit() reconciles it file by file, so whatever
        # it holds, only pages that changed cost anything.
        self.staging.mkdir(parents=True, exist_ok=True)
        self._ready = True

    def claim(self, rel: str, source: str, written: bool) -> bool:
        """Register an output path (written by a worker, or kept as it is); False on collision."""
        if rel in self.owners:
            owner = self.owners[rel]
            ours, theirs = (source, owner) if source in _BUILT_IN else (owner, source)
            if ours in _BUILT_IN and theirs not in _BUILT_IN:  # said at the author's file, with a way out
                self.diags.error(SourcePos(theirs), f"output path '{rel}' is where this site publishes {_BUILT_IN[ours]}",
                                 _give_way(rel))  # fmt: skip
            else:
                self.diags.error(SourcePos(source), f"output path '{rel}' is also produced by {owner}",
                                 "Rename or move one of them, or give the page another slug or url.")
            return False
        self.owners[rel] = source
        (self.written if written else self.kept).append(rel)
        return True

    def write(self, file: OutputFile | None) -> None:
        rel = self.reserve(file.rel, file.source) if file is not None else None
        if rel is not None:
            write_new(self.staging / rel, file.data)

    def reserve(self, rel: str, source: str) -> str | None:
        """Claim a path about to be written into staging (by this process or a worker): its
        normalised form, or None when it is unsafe or taken (reported)."""
        safe = safe_rel(rel)
        if safe is None:
            self.diags.error(SourcePos(source), f"refusing to write outside the output directory: {rel!r}")
            return None
        if not self.claim(safe, source, written=True):
            return None
        self.ensure_staging()
        return safe

    def abort(self) -> None:
        self._ready = False  # staging is never published as it is: the next commit reconciles it

    def commit(self, keep_from: Path | None, removed: list[str] = (), force: bool = False) -> None:
        """Publish this build.

        The kept pages are hard-linked from the current output into staging, then staging
        and the output are exchanged in one atomic rename (Linux renameat2), so a build killed
        at any point leaves the old site or the new one, never a mix.
        """
        if not self.written and not removed and not force:
            self.abort()  # nothing changed: the output already is this build
            return
        self.ensure_staging()
        self._reconcile(keep_from or self.output)
        (self.staging / MARKER).write_text("Built by glossary-site; replaced whole on every build.\n")
        if self.output.exists() and _exchange(self.staging, self.output):
            pass  # staging now holds the old site: the next build starts from it
        else:
            old = self.output.parent / f".{self.output.name}.old"
            if old.exists():
                shutil.rmtree(old)
            if self.output.exists():
                os.replace(self.output, old)  # recover() puts it back if a crash comes next
            os.replace(self.staging, self.output)
            shutil.rmtree(old, ignore_errors=True)
        self._ready = False

    def _reconcile(self, current: Path) -> None:
        """Make staging hold exactly this build: its written pages are there already; every kept
        page must be the current output's file (a hard link, so nothing is copied); anything
        else goes. Costs a stat per page plus the pages that changed since the staging tree
        was last published, instead of linking every page of the site anew."""
        wanted = set(self.written) | set(self.kept) | {MARKER}
        _prune(str(self.staging), "", wanted)
        made: set[Path] = set()
        for rel in self.kept:
            target, source = self.staging / rel, current / rel
            try:
                if os.stat(target).st_ino == os.stat(source).st_ino:
                    continue
                os.unlink(target)
            except FileNotFoundError:
                if target.parent not in made:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made.add(target.parent)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)

    def recover(self) -> None:
        """Without renameat2, a crash between the two renames of a swap leaves only `.NAME.old`: put it back."""
        old = self.output.parent / f".{self.output.name}.old"
        if old.is_dir() and not self.output.exists():
            os.replace(old, self.output)


def _prune(root: str, prefix: str, wanted: set[str]) -> bool:
    """Delete every file under root/prefix not in `wanted` (site-relative paths), and folders
    left empty by that; True if this folder is now empty. scandir and plain strings: at
    11,000 pages, os.walk with relpath cost a second."""
    empty = True
    with os.scandir(f"{root}/{prefix}" if prefix else root) as entries:
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if _prune(root, f"{rel}/", wanted):
                    os.rmdir(entry.path)  # a deleted page's folder: a clean build would not have it
                else:
                    empty = False
            elif rel in wanted:
                empty = False
            else:
                os.unlink(entry.path)
    return empty


_BUILT_IN = {"index": "a page of its own", "search index": "its search index"}
"""The sources named by the pages and files this tool makes (a listing, the search page, ...)."""
_OPTIONS = {"search/": "search", "pagefind/": "search", "graph/": "graph"}


def _give_way(rel: str) -> str:
    option = next((name for prefix, name in _OPTIONS.items() if rel.startswith(prefix)), None)
    if option is None:
        return "Give the page another slug or url."
    return (f"Give the page another slug or url, or set '{option}: false' (in site.yaml, or under"
            " [params.glossary] in hugo.toml) to leave the place to it.")


def can_exchange() -> bool:
    return _libc() is not None


def prepare_staging(output: Path, differing: set[str] | None, coming: set[str] = frozenset()) -> Path | None:
    """`build`'s edit path: make the staging directory a copy of the output, at the cost of
    what differs, for a few pages to be written into it and swapped in (swap_in).

    Staging holds the site before last (the last exchange left it there); `differing` is
    where it can differ from the output (what the last publish wrote or removed; None:
    unknown, then it is cloned from the output by hard links). Those paths are re-linked
    from the output, except those `coming` (about to be written anew). None where the
    exchange is unsupported."""
    staging = output.parent / f".{output.name}.staging"
    if _libc() is None or not output.is_dir():
        return None
    if differing is None or not staging.is_dir():
        _mirror(str(output), str(staging))
        differing = set()
    for rel in sorted(differing - coming):
        target = staging / rel
        target.unlink(missing_ok=True)
        if (output / rel).is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(output / rel, target)
    return staging


def _mirror(source: str, target: str) -> None:
    """Make `target` hold hard links to exactly the files of `source`: a file already linked
    (same inode) costs a directory entry read, anything else is linked anew or removed."""
    os.makedirs(target, exist_ok=True)
    with os.scandir(target) as it:
        there = {entry.name: entry for entry in it}
    with os.scandir(source) as it:
        for entry in it:
            have = there.pop(entry.name, None)
            if entry.is_dir(follow_symlinks=False):
                if have is not None and not have.is_dir(follow_symlinks=False):
                    os.unlink(have.path)
                _mirror(entry.path, f"{target}/{entry.name}")
                continue
            if have is not None:
                if not have.is_dir(follow_symlinks=False) and have.inode() == entry.inode():
                    continue
                shutil.rmtree(have.path) if have.is_dir(follow_symlinks=False) else os.unlink(have.path)
            os.link(entry.path, f"{target}/{entry.name}")
    for entry in there.values():
        shutil.rmtree(entry.path) if entry.is_dir(follow_symlinks=False) else os.unlink(entry.path)


def swap_in(output: Path, staging: Path, files: list[OutputFile], removed: list[str]) -> bool:
    """Write the pages not yet in staging, remove `removed`, and exchange it with the output in
    one atomic rename, as a full build's commit does."""
    for rel in removed:
        (staging / rel).unlink(missing_ok=True)
    for file in files:
        if file.data is not None:  # else a worker wrote it there already
            write_new(staging / file.rel, file.data)
    return _exchange(staging, output)


def write_new(target: Path, data: bytes) -> None:
    """Write a staged page as a new file: the path may be a hard link to a published page,
    which must never change under a reader."""
    try:
        target.unlink()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def overwrite_in_place(output: Path, files: list[OutputFile]) -> None:
    """The dev server's fast paths: every page already rendered without error, now written over
    the old ones. Rewriting a file's bytes in place is several times cheaper than creating a
    new file and renaming it over the old one (which makes the file system free the old blocks
    there and then); the output is the server's own, rebuilt whole when it restarts."""
    for file in files:
        target = output / file.rel
        try:
            handle = open(target, "r+b")
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = open(target, "wb")
        with handle:
            handle.write(file.data)
            handle.truncate()
