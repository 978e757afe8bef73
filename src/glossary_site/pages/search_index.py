"""SEARCH: the Pagefind index of term and article pages, in shards, as output files.

Pagefind (the `pagefind[extended]` package: its build segments Chinese and Japanese into
words) reads the finished HTML: the `data-pagefind-body`, `-meta`, `-filter`, `-weight` and
`-ignore` attributes in the theme decide what is indexed and shown. One Pagefind process over a whole site holds about 300 KB per page (3 GB at
10,000 articles) and has no incremental mode, so the pages are split into shards by a
stable hash of their path: each shard is its own Pagefind bundle under `pagefind/<n>/`,
built only when one of its pages changed, one Pagefind process per core, and the search page
merges them in the browser (Pagefind's `mergeIndex`, which reuses the first bundle's
WebAssembly). `pagefind/shards.json` lists them. Every file goes under `pagefind/` like
any other output file, so the atomic publish, the cache and `check` treat it as theirs.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import cbor2

try:
    import fcntl
except ImportError:  # not POSIX: scratch folders are neither locked nor swept
    fcntl = None

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest
from .render import OutputFile

BUNDLE = "pagefind/"
MANIFEST = BUNDLE + "shards.json"
_INDEXED = re.compile(r"(terms|articles)/[^/]+/index\.html")
# What the browser needs from a bundle. Pagefind's own UI files are not used (search.js is
# the UI). Merged shards borrow the first listed one's pagefind.js, worker and WebAssembly,
# but every shard keeps them (160 KB), so any shard can be first: shard 0 may have no pages.
_SHARD_FILES = re.compile(r"pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(index|fragment|filter)/[^/]+"
                          r"|pagefind\.js|pagefind-worker\.js|wasm\.[^/]+\.pagefind")
_SIGNATURE = b"pagefind_dcd"


def indexed(rels, articles: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The pages search finds: term and article pages (listings would only repeat them).
    `articles`: the article pages' paths, which Hugo's URLs put anywhere ('posts/x/index.html')."""
    return sorted(rel for rel in rels if rel in articles or _INDEXED.fullmatch(rel))


SHARD_PAGES = 400
"""Pages per shard by default: an edit re-runs Pagefind over its shard (about 1.6 ms a page)."""
MOST_SHARDS = 32
"""A query fetches an index chunk from every shard, and every shard's metadata: past this
many shards, they grow instead (to MOST_SHARD_PAGES)."""
MOST_SHARD_PAGES = 1500
"""The memory bound: Pagefind holds about 300 KB a page, so about 450 MB for a shard this big."""


