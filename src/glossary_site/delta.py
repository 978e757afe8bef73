"""The dev server's fast path: an edit to article bodies re-renders only what shows them.

A full warm rebuild must look at every source to find what changed; at 10,000 articles
that alone costs seconds. When the watcher says only existing articles changed and what
other pages show of them (their ArticleRef: title, date, summary, kind, tags, slug) is
unchanged, the only other pages that can change are the term pages whose "used by" lists
gain or lose the article, and graph.json's counts. Anything else (a new or deleted file,
a term, a template, site.yaml, any diagnostic) returns None and the caller does a full
rebuild, which is always correct. The randomized test checks this path against clean builds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .article_unit import ArticleRenderer, ArticleResult, UnitInputs
from .cache import BuildCache, digest
from .config import SiteConfig
from .diagnostics import Diagnostics
from .documents import Article, parse_source
from .graph import TermGraph
from .indexes import Backlinks, first_mentions
from .refs import ArticleRef
from .render import TermDoc, graph_json, render_page, term_spec
from .sources import read_source
from .write import OutputWriter


@dataclass
class Live:
    """What the last successful build in this process computed; never written to disk."""

    config: SiteConfig
    parse_key: str
    graph: TermGraph
    term_docs: dict[str, TermDoc]
    inputs: UnitInputs
    env: Any
    templates: dict[str, str]
    config_key: str
    articles: dict[str, ArticleRef]
    """Source path -> what other pages show of that article (bodies are not kept)."""
    article_order: list[str]
    """Article slugs, newest first."""
    backlinks: Backlinks
    entries: dict[str, Any]
    entry_keys: dict[str, str]
    pages: int
    renderer: ArticleRenderer | None = None


def update_articles(live: Live | None, cache: BuildCache, changed: list[str], diags: Diagnostics):
    """Rebuild after edits to the articles in `changed`, or None when a full rebuild is needed."""
    from .pipeline import BuildResult  # the result type is the pipeline's; imported late to avoid a cycle

    if live is None or not changed or any(rel not in live.articles for rel in changed):
        return None
    config = live.config
    edits: list[tuple[Article, str]] = []
    for rel in changed:
        local = Diagnostics()
        source = read_source(config.root, rel, local)
        if source is None or local.items:
            return None
        key = digest(live.parse_key, source.text)
        if key == cache.parsed.get(rel, ("",))[0]:
            continue  # saved without changes
        doc, ok = parse_source(source, config, local)
        old = live.articles[rel]
        if not ok or local.items or not isinstance(doc, Article) or ArticleRef.of(doc) != old:
            return None
        edits.append((doc, key))
    local = Diagnostics()  # problems found here are reported by the full rebuild instead
    writer = OutputWriter(config.output, local)
    writer.ensure_staging()
    if live.renderer is None:
        live.renderer = ArticleRenderer(live.inputs)
    results: list[ArticleResult] = [live.renderer.run(doc, key) for doc, key in edits]
    if any(r.errors for r in results):
        writer.abort()
        return None  # the full rebuild reports them, with everything else that is wrong

    article_terms = dict(live.backlinks.article_terms)
    touched: set[str] = set()
    for (doc, _), result in zip(edits, results):
        new = first_mentions(result.mentions)
        touched |= set(new) ^ set(article_terms.get(doc.slug, ()))
        article_terms[doc.slug] = new
    by_term = dict(live.backlinks.articles)
    for term in touched:
        users = tuple(a for a in live.article_order if term in article_terms.get(a, ()))
        if users:
            by_term[term] = users
        else:
            by_term.pop(term, None)
    backlinks = Backlinks(dict(sorted(by_term.items())), live.backlinks.terms, article_terms)

    keys: dict[str, str] = {}
    for result in results:
        writer.claim(result.rel, result.source, written=True)
        keys[result.rel] = result.page_key
    graph = live.graph
    for slug in sorted(touched & set(graph.terms)):
        spec = term_spec(graph.terms[slug], live.term_docs[slug], graph, backlinks, live.inputs.term_refs,
                         live.entries, live.entry_keys)  # fmt: skip
        keys[spec.rel] = digest(live.config_key, live.templates[spec.template], spec.key_parts)
        writer.write(render_page(live.env, spec, config, local))
    if touched:
        file = graph_json(config, graph, backlinks)
        keys[file.rel] = digest(file.data)
        writer.write(file)
    if local.has_errors:
        writer.abort()
        return None
    writer.publish_in_place()
    # Only a published result may update the cache: the next build trusts it.
    cache.pages.update(keys)
    for (doc, key), result in zip(edits, results):
        cache.docs[doc.source] = (key, result.mentions)
        cache.parsed[doc.source] = (key, (dataclasses.replace(doc, body=""), True, ()))
    live.backlinks = backlinks
    return BuildResult(True, live.pages, sorted(writer.written), [])
