"""`build` after edits of existing articles or terms: the dev server's fast paths (fast_paths.py)
applied to the state the last build saved, and published in one atomic exchange.

A full build, even with every page cached, must read, hash and check all 11,000 sources
and page keys of a large site: seconds. The up-to-date check already knows which files
changed; when they are edits the fast paths take (see fast_paths.py), only the rows of the
cache those edits need are read, the affected pages rendered, and the rows they changed
written back. Anything else returns None and the full build runs, which is always right.
"""

from __future__ import annotations

from ..content.diagnostics import Diagnostics
from ..content.digests import text_digest
from ..content.sources import read_source
from ..pages.render import install_globals
from ..pages.templates import make_environment
from .cache import CACHE_DIR, COMPILED, BuildCache, open_store
from .cache_store import BLOB
from .fast_paths import apply_edits
from .last_build import StoredLastBuild, last_build_changes
from .pipeline import BuildResult
from .publish import can_exchange, prepare_staging, swap_in

PUBLISHED = "published"
"""Store section: the output paths where the staging directory may differ from the output
(what the last publish changed); absent while a build may be changing staging."""


def build_from_edits(config, changed: list[str], jobs: int) -> BuildResult | None:
    diags = Diagnostics()
    cache = BuildCache.load(config.root, diags, lazy=True)
    store = cache.store
    if store is None or diags.items or cache.output != str(config.output):
        return None
    live = StoredLastBuild.open(store, cache.entries, cache.docs)
    if live is None or live.config != config:
        return None
    differing = store.get(PUBLISHED, BLOB)
    live.env = make_environment(config.root, config.root / CACHE_DIR / COMPILED)
    install_globals(live.env, config)
    cache.bodies.prepare()
    changed = [rel for rel in changed if _edited(config, rel, live.parse_key, cache)]
    if not changed:  # only saved again, or within the up-to-date check's racy window: nothing to do
        return BuildResult(True, live.pages, [], [])
    if not can_exchange():
        return None  # no atomic exchange here: only the full build's commit is safe
    publisher = Staged(config.output, differing, store)
    result = apply_edits(live, cache, changed, jobs, publisher)
    if result is None:  # the full build runs (and, if anything was unpublishable, says so)
        return None
    cache.save(config.root, {**last_build_changes(cache.live, store, base=live), PUBLISHED: ({BLOB: publisher.published}, ())})
    result.applied = changed
    return result


class Staged:
    """Publishes through the staging directory: article pages are written into it by the
    workers as they render, the rest at the end, then the two directories are exchanged."""

    def __init__(self, output, differing, store):
        self.output, self.store, self.differing = output, store, differing
        self.staging = None
        self.published: set[str] = set()

    def prepare(self, coming: set[str]):
        """The staging folder the workers write `coming` into."""
        if self.staging is None:
            # From here until the final save the staging directory may hold anything: a kill
            # leaves it unknown (the next build clones it again).
            self.store.write({PUBLISHED: ({}, [BLOB])})
            self.staging = prepare_staging(self.output, self.differing, coming)
        return self.staging

    def __call__(self, files, removed) -> bool:
        rels = [file.rel for file in files] + list(removed)
        staging = self.prepare(set())
        # Nor may these pages' cached keys be trusted once the exchange may have happened.
        self.store.write({"pages": ({}, rels)})
        if staging is None or not swap_in(self.output, staging, files, removed):
            return False
        self.published = set(rels)
        return True


def _edited(config, rel: str, parse_key: str, cache: BuildCache) -> bool:
    source = read_source(config.root, rel, Diagnostics(), config.terms_dir)
    return source is None or text_digest(parse_key, source.text) != cache.parsed.get(rel, ("",))[0]


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
    if cache.dirty or not StoredLastBuild.saved(cache.store):
        extra.update(last_build_changes(cache.live, cache.store))
    cache.save(cache.root, extra)
