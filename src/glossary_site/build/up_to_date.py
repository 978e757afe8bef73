"""Is the output already the build of these inputs? A stat-only check, as make and ninja do.

After a successful `build`, the (mtime, size, inode) of every file the build may read
(site.yaml, terms/, content/, templates/, static/, i18n/, this package with its theme, and the
entry files of the libraries that render) is saved with the config's digest, the list of
output files and the build's diagnostics.
The next `build` stats the same files; if nothing differs and every output file is still
there, the output is already right: the diagnostics are printed again and nothing else
runs, not even the loading of the build cache. If only existing files in terms/ or
content/ differ, their list goes to the edit path (edit_path.py); anything else takes
the full (incremental) build, which is always correct.

A file changed within the filesystem's timestamp resolution of the snapshot could keep
its mtime (git calls this "racily clean"), so a snapshot taken less than two seconds
after any input's mtime is never trusted.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..content.digests import digest
from ..content.hugo_config import CONFIG_FILES

MANIFEST = "inputs.pickle"
INPUT_DIRS = ("terms", "content", "templates", "static", "i18n")
RACY_NS = 2_000_000_000
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPENDENCIES = ("markdown_it", "mdit_py_plugins", "mdurl", "pygments", "jinja2", "markupsafe", "yaml", "ahocorasick",
                "babel")
"""The libraries whose code shapes the output: reinstalling one (an upgrade) rewrites its
entry file, which is then a changed input like an edited template."""
DISTRIBUTIONS = ("markdown-it-py", "mdit-py-plugins", "mdurl", "Pygments", "Jinja2", "MarkupSafe", "PyYAML",
                 "pyahocorasick", "babel")  # fmt: skip
"""The installed distributions of DEPENDENCIES, whose versions engine_key() records."""
_entry_files: list[str] | None = None
_engine_key: tuple[dict, str] | None = None


@dataclass(frozen=True)
class Snapshot:
    taken_ns: int
    files: dict[str, tuple[int, int, int]]
    """Path -> (mtime_ns, size, inode) of every input file."""


@dataclass(frozen=True)
class Manifest:
    version: str
    config: str
    """Digest of the config (flags included) the output was built with."""
    inputs: Snapshot
    outputs: tuple[str, ...]
    pages: int
    diagnostics: tuple
    valid_until: float | None = None
    """Seconds since the epoch at which a future article comes due or one expires: from then
    on the same inputs build another site, so the output is not up to date."""


def snapshot(root: Path) -> Snapshot:
    """Taken before the build reads anything: a file changed during the build then differs next time."""
    taken = time.time_ns()
    files: dict[str, tuple[int, int, int]] = {}
    for name in ("site.yaml", *CONFIG_FILES):
        _stat_into(files, str(root / name))
    for name in INPUT_DIRS:
        _walk_into(files, str(root / name))
    files.update(engine())  # the templates and code that render: an upgrade or an edited theme
    return Snapshot(taken, files)


def engine() -> dict[str, tuple[int, int, int]]:
    """The stat of this package's files (its code and theme) and of the entry file of each
    library in DEPENDENCIES: what renders. A process that loaded them (the daemon) is stale
    once these differ; the build cache is stamped with their content instead (engine_key())."""
    global _entry_files
    if _entry_files is None:  # found without importing them: `build` with nothing to do imports none
        specs = [importlib.util.find_spec(name) for name in (*DEPENDENCIES, *_rules_modules())]
        _entry_files = [spec.origin for spec in specs if spec is not None and spec.origin]
    files: dict[str, tuple[int, int, int]] = {}
    _walk_into(files, _PACKAGE)
    for path in _entry_files:
        _stat_into(files, path)
    return files


def _rules_modules() -> list[str]:
    """The modules of installed language rules (linking/languages.py's entry points): they
    shape links as the libraries above do, so installing or editing one starts a fresh cache."""
    try:
        return sorted({ep.module for ep in importlib.metadata.entry_points(group="glossary_site.language_rules")})
    except Exception:  # a broken installation is reported where the rules are loaded
        return []


def engine_key() -> str:
    """A digest of what engine() names, by content: the bytes of each file of this package
    (named by its path inside the package; dot-folders such as .ruff_cache are not code) and
    of each library's entry file (named by its file name), with the installed version of each
    library in DISTRIBUTIONS (an upgrade may leave the entry file as it was) and the Python
    version (its Unicode tables, for one, shape slugs and matches). It stamps the
    build cache (cache.open_store): a fresh install of the same code, as on a new CI runner,
    keeps the cache, while an edit or an upgrade starts a fresh one. Recomputed only when
    engine()'s stat differs from the last call's."""
    global _engine_key
    files = engine()
    if _engine_key is not None and _engine_key[0] == files:
        return _engine_key[1]
    package = _PACKAGE + os.sep
    parts = []
    for path in files:
        if path.startswith(package):
            rel = path[len(package):].split(os.sep)
            if any(part.startswith(".") for part in rel[:-1]):
                continue
            name = "/".join(rel)
        else:
            folder, name = os.path.split(path)
            if name.startswith("__init__."):
                name = f"{os.path.basename(folder)}/{name}"
            name = f"lib:{name}"
        try:
            with open(path, "rb") as f:
                parts.append((name, hashlib.file_digest(f, "blake2b").hexdigest()))
        except OSError:
            continue
    libraries = [(dist, _installed(dist)) for dist in DISTRIBUTIONS]
    key = digest(__version__, sys.implementation.name, sys.version_info[:2], sorted(parts), libraries)
    _engine_key = (files, key)
    return key


def _installed(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _stat_into(files: dict, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    files[path] = (st.st_mtime_ns, st.st_size, st.st_ino)


def _walk_into(files: dict, folder: str) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                _walk_into(files, entry.path)
        else:
            try:
                st = entry.stat()
            except OSError:
                continue
            files[entry.path] = (st.st_mtime_ns, st.st_size, st.st_ino)


def record(folder: Path, config_key: str, inputs: Snapshot, outputs, pages: int, diagnostics,
           valid_until: float | None = None) -> None:  # fmt: skip
    """Save the manifest of a successful build (atomically: a crash leaves the old one or none).
    A folder that cannot be written only costs the next build its shortcut."""
    manifest = Manifest(__version__, config_key, inputs, tuple(sorted(outputs)), pages, tuple(diagnostics),
                        valid_until)  # fmt: skip
    tmp = folder / f"{MANIFEST}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        tmp.write_bytes(pickle.dumps(manifest, protocol=5))
        os.replace(tmp, folder / MANIFEST)
    except OSError:
        pass


def forget(folder: Path) -> None:
    """Before a build changes the output: if it is killed, the next one must not trust the old manifest."""
    try:
        os.unlink(folder / MANIFEST)
    except OSError:  # none there (or a folder this process cannot change: then nothing was saved either)
        pass


@dataclass(frozen=True)
class Verdict:
    manifest: Manifest
    snapshot: Snapshot
    """The inputs as they are now (taken before anything is read), to record after the build."""
    changed: list[str]
    """Site-relative paths of edited files in terms/ and content/; empty: the output is up to date."""


def compare(folder: Path, root: Path, output: Path, config_key: str) -> Verdict | None:
    """What changed since the last build, when that is only edits of existing files in terms/ or
    content/ (possibly none); None when anything else differs (the full build finds out what)."""
    try:
        manifest = pickle.loads((folder / MANIFEST).read_bytes())
    except Exception:  # missing or unreadable: build
        return None
    if not isinstance(manifest, Manifest) or manifest.version != __version__ or manifest.config != config_key:
        return None
    if manifest.valid_until is not None and time.time() >= manifest.valid_until:
        return None  # an article came due or expired since: the full build decides what changed
    now = snapshot(root)
    if now.files.keys() != manifest.inputs.files.keys():
        return None  # a file was added or deleted
    racy = manifest.inputs.taken_ns - RACY_NS
    bases = {f"{root / name}{os.sep}": name for name in ("terms", "content")}
    changed = []
    for path, stat in now.files.items():
        if stat != manifest.inputs.files[path] or stat[0] >= racy:  # changed, or may have
            rel = next((f"{name}/{path[len(base):]}" for base, name in bases.items() if path.startswith(base)), None)
            if rel is None:
                return None  # site.yaml, a template, static/, the package: the full build
            changed.append(rel.replace(os.sep, "/"))
    out = str(output)
    if not all(os.path.isfile(f"{out}/{rel}") for rel in manifest.outputs):
        return None
    return Verdict(manifest, now, sorted(changed))
