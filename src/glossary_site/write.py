"""WRITE: output files -> a staging directory, then an atomic swap into place.

Pages are written as they are rendered (so nothing holds the whole site in memory).
Until `commit()` the previous output is untouched; a failed build calls `abort()` and
the staging directory disappears. Two outputs claiming one path is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .render import OutputFile

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


class OutputWriter:
    def __init__(self, output: Path, diags: Diagnostics):
        self.output = output
        self.diags = diags
        self.staging = output.parent / f".{output.name}.staging"
        self.owners: dict[str, str] = {}
        self.pages = 0
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left by an interrupted build: never published
        self.staging.mkdir(parents=True)

    def write(self, file: OutputFile | None) -> None:
        if file is None:
            return
        rel = safe_rel(file.rel)
        if rel is None:
            self.diags.error(SourcePos(file.source), f"refusing to write outside the output directory: {file.rel!r}")
            return
        if rel in self.owners:
            self.diags.error(SourcePos(file.source), f"output path '{rel}' is also produced by {self.owners[rel]}",
                             "Give one of them a different slug.")
            return
        self.owners[rel] = file.source
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)
        self.pages += rel.endswith(".html")

    def copy_tree(self, source: Path, prefix: str, label: str) -> None:
        """Static assets; a later tree (the site's static/) overrides an earlier (the theme's)."""
        if not source.is_dir():
            return
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                rel = f"{prefix}/{path.relative_to(source).as_posix()}"
                self.owners.pop(rel, None)
                self.write(OutputFile(rel, path.read_bytes(), f"{label}/{path.relative_to(source).as_posix()}"))

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> None:
        """Swap staging into place; the old tree is removed only after the new one is in."""
        (self.staging / MARKER).write_text("Built by glossary-site; replaced whole on every build.\n")
        old = self.output.parent / f".{self.output.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if self.output.exists():
            os.replace(self.output, old)
        os.replace(self.staging, self.output)
        shutil.rmtree(old, ignore_errors=True)
