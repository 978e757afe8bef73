"""The pages around the articles (term pages, listings, feeds) as page specs with their keys,
made from the state of a build: one implementation for every route.

The full build asks for every term page, every listing and every feed; the fast paths ask for
the term pages an edit shows on, and the listings (a term edit) or the category feeds (an
article edit) it changes. Either route then renders only the specs whose key changed.
"""

from __future__ import annotations

from typing import Iterable

from ..pages.indexes import Backlinks
from ..pages.render import PageSpec, category_feed_specs, listing_specs, spec_key, term_spec
from .last_build import LastBuild


def term_page_specs(state: LastBuild, backlinks: Backlinks, slugs: Iterable[str]) -> list[PageSpec]:
    """The pages of these terms, in the order given."""
    graph, inputs = state.graph, state.inputs
    return [term_spec(graph.terms[slug], state.term_docs[slug], graph, backlinks, inputs.term_refs, state.entries,
                      state.entry_keys, inputs.term_items, state.config, state.term_docs)
            for slug in slugs]  # fmt: skip


def listing_page_specs(state: LastBuild, terms_only: bool = False) -> list[PageSpec]:
    """Home, article list, glossary, A-Z, categories, depths, tags, feed, sitemap (`terms_only`:
    those that show terms' summaries, which a term edit changes)."""
    return listing_specs(state.graph, state.inputs.term_refs, state.article_refs, state.articles_key, state.tags,
                         terms_only=terms_only, config=state.config, home_intro=state.home_intro)  # fmt: skip


def feed_specs(state: LastBuild, backlinks: Backlinks, categories: set[str] | None = None) -> list[PageSpec]:
    """The category feeds (`categories`: only theirs)."""
    if not state.config.publishes("rss"):
        return []
    return category_feed_specs(state.graph, backlinks, state.article_refs, categories)


def key_of(state: LastBuild, spec: PageSpec) -> str:
    """The page's cache key: the config, its template (with what that includes) and its data."""
    return spec_key(state.config_key, state.templates[spec.template], spec)
