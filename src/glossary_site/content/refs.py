"""What one page shows of another document: small, hashable views of terms and articles.

Pages receive these instead of whole documents, so a page's inputs (and its cache key)
change only when something it actually shows changes, not when a body elsewhere does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from .documents import Article, Term


@dataclass(frozen=True)
class TermRef:
    slug: str
    title: str
    summary: str
    category: str
    depth: str
    fallback: str = ""
    """The language of an entry standing in for an untranslated term (Term.fallback)."""

    @classmethod
    def of(cls, term: Term) -> "TermRef":
        return cls(term.slug, term.title, term.summary, term.category, term.depth, term.fallback)


@dataclass(frozen=True)
class TermLabel:
    """What a page that links, lists by name or counts a term shows of it: no summary. An
    article's "Terms in this article", a term's related and linked terms carry these; the
    summaries are in the site's one preview file (render.previews_json), so a summary edit
    changes only the pages that print it (the term's own, the glossary listings)."""

    slug: str
    title: str
    category: str
    depth: str

    @classmethod
    def of(cls, term: "Term | TermRef | TermLabel") -> "TermLabel":
        return cls(term.slug, term.title, term.category, term.depth)


@dataclass(frozen=True)
class ArticleRef:
    slug: str
    title: str
    summary: str
    kind: str
    date: dt.datetime | None
    tags: tuple[str, ...]
    weight: int = 0
    """Listings put weighted articles first (sort_articles)."""

    @classmethod
    def of(cls, article: Article) -> "ArticleRef":
        return cls(article.slug, article.title, article.summary, article.kind, article.date, article.tags,
                   article.weight)  # fmt: skip


def ref_key(base: str, ref: ArticleRef | TermRef | TermLabel) -> str:
    """A digest of a ref (plus `base`) for cache keys: the repr of a frozen dataclass of plain
    values is stable, and hashing it is far cheaper than pickling 10,000 refs."""
    return hashlib.blake2b(f"{base}\0{ref!r}".encode(), digest_size=16).hexdigest()
