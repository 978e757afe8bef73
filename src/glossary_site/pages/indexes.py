"""Backlinks and listings (articles, categories, depths, A-Z, tags): pure functions of data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content.documents import Article, slugify


@dataclass(frozen=True)
class Backlinks:
    """Who mentions each term, computed only after every document is linked (as Zola does)."""

    articles: dict[str, tuple[str, ...]]
    """Term slug -> slugs of articles that mention it, newest first."""
    terms: dict[str, tuple[str, ...]]
    """Term slug -> slugs of other terms whose summary or body mention it."""
    article_terms: dict[str, tuple[str, ...]]
    """Article slug -> term slugs it mentions, in order of first mention."""
    counts: dict[str, int] | None = None
    """Term slug -> len(articles[slug]), when kept apart: `build`'s edit path reads the
    counts graph.json shows without decoding every "used by" list."""
    contexts: dict[str, tuple] = field(default_factory=dict)
    """Term slug -> the sentence of its first mention in each article of articles[slug], in
    that order (linking/excerpts.py; None where there is none): what the term's page shows."""

    def count(self, slug: str) -> int:
        if self.counts is not None:
            return self.counts.get(slug, 0)
        return len(self.articles.get(slug, ()))


def first_mentions(mentions) -> tuple[str, ...]:
    return tuple(dict.fromkeys(slug for slug, _ in mentions))


def build_backlinks(
    article_terms: dict[str, tuple[str, ...]],
    term_mentions: dict[str, tuple[tuple[str, int], ...]],
    article_order: list[str],
    article_contexts: dict[str, tuple] | None = None,
) -> Backlinks:
    """`article_terms`: article slug -> the terms it links in order of first mention;
    `article_order`: article slugs newest first, the order of every "used by" list;
    `article_contexts`: article slug -> the sentence of each of those first mentions."""
    by_term_articles: dict[str, list[str]] = {}
    by_term_contexts: dict[str, list] = {}
    article_terms = dict(sorted(article_terms.items()))
    article_contexts = article_contexts or {}
    for slug in article_order:
        terms = article_terms.get(slug, ())
        contexts = article_contexts.get(slug, ())
        if len(contexts) != len(terms):
            contexts = (None,) * len(terms)
        for term, context in zip(terms, contexts):
            by_term_articles.setdefault(term, []).append(slug)
            by_term_contexts.setdefault(term, []).append(context)
    return Backlinks(
        articles={k: tuple(v) for k, v in sorted(by_term_articles.items())},
        terms=term_backlinks(term_mentions),
        article_terms=article_terms,
        contexts={k: tuple(v) for k, v in sorted(by_term_contexts.items())},
    )


def term_backlinks(term_mentions: dict[str, tuple[tuple[str, int], ...]]) -> dict[str, tuple[str, ...]]:
    """Term slug -> the other terms whose summary or body mention it."""
    by_term_terms: dict[str, set[str]] = {}
    for source, mentions in term_mentions.items():
        for term in first_mentions(mentions):
            if term != source:
                by_term_terms.setdefault(term, set()).add(source)
    return {k: tuple(sorted(v)) for k, v in sorted(by_term_terms.items())}


_EPOCH = dt.datetime(1, 1, 1)


def _sort_date(article: Article) -> dt.datetime:
    """Comparable across naive and aware datetimes: aware ones are taken as UTC."""
    date = article.date
    if date is None:
        return _EPOCH
    if date.tzinfo is not None:
        return date.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return date


def sort_articles(articles) -> list[Article]:
    """Hugo's order: by weight (unweighted, 0, after every weighted one), then newest first;
    undated articles last; ties broken by title then slug for stability."""
    return sorted(articles, key=lambda a: (a.weight == 0, a.weight, -_sort_date(a).toordinal(), -_seconds(a),
                                           a.title.lower(), a.slug))  # fmt: skip


def _seconds(article: Article) -> int:
    d = _sort_date(article)
    return d.hour * 3600 + d.minute * 60 + d.second


def by_category(categories: tuple[str, ...], terms: list) -> list[tuple[str, list]]:
    """Terms (already in reading order) grouped by category in the configured order."""
    return [(c, [t for t in terms if t.category == c]) for c in categories]


def by_depth(depths: tuple[str, ...], terms: list) -> list[tuple[str, list]]:
    return [(d, [t for t in terms if t.depth == d]) for d in depths]


def by_letter(terms: list) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for term in terms:
        first = term.title[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(term)
    return sorted(groups.items(), key=lambda kv: (kv[0] != "#", kv[0]))


def by_tag(articles: list) -> list[tuple[str, str, list]]:
    """(tag slug, display name, articles newest first); tags that slugify alike share a page."""
    groups: dict[str, tuple[str, list]] = {}
    for article in articles:
        for tag in article.tags:
            slug = slugify(tag)
            if slug:
                groups.setdefault(slug, (tag, []))[1].append(article)
    return [(slug, name, items) for slug, (name, items) in sorted(groups.items())]


def terms_by_depth(terms: list, depths: tuple[str, ...]) -> list[tuple[str, list]]:
    """The terms of one article, basics first, so a reader can start at the beginning."""
    return [(d, sorted((t for t in terms if t.depth == d), key=lambda t: t.title.lower()))
            for d in depths if any(t.depth == d for t in terms)]
