"""SALIENCE: which terms are common (mentioned on more than `common_share` of the articles),
counted from each article's mentions, kept in the cache by its text's digest."""

from __future__ import annotations

from ..content.config import SiteConfig
from ..content.digests import digest, text_digest
from ..content.documents import Article
from ..content.graph import TermGraph
from ..linking.derived import stems_apply
from ..linking.languages import rules_for
from ..linking.matcher import TermMatcher
from ..linking.stems import stemmer_key


def forms_key(graph: TermGraph, config: SiteConfig) -> str:
    """What decides the surface forms (term_forms): the names, and the rules that derive and inflect
    them; with `stemming` on, the stemmer and its version (off, the key is what it was before the option)."""
    names = sorted((t.slug, t.title, t.aliases, t.autolink, t.case_sensitive, t.derive, t.disambiguate)
                   for t in graph.terms.values())  # fmt: skip
    return digest(names, rules_for(config.language).key, *((stemmer_key(),) if stems_apply(config) else ()))


MENTIONS = "mentions:"
"""Rows of BuildCache.docs: 'mentions:<source>' -> (key, the terms an article's text mentions)."""


def common_terms(matcher: TermMatcher, matcher_key: str, articles: tuple[Article, ...], share: float,
                 digests: dict[str, str] | None = None, cache=None) -> dict[str, float]:  # fmt: skip
    """Slug -> share of the articles that mention it, for every term mentioned on more than
    `share` of them. Each article's title and Markdown are scanned once by the matcher (all of
    it: code too) and the terms found kept in the cache by its text's digest, so a warm build
    scans only the articles that changed."""
    counts: dict[str, int] = {}
    for article in articles:
        for slug in article_mentions(matcher, matcher_key, article, digests, cache):
            counts[slug] = counts.get(slug, 0) + 1
    total = len(articles)
    return {slug: n / total for slug, n in sorted(counts.items()) if n / total > share}


def article_mentions(matcher: TermMatcher, matcher_key: str, article: Article, digests=None, cache=None) -> tuple[str, ...]:
    """The terms an article's title and text mention (what common_terms counts), sorted."""
    text = f"{article.title}\n{article.body}"
    source_digest = digests.get(article.source) if digests else None
    key = digest(matcher_key, source_digest) if source_digest else text_digest(matcher_key, text)
    if cache is not None:
        hit = cache.docs.get(MENTIONS + article.source)
        if hit and hit[0] == key:
            return hit[1]
    found = tuple(sorted({m.slug for m in matcher.scan(text)[0]}))
    if cache is not None:
        cache.docs[MENTIONS + article.source] = (key, found)
        cache.dirty = True
    return found
