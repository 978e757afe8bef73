"""LOAD: walk terms/ and content/ and return every source as text, sorted.

Decoding happens here, once: a BOM is dropped and CRLF/CR become LF, so every later
stage sees plain text and line numbers agree with what an editor shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .diagnostics import Diagnostics, SourcePos

Kind = Literal["term", "article", "section"]
"""A section is an `_index.md` of content/: the text of a section's page (or, at the top, the
home page's), as Hugo's branch bundles are."""

SOURCE_DIRS: dict[str, Kind] = {"terms": "term", "content": "article"}


@dataclass(frozen=True)
class SourceFile:
    rel: str
    """Path relative to the site root with forward slashes, used in every message."""
    kind: Kind
    text: str
    """Decoded text: no BOM, LF line endings."""
    path: str = ""
    """In a multilingual site, `rel` without its language folder or suffix ('content/ja/x.md'
    -> 'content/x.md'): slugs and URLs are made from it. '' : the same as `rel`."""

    @property
    def logical(self) -> str:
        return self.path or self.rel


def is_ignored_name(name: str) -> bool:
    """Editor temporaries and hidden files: never content, never a rebuild trigger."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig"))
        or name.endswith("#")
    )


def load_sources(root: Path, diags: Diagnostics, resources: list[tuple[str, str]] | None = None,
                 terms_dir: str = "terms") -> list[SourceFile]:  # fmt: skip
    """Every Markdown file under terms/ (or `terms_dir`, a folder of content/ that already holds
    a glossary) and content/, in a stable order. The other files of a leaf bundle (a folder of
    content/ with an index.md: pictures, downloads, even Markdown, as in Hugo) are not sources:
    they go to `resources` as (file, the bundle's index.md)."""
    found: list[SourceFile] = []
    real_root = root.resolve()
    for dirname, kind in SOURCE_DIRS.items():
        base = root / dirname
        if not base.is_dir() or (kind == "term" and terms_dir != "terms"):
            continue
        entries = list(_walk(str(root), dirname))
        bundles = {rel.rsplit("/", 1)[0] for rel, e in entries if e.name == "index.md"
                   and kind_of(rel, terms_dir) == "article"}  # fmt: skip
        for rel, entry in entries:
            name = entry.name
            if is_ignored_name(name) or (kind_of(rel, terms_dir) is None and name.lower().endswith(".md")):
                continue
            owner = _bundle_of(rel, bundles)
            if owner is not None and rel != f"{owner}/index.md":
                if resources is not None and not entry.is_symlink():
                    resources.append((rel, f"{owner}/index.md"))
                continue
            if not name.lower().endswith(".md"):
                diags.note(SourcePos(rel), "ignored: not a Markdown (.md) file")
                continue
            if entry.is_symlink() and not _inside(Path(entry.path).resolve(), real_root):
                diags.error(
                    SourcePos(rel),
                    "symbolic link points outside the site directory; refusing to read it",
                    "Copy the file into the site instead.",
                )
                continue
            source = _read(entry.path, rel, kind_of(rel, terms_dir) or kind, diags)
            if source is not None:
                found.append(source)
    return sorted(found, key=lambda s: s.rel)


def markdown_paths(root: Path) -> list[str]:
    """The site-relative path of every Markdown file under terms/ and content/, without reading
    any (a check of names only: multilingual sites' language folders)."""
    return [rel for dirname in SOURCE_DIRS if (root / dirname).is_dir() for rel, entry in _walk(str(root), dirname)
            if entry.name.lower().endswith(".md") and not is_ignored_name(entry.name)]  # fmt: skip


def kind_of(rel: str, terms_dir: str = "terms") -> Kind | None:
    """What the Markdown file at `rel` is; None: no source (an `_index.md` of the glossary folder)."""
    name = rel.rsplit("/", 1)[-1]
    if terms_dir != "terms" and rel.startswith(terms_dir + "/"):
        return None if name == "_index.md" else "term"
    kind = SOURCE_DIRS.get(rel.split("/", 1)[0])
    if kind == "term" and terms_dir != "terms":
        return None
    return "section" if kind == "article" and name == "_index.md" else kind


def _bundle_of(rel: str, bundles: set[str]) -> str | None:
    """The innermost leaf bundle folder holding `rel`, if any."""
    folder = rel.rsplit("/", 1)[0]
    while "/" in folder:
        if folder in bundles:
            return folder
        folder = folder.rsplit("/", 1)[0]
    return None


def read_source(root: Path, rel: str, diags: Diagnostics, terms_dir: str = "terms") -> SourceFile | None:
    """One known source again (the dev server re-reads only what the watcher reported)."""
    path = root / rel
    kind = kind_of(rel, terms_dir)
    if kind is None or path.suffix.lower() != ".md" or path.is_symlink() or not path.is_file():
        diags.note(SourcePos(rel), "not a plain source file")  # the caller falls back to a full load
        return None
    return _read(path, rel, kind, diags)


def _walk(root: str, rel_dir: str):
    """(site-relative path, DirEntry) of every file, sorted; hidden and symlinked directories are
    not entered. Plain strings and scandir: at 10,000 files pathlib's objects cost a second."""
    with os.scandir(f"{root}/{rel_dir}") as it:
        entries = sorted(it, key=lambda e: e.name)
    for entry in entries:
        rel = f"{rel_dir}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            if not entry.name.startswith("."):
                yield from _walk(root, rel)
        elif not entry.is_dir():  # a symlink to a directory is skipped, as os.walk did
            yield rel, entry


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _read(path: Path | str, rel: str, kind: Kind, diags: Diagnostics) -> SourceFile | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        diags.error(SourcePos(rel), f"cannot read file: {exc.strerror}")
        return None
    if b"\0" in data[:8192]:
        diags.note(SourcePos(rel), "ignored: looks like a binary file")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(
            SourcePos(rel, line),
            f"file is not valid UTF-8 (byte offset {exc.start})",
            "Re-save the file with UTF-8 encoding.",
        )
        return None
    return SourceFile(rel, kind, text.replace("\r\n", "\n").replace("\r", "\n"))
