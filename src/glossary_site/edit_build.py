"""`build` after edits of existing articles or terms: the dev server's fast paths (delta.py)
applied to the state the last build saved, and published in one atomic exchange.

A full build, even with every page cached, must read, hash and check all 11,000 sources
and page keys of a large site: seconds. The up-to-date check already knows which files
changed; when they are edits the fast paths take (see delta.py), only the rows of the
cache those edits need are read, the affected pages rendered, and the rows they changed
written back. Anything else returns None and the full build runs, which is always right.
"""

from __future__ import annotations

from .cache import BuildCache, open_store
from .delta import update
from .diagnostics import Diagnostics
from .live import StoredLive, live_changes
from .pipeline import BuildResult
from .render import install_globals
from .store import BLOB
from .templates import make_environment
from .write import publish_few

PUBLISHED = "published"
"""Store section: the output paths where the staging directory may differ from the output
(what the last publish changed); absent while a build may be changing staging."""


def edit_build(config, changed: list[str], jobs: int) -> BuildResult | None:
    diags = Diagnostics()
    cache = BuildCache.load(config.root, diags, lazy=True)
    store = cache.store
    if store is None or diags.items or cache.output != str(config.output):
        return None
    live = StoredLive.open(store, cache.entries)
    if live is None or live.config != config:
        return None
    differing = store.get(PUBLISHED, BLOB)
    live.env = make_environment(config.root)
    install_globals(live.env, config)
    cache.bodies.prepare()
    published: list[set[str]] = []

    def write(files, removed) -> bool:
        rels = [file.rel for file in files] + list(removed)
        # From here until the final save, neither the staging directory nor these pages'
        # cached keys may be trusted by another build: a kill leaves them forgotten.
        store.write({PUBLISHED: ({}, [BLOB]), "pages": ({}, rels)})
        if not publish_few(config.output, files, removed, differing):
            return False
        published.append(set(rels))
        return True

    result = update(live, cache, changed, jobs, write)
    if result is None:  # the full build runs (and, if anything was unpublishable, says so)
        return None
    cache.save(config.root, {**live_changes(cache.live, store, base=live), PUBLISHED: ({BLOB: published[0]}, ())})
    return result


def forget_staging(folder, cache: BuildCache):
    """Before a full build (which may write into the staging directory): what the store said
    of it, now deleted there so that a killed build leaves it unknown."""
    store = cache.store if cache.store is not None else open_store(folder)
    if store is None:
        return None
    differing = store.get(PUBLISHED, BLOB)
    store.write({PUBLISHED: ({}, [BLOB])})
    return differing


def save_full_build(cache: BuildCache, result: BuildResult, differing) -> None:
    """Save a full build's cache with the state the edit path starts from. A build that
    changed nothing in the cache leaves the saved state as it is (it is the same)."""
    if result.swapped:
        differing = result.staged
    extra = {PUBLISHED: ({BLOB: differing}, ()) if differing is not None else ({}, ())}
    if cache.dirty or not cache.store.has("live.head", BLOB):
        extra.update(live_changes(cache.live, cache.store))
    cache.save(cache.root, extra)
