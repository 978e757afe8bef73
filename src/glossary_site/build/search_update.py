"""The search shards an edit touches: re-index only those, at once (the fast paths) or in
the background (`serve`, which never waits for search)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics
from ..content.digests import digest
from ..content.urls import article_rel, page_file
from ..pages.render import OutputFile
from ..pages.search_index import MANIFEST, SearchPlan, build_shards, indexed, manifest, plan, settled, shard_files
from .publish import overwrite_in_place


@dataclass(frozen=True)
class SearchUpdate:
    files: list[OutputFile]
    """The shard files that are new or changed (unchanged pages keep theirs) and, if it changed, the manifest."""
    removed: list[str]
    """Published bundle files the new shards replace."""
    keys: tuple[str, ...]
    """The shards' keys once published (BuildCache.search)."""


def touches_search(rels, articles) -> bool:
    return bool(indexed(rels, articles))


def update_search(config: SiteConfig, published: dict[str, str], keys: tuple[str, ...], changed: dict[str, str],
                  read: Callable[[str], bytes], articles, jobs: int = 1, stale: bool = False) -> SearchUpdate | None:  # fmt: skip
    """Re-index the shards holding a page of `changed` (output path -> new cache key), given
    the `published` output paths -> keys and shard `keys`; `read(rel)` gives a page's HTML.
    `stale`: index nothing, only mark the manifest stale (`serve` indexes in the background).
    None when Pagefind failed."""
    if stale:
        return SearchUpdate([manifest(keys, stale=True)], [], keys)
    todo = _stale({**published, **changed}, keys, config, articles)
    built = build_shards(todo.build, read, config, Diagnostics(), jobs, len(todo.keys))
    return None if built is None else _outcome(todo, built, published)


def _outcome(todo: SearchPlan, built: list[OutputFile], published: dict[str, str], stale: bool = False) -> SearchUpdate:
    """The new shards' files, the published files they replace (and those of shards past the
    new count), the manifest if it changed, and the keys."""
    keys = settled(todo, built)
    bundles, fresh = shard_files(published), {file.rel for file in built}
    replaced = set(todo.build) | {number for number in bundles if number >= len(keys)}
    removed = sorted(rel for number in replaced if number >= 0 for rel in bundles.get(number, ()) if rel not in fresh)
    listing = manifest(keys, stale)
    # Pagefind names fragments and chunks by their content: a re-indexed shard brings back
    # the files of its unchanged pages under the same names, and those need no writing.
    changed = [file for file in built + [listing] if published.get(file.rel) != digest(file.data)]
    return SearchUpdate(changed, removed, keys)


def catch_up(config: SiteConfig, cache, lock: threading.Lock, diags: Diagnostics, jobs: int = 1) -> bool:
    """Index the shards whose pages changed since they were last indexed (an edit published
    with `stale=True`) and publish them in place, over `serve`'s own output, with a manifest
    no longer stale. `lock` guards the cache and the output; it is held only to plan and to
    publish, never while Pagefind runs. True when it published something."""
    with lock:
        if cache.live is None:
            return False
        pages, keys, articles = dict(cache.pages), cache.search, article_pages(cache.live)
        todo = _stale(pages, keys, config, articles)
        read = {rel: (config.output / rel).read_bytes() for group in todo.build.values() for rel in group}
    built = build_shards(todo.build, read.__getitem__, config, diags, jobs, len(todo.keys)) if todo.build else []
    with lock:
        if built is None or cache.search != keys or any(cache.pages.get(rel) != pages[rel] for rel in read):
            return False  # failed (see diags), or edited meanwhile: the next round starts over
        update = _outcome(todo, built, pages, stale=False)
        overwrite_in_place(config.output, update.files)
        for rel in update.removed:
            Path(config.output, rel).unlink(missing_ok=True)
            cache.pages.pop(rel, None)
        cache.pages.update({file.rel: digest(file.data) for file in update.files})
        cache.search = update.keys
        return bool(update.files or update.removed)


def _stale(pages: dict[str, str], keys: tuple[str, ...], config: SiteConfig, articles) -> SearchPlan:
    bundles = shard_files(pages)
    return plan(pages, config, articles, keys, lambda number: bool(bundles.get(number)))


def article_pages(live) -> set[str]:
    """The article pages of a LastBuild, which search indexes wherever their URLs put them."""
    return {page_file(article_rel(slug)) for slug in live.article_order}


def pending(config: SiteConfig, cache) -> bool:
    """Whether the published search index is behind the pages (or still marked stale)."""
    if not config.search or cache.live is None:
        return False
    return bool(_stale(cache.pages, cache.search, config, article_pages(cache.live)).build) or \
        cache.pages.get(MANIFEST) != digest(manifest(cache.search).data)