def shard_count(pages: int, per_shard: int | None = None) -> int:
    """How many shards `pages` indexed pages go into: `per_shard` pages each on average when
    the site sets search_shard_pages, else SHARD_PAGES each, up to MOST_SHARDS shards, then
    as many as keep each under MOST_SHARD_PAGES (12,800 pages: 32 shards; 100,000: 67)."""
    if per_shard:
        return max(1, -(-pages // per_shard))
    return max(1, min(-(-pages // SHARD_PAGES), MOST_SHARDS), -(-pages // MOST_SHARD_PAGES))


def shard_of(rel: str, count: int) -> int:
    """A page's shard: a hash of its path, so it stays put when other pages come and go."""
    return int.from_bytes(hashlib.blake2b(rel.encode(), digest_size=8).digest(), "big") % count


def shard_dir(number: int) -> str:
    return f"{BUNDLE}{number}/"


def shard_files(pages) -> dict[int, list[str]]:
    """The published bundle files among output paths, by shard (-1: the manifest)."""
    shards: dict[int, list[str]] = {}
    for rel in pages:
        if rel.startswith(BUNDLE):
            head = rel[len(BUNDLE):].split("/", 1)[0]
            shards.setdefault(int(head) if head.isdigit() else -1, []).append(rel)
    return shards


@dataclass(frozen=True)
class SearchPlan:
    """What a build does to the search index: every shard's key, and which to index anew."""

    keys: tuple[str, ...]
    """Per shard: changes when one of its pages (by cache key) or the URLs change; '' if empty."""
    build: dict[int, list[str]]
    """Shard number -> its pages, for the shards whose published bundle is stale or missing."""


def plan(pages: dict[str, str], config: SiteConfig, articles, previous: tuple[str, ...],
         published: Callable[[int], bool]) -> SearchPlan:  # fmt: skip
    """`pages`: every output path -> its cache key; `previous`: the keys the published shards
    were built for; `published(n)`: whether shard n's files are all in the output."""
    rels = indexed(pages, articles)
    count = shard_count(len(rels), config.search_shard_pages)
    groups: list[list[str]] = [[] for _ in range(count)]
    for rel in rels:
        groups[shard_of(rel, count)].append(rel)
    version = _pagefind_version()  # shards of two versions would not merge
    keys = tuple(digest("pagefind-5", version, config.base_path, config.language, count, chunk_size(count),
                        [(rel, pages[rel]) for rel in group]) if group else "" for group in groups)  # fmt: skip
    build = {number: group for number, (group, key) in enumerate(zip(groups, keys))
             if group and not (number < len(previous) and (previous[number] == EMPTY + key
                                                           or previous[number] == key and published(number)))}  # fmt: skip
    kept_empty = {number for number, key in enumerate(keys) if number < len(previous) and key and previous[number] == EMPTY + key}
    return SearchPlan(tuple(EMPTY + key if number in kept_empty else key for number, key in enumerate(keys)), build)


EMPTY = "empty:"
"""Marks the key of a shard whose pages had no text to index: kept, so it is not tried again
until a page changes, and left out of the manifest."""


def _pagefind_version() -> str:
    """The version of the Pagefind this process runs, and which build (the extended one segments
    Chinese and Japanese): an index made by another is not this one's."""
    return _pagefind()[0]


def _has_binary(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@functools.lru_cache(maxsize=1)
def _pagefind() -> tuple[str, tuple[str, ...]]:
    """(version, command) of the Pagefind this process runs, decided once so that the two agree:
    the extended build when its package is installed, else the plain one, each run as its binary
    (`python -m pagefind` started a Python per shard first, 50 ms each: 1.4 s of CPU over the 28
    shards of a 10,000-article site) and keyed by its own package's version. A package that
    cannot name its binary is not replaced by the other build (an index without CJK words under
    the extended key): the module runs then, which finds a binary or says why not."""
    for module, build in (("pagefind_bin_extended", "+extended"), ("pagefind_bin", "")):
        if not _has_binary(module):
            continue
        try:
            binary = os.path.abspath(importlib.import_module(module).get_executable())
            version = importlib.metadata.version(module)
        except (ImportError, AttributeError, OSError, TypeError, ValueError):
            break
        if os.access(binary, os.X_OK):
            return version + build, (binary,)
        break
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return version + ("+extended" if version and _has_binary("pagefind_bin_extended") else ""), (
        sys.executable, "-m", "pagefind")


def settled(todo: SearchPlan, files: list[OutputFile]) -> tuple[str, ...]:
    """The plan's keys, those of shards that came out empty (no text to index) marked."""
    built = {int(file.rel[len(BUNDLE):].split("/", 1)[0]) for file in files}
    return tuple(EMPTY + key if key and number in todo.build and number not in built else key
                 for number, key in enumerate(todo.keys))  # fmt: skip


def manifest(keys: tuple[str, ...], stale: bool = False) -> OutputFile:
    """`pagefind/shards.json`: the shards the search page merges, first one first; `stale`
    while `serve` is still indexing an edit (the search page says so)."""
    shards = [shard_dir(number)[len(BUNDLE):] for number, key in enumerate(keys) if key and not key.startswith(EMPTY)]
    data = json.dumps({"shards": shards, "stale": stale}, separators=(",", ":")).encode() + b"\n"
    return OutputFile(MANIFEST, data, "search index")


def build_shards(build: dict[int, list[str]], read: Callable[[str], bytes], config: SiteConfig,
                 diags: Diagnostics, jobs: int, count: int) -> list[OutputFile] | None:  # fmt: skip
    """Index each shard's pages (`read(rel)` gives a page's HTML), `jobs` Pagefind processes at
    a time, `count` shards in all; None (with an error reported) when Pagefind fails."""
    if not build:
        return []
    if not (_has_binary("pagefind_bin_extended") or _has_binary("pagefind_bin")):
        diags.error(SourcePos("site.yaml"), "search is on, but Pagefind is not installed",
                    "Run pip install 'pagefind[extended]', or set 'search: false' in site.yaml.")  # fmt: skip
        return None
    _sweep_scratch(_scratch())
    with ThreadPoolExecutor(max(1, min(jobs, len(build)))) as pool:
        outcomes = list(pool.map(lambda item: _index_shard(item[0], item[1], read, config, count), sorted(build.items())))
    files: list[OutputFile] = []
    empty = 0
    for outcome in outcomes:
        if isinstance(outcome, str):
            diags.error(SourcePos("site.yaml"), f"building the search index failed: {outcome}",
                        "Set 'search: false' in site.yaml to build without search.")  # fmt: skip
        elif outcome is None:
            empty += 1
        else:
            files.extend(outcome)
    if empty == len(outcomes):
        # Templates of the site's own that leave no <body> (or no text) to index.
        diags.warning(SourcePos("site.yaml"), "search is on, but no term or article page had text to index",
                      "Check that the page templates write a <body>, or set 'search: false'.")  # fmt: skip
    return None if diags.has_errors else files


def _scratch() -> str | None:
    """Where a shard's scratch copy goes: memory (/dev/shm) where there is one. Pagefind
    writes some 1,400 files per shard there; on a disk's file system that took 5.3 s of a
    shard's run, in memory 2.6 s (the same CPU time: the rest was waiting on the disk)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


_SCRATCH_PREFIX = "glossary-pagefind-"
_IN_USE = ".in-use"
"""A file in each scratch folder, locked (flock) by the build using the folder."""
_YOUNG = 60
"""Seconds: a scratch folder this new is never swept (its lock may be about to be taken)."""
_NO_LOCK_AGE = 3600
"""Seconds: a folder without the lock file (left by a version before it) is swept this old."""


@contextmanager
def _scratch_folder():
    """A shard's scratch folder, locked for as long as it is in use (see _sweep_scratch)."""
    with tempfile.TemporaryDirectory(prefix=_SCRATCH_PREFIX, dir=_scratch()) as tmp:
        with open(os.path.join(tmp, _IN_USE), "wb") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield tmp


def _sweep_scratch(where: str | None) -> None:
    """Remove the scratch folders that builds killed while indexing left (SIGKILL skips their
    removal; in /dev/shm they hold memory until the machine restarts: a few hundred MB after a
    day of killed test builds). A folder is in use while a build holds the lock on its _IN_USE
    file: unlike a process id, a lock means the same in every container that shares the folder.
    POSIX only (flock); elsewhere nothing is swept."""
    if fcntl is None:
        return
    try:
        with os.scandir(where or tempfile.gettempdir()) as entries:
            found = [entry for entry in entries if entry.name.startswith(_SCRATCH_PREFIX)]
    except OSError:
        return
    now = time.time()
    for entry in found:
        age = 0.0
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if age < _YOUNG:
                continue
            lock = os.open(os.path.join(entry.path, _IN_USE), os.O_RDONLY)
        except FileNotFoundError:  # no lock file: from a version before it, or gone already
            if age >= _NO_LOCK_AGE:
                shutil.rmtree(entry.path, ignore_errors=True)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # in use
            continue
        else:
            shutil.rmtree(entry.path, ignore_errors=True)
        finally:
            os.close(lock)


_CHUNK = 20000
"""Pagefind's index chunk size (postings per chunk file, pagefind/src/index/mod.rs)."""


_SMALLEST_CHUNK = 2000
"""Each shard's metadata lists its chunks, and a query loads every shard's list."""


def chunk_size(count: int) -> int:
    """The index chunk size for one of `count` shards. A query fetches, per word, one chunk
    from every shard; with Pagefind's own size each of those is as big as one index's chunk,
    so eight shards fetched 2.4 times the index bytes one index did (bench/results-search.md).
    A chunk 1/count as big makes the shards' chunks add up to about one index's. Not below
    _SMALLEST_CHUNK: each shard's metadata lists its chunks, and a query loads every list
    (at 22 shards, chunks of 909 made that list cost more than the chunks saved)."""
    return _CHUNK if count <= 1 else max(_SMALLEST_CHUNK, _CHUNK // count)


def _index_shard(number: int, rels: list[str], read: Callable[[str], bytes], config: SiteConfig, count: int):
    """One shard's bundle files; None when Pagefind found no text; an error message on failure.

    Pagefind's command-line indexer over a scratch copy of just those pages: its Python
    service answers one message per 0.1 s poll, which made 70 pages take 7 s, against
    0.4 s for the whole run here. The pages sit under the site's base path inside the
    scratch site, so result URLs come out as the site serves them.
    """
    with _scratch_folder() as tmp:
        site, bundle = Path(tmp, "site"), Path(tmp, "bundle")
        base = site.joinpath(*config.base_path.strip("/").split("/")) if config.base_path != "/" else site
        for rel in rels:
            target = base / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(for_indexing(read(rel)))
        language = config.language.split("-")[0].lower() or "en"
        command = [*_pagefind()[1], "--site", str(site), "--output-path", str(bundle),
                   "--force-language", language, "--silent"]  # fmt: skip
        # Pagefind reads the chunk size from its environment (named UNSTABLE; read by 1.5.0 to 1.5.2 at least:
        # part of _pagefind_version's key, so a Pagefind that drops it re-indexes every shard).
        # Nothing else configures it: not the caller's PAGEFIND_* variables, nor a pagefind.yml
        # in the working directory (a Hugo site may have one), which no shard key would cover.
        env = {name: value for name, value in os.environ.items() if not name.upper().startswith("PAGEFIND_")}
        env["PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"] = str(chunk_size(count))
        run = subprocess.run(command, capture_output=True, text=True, errors="replace", env=env, cwd=tmp)
        if run.returncode != 0 and "not able to build an index" in run.stderr + run.stdout:
            return None
        if run.returncode != 0:
            return ((run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"])[0]
        kept = {rel: path.read_bytes() for path in sorted(p for p in bundle.rglob("*") if p.is_file())
                if _SHARD_FILES.fullmatch(rel := path.relative_to(bundle).as_posix())}  # fmt: skip
        prefix = shard_dir(number)
        return [OutputFile(prefix + rel, data, "search index") for rel, data in sorted(_in_fixed_order(kept).items())]


_TAG = re.compile(r"<([A-Za-z][\w-]*)")
_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.I)
_TITLE = re.compile(rb"<title>.*?</title>", re.I | re.S)


def for_indexing(page: bytes) -> bytes:
    """The page as Pagefind reads it, less what it would skip: the <html> tag (its lang), the
    <title>, and the one `data-pagefind-body` element without the `data-pagefind-ignore`d
    parts that hold no filter or metadata. A third of the bytes on the bench (term pages'
    backlinks, article pages' chrome), so less to copy and for Pagefind to parse. A page
    goes as it is unless it has exactly one body element and no `data-pagefind-` attribute
    outside it (Pagefind reads metadata and filters anywhere, <head> included)."""
    bodies = _in_tags(page, b"data-pagefind-body")
    html, title = _HTML_TAG.search(page), _TITLE.search(page)
    if len(bodies) != 1 or html is None:
        return page
    region = _element(page, bodies[0])
    if region is None or any(not region[0] <= at < region[1] for at in _in_tags(page, b"data-pagefind-")):
        return page
    kept = _without_ignored(page[region[0]:region[1]])
    return b"<!doctype html>\n%s<head>%s</head><body>%s</body></html>\n" % (html.group(), title.group() if title else b"", kept)


def _in_tags(data: bytes, attribute: bytes, start: int = 0) -> list[int]:
    """Where `attribute` is written inside a tag: the start of each such tag. (Text that
    names it, `<code>data-pagefind-ignore</code>`, has a '>' between it and the last '<'.)"""
    found, at = [], data.find(attribute, start)
    while at >= 0:
        lt = data.rfind(b"<", start, at)
        if lt >= 0 and data.find(b">", lt, at) < 0 and (not found or found[-1] != lt):
            found.append(lt)
        at = data.find(attribute, at + len(attribute))
    return found


def _element(page: bytes, start: int) -> tuple[int, int] | None:
    """(start, end) of the element whose start tag begins at `start`, nested ones counted."""
    name = _TAG.match(page[start : start + 64].decode("latin-1"))
    if name is None:
        return None
    tags = re.compile(rb"<(/?)" + re.escape(name.group(1).encode()) + rb"[\s>/]", re.I)
    depth = 0
    for tag in tags.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = page.find(b">", tag.start())
            return (start, close + 1) if close >= 0 else None
    return None


def _without_ignored(region: bytes) -> bytes:
    """`region` less its ignored elements, but for those holding other data-pagefind- attributes."""
    out, pos = [], 0
    for lt in _in_tags(region, b"data-pagefind-ignore"):
        if lt < pos:  # inside an element already left out
            continue
        span = _element(region, lt)
        if span is None or region.count(b"data-pagefind-", span[0], span[1]) > 1:
            continue  # kept: Pagefind still reads filters and metadata inside ignored parts
        out.append(region[pos:span[0]])
        pos = span[1]
    out.append(region[pos:])
    return b"".join(out)


def _in_fixed_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle in one order (see _sorted), or as Pagefind wrote it when its files are not
    laid out as Pagefind 1.x lays them out (then only the order may change between runs)."""
    try:
        return _sorted(dict(files))
    except (ValueError, TypeError, KeyError, IndexError, EOFError, OSError, cbor2.CBORDecodeError):
        return files


def _sorted(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle in one order: Pagefind lists filters, and each filter's values, in a hash
    map's order, which changes from run to run. Those files (gzip of 'pagefind_dcd' + CBOR)
    are written again sorted, under names hashed from their bytes, and the metadata file and
    pagefind-entry.json point at the new names."""
    renamed: dict[str, str] = {}
    for rel in sorted(rel for rel in files if rel.startswith("filter/")):
        name, values = _decoded(files.pop(rel))  # [filter name, [[value, [page numbers]], ...]]
        if not isinstance(values, list):
            raise ValueError("an unknown Pagefind filter layout")
        old = rel[len("filter/"):-len(".pf_filter")]
        data, new = _encoded([name, sorted(values)], old)
        renamed[old] = new
        files[f"filter/{new}.pf_filter"] = data
    entry = json.loads(files["pagefind-entry.json"])
    for language in entry["languages"].values():
        old = f"pagefind.{language['hash']}.pf_meta"
        if old not in files:
            continue
        meta = _decoded(files.pop(old))  # [version, pages, index chunks, filters, sorts, meta keys]
        if not (isinstance(meta, list) and len(meta) == 6 and str(meta[0]).startswith("1.")):
            raise ValueError(f"an unknown Pagefind metadata layout ({str(meta)[:40]})")
        meta[3] = sorted([name, renamed.get(hash_, hash_)] for name, hash_ in meta[3])
        meta[4] = sorted(meta[4])
        meta[2] = _joined_chunks(meta[2], files)
        data, language["hash"] = _encoded(meta, language["hash"], 10)
        files[f"pagefind.{language['hash']}.pf_meta"] = data
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return files


PREFIX_KEPT = 3
"""Index chunks are joined where the word before a boundary and the word after it start with
this many letters in common: no word start of this length or more is split over two chunks."""


def _joined_chunks(chunks: list, files: dict[str, bytes]) -> list:
    """The chunk list ([first word, last word, name] each, in word order) with neighbours
    joined where a boundary falls inside a group of words sharing PREFIX_KEPT letters, and
    the files renamed after their new bytes. Pagefind looks for a query's last word, and the
    words it starts ("CGZ" finds "CGZs"), in one chunk only: a boundary between "cgz" and
    "cgzs" lost the pages having only "CGZs" (45 of 741 on the bench, with the small chunks
    of many shards)."""
    groups: list[list] = []
    for chunk in chunks:
        if groups and len(os.path.commonprefix([groups[-1][-1][1], chunk[0]])) >= PREFIX_KEPT:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    joined = []
    for group in groups:
        if len(group) == 1:
            joined.append(group[0])
            continue
        # A chunk is CBOR [[word, postings], ...] wrapped in a one-item array: the words are
        # joined as bytes under a new count (decoding them took a third of an edit's indexing).
        count, words = 0, []
        for _, _, name in group:
            n, items = _words(gzip.decompress(files.pop(f"index/{name}.pf_index"))[len(_SIGNATURE):])
            count, words = count + n, words + [items]
        data = _SIGNATURE + b"\x81" + _array_head(count) + b"".join(words)
        name = group[0][2].split("_")[0] + "_" + hashlib.blake2b(data).hexdigest()[:7]
        files[f"index/{name}.pf_index"] = gzip.compress(data, compresslevel=6, mtime=0)
        joined.append([group[0][0], group[-1][1], name])
    return joined


def _words(chunk: bytes) -> tuple[int, bytes]:
    """(how many, their bytes) of the words of a chunk's CBOR: [[word, postings], ...] in a
    one-item array, both of definite length, as Pagefind 1.x writes them."""
    if chunk[:1] != b"\x81" or not 0x80 <= chunk[1] <= 0x9B:
        raise ValueError("an unknown Pagefind index chunk layout")
    info, at = chunk[1] - 0x80, 2
    if info < 24:
        return info, chunk[at:]
    size = 1 << (info - 24)  # 0x98..0x9b: a 1, 2, 4 or 8-byte count follows
    return int.from_bytes(chunk[at : at + size], "big"), chunk[at + size :]


def _array_head(count: int) -> bytes:
    """A CBOR array's head for `count` items, in its shortest form (as CBOR encoders write it)."""
    if count < 24:
        return bytes([0x80 + count])
    for info, size in ((0x98, 1), (0x99, 2), (0x9A, 4), (0x9B, 8)):
        if count < 1 << (8 * size):
            return bytes([info]) + count.to_bytes(size, "big")
    raise ValueError("too many words")


def _decoded(data: bytes):
    return cbor2.loads(gzip.decompress(data)[len(_SIGNATURE):])


def _encoded(value, old_name: str, length: int = 7) -> tuple[bytes, str]:
    """The file's bytes and its name: the old name's language prefix and a hash of the content."""
    data = _SIGNATURE + cbor2.dumps(value)
    return gzip.compress(data, compresslevel=6, mtime=0), old_name.split("_")[0] + "_" + hashlib.blake2b(data).hexdigest()[:length]
