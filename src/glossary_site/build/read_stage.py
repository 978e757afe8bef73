"""LOAD + PARSE + GRAPH: every source read, parsed (in worker processes, and only when its text
changed since the cached parse) and checked, before any Markdown is rendered."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest, text_digest
from ..content.documents import Article, Corpus, assemble_corpus, parse_source, without_line
from ..content.graph import build_graph
from ..content.languages import language_of
from ..content.publishing import next_change, published, unsupported_keys
from ..content.sources import SourceFile, kind_of, load_sources
from ..linking.derived import deriver, stems_apply, warn_shared_stems
from .cache import BuildCache, with_body
from .workers import fork_map


def parse_key(config: SiteConfig) -> str:
    """What parsing depends on besides a file's text."""
    return digest(config.depths, config.categories, config.drafts, config.article_urls, config.permalinks,
                  config.terms_dir, config.language, config.home_language, [lang.code for lang in config.languages])  # fmt: skip


def parse_stage(sources: list[SourceFile], config: SiteConfig, cache: BuildCache, diags: Diagnostics, jobs: int = 1):
    """Parse every source, reusing the parse of any file whose text is unchanged; the rest
    are parsed in worker processes when there are many (YAML is most of a cold parse)."""
    parse_key_ = parse_key(config)
    digests = {source.rel: text_digest(parse_key_, source.text) for source in sources}
    misses = [s for s in sources if (hit := cache.parsed.get(s.rel)) is None or hit[0] != digests[s.rel]]
    for source, (doc, ok, items) in zip(misses, fork_map(lambda source: _parse_one(source, config), misses, jobs)):
        cache.remember_parse(source.rel, digests[source.rel], doc, ok, items)
        cache.dirty = True
    parsed = []
    for source in sources:
        doc, ok, items = cache.parsed[source.rel][1]
        diags.extend(items)
        if doc is not None:  # the body is not kept: it is the text after the front matter
            body = _body_from(source.text, doc.body_line)
            if getattr(doc, "heading_line", 0):  # an article titled by its first heading
                body = without_line(body, doc.heading_line - doc.body_line)
            doc = with_body(doc, body)
        parsed.append((source, doc, ok))
    for rel in set(cache.parsed) - set(digests):
        del cache.parsed[rel]
        cache.dirty = True
    return assemble_corpus(parsed), digests


def _parse_one(source: SourceFile, config: SiteConfig) -> tuple:
    """A parsed document without its body (workers send less back), ok, its diagnostics."""
    local = Diagnostics()
    doc, ok = parse_source(source, config, local)
    return (with_body(doc, "") if doc is not None else None, ok, local.items)


def _body_from(text: str, body_line: int) -> str:
    pos = 0
    for _ in range(body_line - 1):
        pos = text.index("\n", pos) + 1
    return text[pos:]


def read_site(config: SiteConfig, diags: Diagnostics, cache: BuildCache | None = None, jobs: int = 1):
    """LOAD + PARSE + GRAPH: everything validated before any Markdown is rendered. Articles that
    are not published now (future, expired) are set aside here, after the cached parse."""
    cache = cache if cache is not None else BuildCache()
    resources: list[tuple[str, str]] = []
    sources = load_sources(config.root, diags, resources, config.terms_dir)
    if config.languages:
        sources = in_language(sources, config)
        resources = [(file, index) for file, index in resources if _language(index, config)[0] == config.language]
    corpus, digests = parse_stage(sources, config, cache, diags, jobs)
    if config.languages:
        _check_translation_keys(corpus, config, diags)
        corpus = with_fallbacks(corpus, config)
    now = dt.datetime.now(dt.timezone.utc)
    unsupported_keys(corpus.articles, diags)
    corpus = dataclasses.replace(
        corpus, articles=tuple(a for a in corpus.articles if published(a, now, config.future, config.expired)),
        next_change=next_change(corpus.articles, now), resources=tuple(resources))
    graph = build_graph(corpus.terms, config, diags, deriver(config.language))
    if stems_apply(config):
        warn_shared_stems(graph, diags)
    _check_article_slugs(corpus.articles, diags)
    return corpus, graph, digests


