"""The search shards an edit touches: re-index only those, at once (the fast paths) or in
the background (`serve`, which never waits for search)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics
from ..content.digests import digest
from ..content.urls import article_rel, page_file
from ..pages.render import OutputFile
from ..pages.search_index import SearchPlan, build_shards, indexed, manifest, plan, settled, shard_files
from .publish import overwrite_in_place


@dataclass(frozen=True)
class SearchUpdate:
    files: list[OutputFile]
    """New shard bundles and, if it changed, the manifest."""
    removed: list[str]
    """Published bundle files the new shards replace."""
    keys: tuple[str, ...]
    """The shards' keys once published (BuildCache.search)."""


def touches_search(rels, articles) -> bool:
    return bool(indexed(rels, articles))


def update_search(config: SiteConfig, published: dict[str, str], keys: tuple[str, ...], changed: dict[str, str],
                  read: Callable[[str], bytes], articles, stale: bool = False) -> SearchUpdate | None:  # fmt: skip
    """Re-index the shards holding a page of `changed` (output path -> new cache key), given
    the `published` output paths -> keys and shard `keys`; `read(rel)` gives a page's HTML.
    `stale`: index nothing, only mark the manifest stale (`serve` indexes in the background).
    None when Pagefind failed."""
    pages = {**published, **changed}
    bundles = shard_files(published)
    todo = _stale(pages, keys, config, articles)
    if stale:
        return SearchUpdate([manifest(keys, stale=True)], [], keys)
    built = build_shards(todo.build, read, config, Diagnostics(), os.cpu_count() or 1)
    if built is None:
        return None
    new_keys = settled(todo, built)
    fresh = {file.rel for file in built}
    redo = {number for number in todo.build} | {number for number in bundles if number >= len(new_keys)}
    removed = sorted(rel for number in redo if number >= 0 for rel in bundles.get(number, ()) if rel not in fresh)
    listing = manifest(new_keys)
    files = built + ([listing] if published.get(listing.rel) != digest(listing.data) else [])
    return SearchUpdate(files, removed, new_keys)



def catch_up(config: SiteConfig, cache, articles, lock: threading.Lock, jobs: int = 1) -> bool:
    """Index the shards whose pages changed since they were last indexed (an edit published
    with `stale=True`) and publish them in place, over `serve`'s own output. `lock` guards the
    cache and the output; it is held only to plan and to publish, never while Pagefind runs.
    True when there is more to do (the pages changed meanwhile: run again)."""
    with lock:
        pages, keys = dict(cache.pages), cache.search
        todo = _stale(pages, keys, config, articles)
        if not todo.build:
            return False
        read = {rel: (config.output / rel).read_bytes() for group in todo.build.values() for rel in group}
    built = build_shards(todo.build, read.__getitem__, config, Diagnostics(), jobs)
    with lock:
        if built is None or cache.search != keys or any(cache.pages.get(rel) != pages[rel] for rel in read):
            return built is not None
        new_keys = settled(todo, built)
        fresh = {file.rel for file in built}
        bundles = shard_files(pages)
        removed = [rel for number in todo.build for rel in bundles.get(number, ()) if rel not in fresh]
        files = [*built, manifest(new_keys)]
        overwrite_in_place(config.output, files)
        for rel in removed:
            Path(config.output, rel).unlink(missing_ok=True)
            cache.pages.pop(rel, None)
        cache.pages.update({file.rel: digest(file.data) for file in files})
        cache.search = new_keys
        return False


def _stale(pages: dict[str, str], keys: tuple[str, ...], config: SiteConfig, articles) -> SearchPlan:
    bundles = shard_files(pages)
    return plan(pages, config, articles, keys, lambda number: bool(bundles.get(number)))


def article_pages(live) -> set[str]:
    """The article pages of a LastBuild, which search indexes wherever their URLs put them."""
    return {page_file(article_rel(slug)) for slug in live.article_order}


def pending(config: SiteConfig, cache, articles) -> bool:
    """Whether a shard's pages changed since it was indexed."""
    return config.search and bool(_stale(cache.pages, cache.search, config, articles).build)