def _check_article_slugs(articles: tuple[Article, ...], diags: Diagnostics) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        other = seen.setdefault(article.slug, article)
        if other is not article and article.slug.startswith("/"):
            key = "url" if "url" in article.lines else "slug"
            diags.error(SourcePos(article.source, article.lines.get(key, 1)),
                        f"article URL '{article.slug}' is also used by {other.source}",
                        f"Set a different '{key}:' in one of them.")  # fmt: skip
        elif other is not article:
            diags.error(SourcePos(article.source, article.lines.get("slug", 1)),
                        f"article slug '{article.slug}' is also used by {other.source}",
                        "Set a different 'slug:' in one of them.")  # fmt: skip


def _language(rel: str, config: SiteConfig) -> tuple[str, str]:
    return language_of(rel, tuple(lang.code for lang in config.languages), config.home_language)


def in_language(sources: list[SourceFile], config: SiteConfig) -> list[SourceFile]:
    """The sources of a multilingual site's language `config.language`, each with the path its
    URL is made from; and, for another language than the default, the default language's
    terms, which stand in for those not translated yet (with_fallbacks)."""
    found = []
    for source in sources:
        language, path = _language(source.rel, config)
        # What a file is comes from its path without the language: content/ja/glossary/x.md is a
        # term of a glossary kept in content/glossary (terms_dir), not an article.
        kind = kind_of(path, config.terms_dir) if path != source.rel else source.kind
        if kind is not None and (language == config.language or (kind == "term" and language == config.home_language)):
            found.append(dataclasses.replace(source, path=path, kind=kind))
    return found


def with_fallbacks(corpus: Corpus, config: SiteConfig) -> Corpus:
    """The language's own terms, and each default-language term that none of them translates
    (no shared translation key, no shared slug), marked as standing in."""
    if config.language == config.home_language:
        return corpus
    own = {t.translation_key: t for t in corpus.terms if _language(t.source, config)[0] == config.language}
    slugs = {t.slug for t in own.values()}
    default = {name.lower(): t for t in corpus.terms if _language(t.source, config)[0] != config.language
               for name in (t.slug, t.title, *t.aliases)}  # fmt: skip
    # A category is named in the language of the terms translated from it: the stand-ins join it.
    named = Counter((t.category, own[t.translation_key].category) for t in corpus.terms
                    if _language(t.source, config)[0] != config.language and t.translation_key in own)  # fmt: skip
    category = {}
    for (theirs, ours), _ in named.most_common():
        category.setdefault(theirs, ours)
    terms = []
    for term in corpus.terms:
        if _language(term.source, config)[0] == config.language:
            terms.append(term)
        elif term.translation_key not in own and term.slug not in slugs:
            # Its `related` names default-language terms: those translated are this language's now.
            related = tuple((own[t.translation_key].slug if (t := default.get(ref.lower())) and t.translation_key in own
                             else ref, pos) for ref, pos in term.related)  # fmt: skip
            terms.append(dataclasses.replace(term, fallback=config.home_language, related=related,
                                             category=category.get(term.category, term.category)))  # fmt: skip
    return dataclasses.replace(corpus, terms=tuple(terms))


def _check_translation_keys(corpus: Corpus, config: SiteConfig, diags: Diagnostics) -> None:
    """Two terms or two articles of one language with one translation key: neither could say
    which is the other language's version."""
    for kind, docs in (("term", corpus.terms), ("article", corpus.articles)):
        seen: dict[str, object] = {}
        for doc in docs:
            if _language(doc.source, config)[0] != config.language:
                continue
            other = seen.setdefault(doc.translation_key, doc)
            if other is not doc:
                written = "translationKey" in doc.lines
                diags.error(SourcePos(doc.source, doc.lines.get("translationKey", 1)),
                            f"this {kind} and {other.source} are both the {config.language} version of "
                            f"'{doc.translation_key}'", "Give one of them its own translationKey."
                            if written else "Set translationKey: in one of them to the page it translates.")  # fmt: skip
