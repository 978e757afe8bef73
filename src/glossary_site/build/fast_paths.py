"""The dev server's fast paths: an edit re-renders only the pages that show what it changed.

A full warm rebuild must look at every source to find what changed; at 10,000 articles
that alone costs seconds. The watcher already knows which files changed, so two common
edits are applied to the last build's in-memory state (last_build.LastBuild) directly:

- article edits that leave what other pages show of the article (its ArticleRef: title,
  date, summary, kind, tags, slug) unchanged: the article, the term pages whose "used by"
  lists gain or lose it, and graph.json;
- term edits that leave where links go unchanged (title, aliases, autolink, case, and the
  category, depth and related lists): the term, the terms whose "Terms that mention it" it
  joins or leaves, the pages that print its summary (the glossary listings), graph.json and
  the preview file. No article page shows a summary (render.term_items), so none is touched.

Anything else (a new or deleted file, site.yaml, a template, any diagnostic) returns None
and the caller runs the full rebuild, which is always correct. The randomized test checks
both paths against clean builds.
"""

from __future__ import annotations

import dataclasses
from collections import ChainMap

from ..content.diagnostics import Diagnostics
from ..content.digests import digest, text_digest
from ..content.documents import Article, Term, parse_source
from ..content.refs import ArticleRef, TermLabel, TermRef
from ..content.sources import read_source
from ..content.urls import article_rel, page_file
from ..linking.glossary_shortcodes import uses_glossary_shortcodes
from ..linking.markdown import make_markdown, prime
from ..pages.indexes import Backlinks, first_mentions, term_backlinks
from ..pages.render import OutputFile, graph_json, previews_json, render_page
from ..pages.shortcode_templates import ShortcodeTemplates
from .article_pages import ArticleRenderer, ArticleResult
from .cache import BuildCache, article_contexts
from .cache_store import Rows
from .kept_bodies import unpack
from .last_build import LastBuild
from .link_stage import calls_param
from .pipeline import BuildResult, link_term
from .publish import overwrite_in_place
from .salience import MENTIONS, article_mentions, forms_key
from .search_update import article_pages, touches_search, update_search
from .site_pages import feed_specs, key_of, listing_page_specs, term_page_specs


def apply_edits(live: LastBuild | None, cache: BuildCache, changed: list[str], jobs: int = 1, write=None) -> BuildResult | None:
    """Apply edits to existing articles or existing terms (not both); None: run a full rebuild.
    `write(files, removed) -> bool` publishes the pages (default: InPlace, over the output);
    if it has a `staging` folder, article pages are written straight into it by the workers."""
    if live is None or not changed:
        return None
    write = write or InPlace(live.config.output)
    if all(rel in live.articles for rel in changed):
        return update_articles(live, cache, changed, jobs, write)
    if all(rel in live.term_sources for rel in changed):
        return update_terms(live, cache, changed, jobs, write)
    return None


def _reparse(live: LastBuild, rel: str):
    """(document, digest) of a file as it is now; None if it has any problem (the full build reports it)."""
    local = Diagnostics()
    source = read_source(live.config.root, rel, local, live.config.terms_dir)
    if source is None or local.items:
        return None
    key = text_digest(live.parse_key, source.text)
    doc, ok = parse_source(source, live.config, local)
    if not ok or doc is None or local.items:
        return None
    return doc, key


def update_articles(live: LastBuild, cache: BuildCache, changed: list[str], jobs: int, write) -> BuildResult | None:
    edits: list[tuple[Article, str]] = []
    for rel in changed:
        parsed = _reparse(live, rel)
        if parsed is None or not isinstance(parsed[0], Article) or ArticleRef.of(parsed[0]) != live.articles[rel]:
            return None
        last = cache.parsed.get(rel)
        if last is None or parsed[1] != last[0]:  # else saved without changes
            if last is None or _window(parsed[0]) != _window(last[1][0]):
                return None  # when it is published may change: the full build decides
            if not live.inputs.context.glossary and uses_glossary_shortcodes(parsed[0].body):
                return None  # the first definition or glossary shortcode: summaries join the link context
            if _brings_params(live, parsed[0].body):
                return None
            edits.append(parsed)
    if not live.config.link_common_terms and not all(_mentions_same(live, cache, doc, key) for doc, key in edits):
        return None  # which terms are common may change: the full build counts again
    if live.renderer is None:
        live.renderer = ArticleRenderer(_unit_inputs(live.inputs, write, [doc.slug for doc, _ in edits]), live.env)
    results = []
    for doc, key in edits:
        _prime_from(cache, doc.source)
        results.append(live.renderer.run(doc, key))
    # Only the edited articles' rows, the "used by" lists of terms they stopped or started
    # linking and the sentences of the terms whose first mention they reworded change: read
    # just those (`build` reads them from the store row by row).
    base = live.backlinks
    article_terms = {doc.slug: result.terms for (doc, _), result in zip(edits, results)}
    touched: set[str] = set()
    for slug, new in article_terms.items():
        touched |= set(new) ^ set(base.article_terms.get(slug, ()))
    said = {doc.slug: dict(zip(result.terms, result.contexts)) for (doc, _), result in zip(edits, results)}
    reworded = {term for (doc, _), result in zip(edits, results) for term in _reworded(cache, doc, result)} - touched
    pages = touched | reworded
    _fetch_rows(base, pages)
    order = {slug: i for i, slug in enumerate(live.article_order)} if pages else {}
    used_by: dict[str, tuple[str, ...]] = {}
    contexts: dict[str, tuple] = {}
    for term in pages:
        last = base.articles.get(term, ())
        users = {a for a in last if a not in article_terms}
        users |= {a for a, terms in article_terms.items() if term in terms}
        users = tuple(sorted(users, key=order.__getitem__))
        if term in touched:
            used_by[term] = users
        before = dict(zip(last, base.contexts.get(term, ())))
        contexts[term] = tuple(said[a][term] if a in said else before.get(a) for a in users)
    counts = None if base.counts is None else ChainMap({t: len(users) for t, users in used_by.items()}, base.counts)
    view = Backlinks(ChainMap(used_by, base.articles), base.terms, ChainMap(article_terms, base.article_terms), counts,
                     ChainMap(contexts, base.contexts))  # fmt: skip
    _fetch_entries(live, view, pages)
    files = _render_pages(live, cache.pages, results, view, pages, listings=False, feeds=touched)
    return _publish(live, cache, files, edits, results, write, jobs, used_by=used_by, article_terms=article_terms,
                    contexts=contexts)  # fmt: skip


def _reworded(cache: BuildCache, article: Article, result: ArticleResult) -> set[str]:
    """The terms whose first mention in the article now sits in another sentence (all it links
    when the last build's record of it is not there)."""
    last = cache.docs.get(article.source)
    if last is None or len(last) < 3:
        return set(result.terms)
    before = dict(zip(last[1], article_contexts(last)))
    return {term for term, context in zip(result.terms, result.contexts) if before.get(term, _ABSENT) != context}


_ABSENT = object()


def update_terms(live: LastBuild, cache: BuildCache, changed: list[str], jobs: int, write) -> BuildResult | None:
    """Summary and body edits of terms. No article page shows them: an article shows a term's
    label (title, depth, category; the fast path refuses edits of those) and links carry only
    its address, while the summaries are in the one preview file. So only the term pages and
    listings that print the summary, graph.json and the preview file are rendered again."""
    if live.inputs.context.glossary:
        return None  # bodies show summaries (the definition and glossary shortcodes): the full build
    graph = live.graph
    terms = dict(graph.terms)
    edits: list[tuple[Term, str]] = []
    for rel in changed:
        parsed = _reparse(live, rel)
        if parsed is None or not isinstance(parsed[0], Term):
            return None
        new, old = parsed[0], graph.terms[live.term_sources[rel]]
        if uses_glossary_shortcodes(new.body):
            return None  # a definition or glossary shortcode shows summaries: the full build
        if _brings_params(live, new.body):
            return None
        if _shape(new) != _shape(old):
            return None  # names, links or the graph change: the full rebuild handles that
        if parsed[1] != cache.parsed.get(rel, ("",))[0]:
            edits.append(parsed)
            terms[new.slug] = new
    graph = dataclasses.replace(graph, terms=terms)
    term_refs = {slug: TermRef.of(t) for slug, t in terms.items()}
    if any(TermLabel.of(term_refs[doc.slug]) != TermLabel.of(live.inputs.term_refs[doc.slug]) for doc, _ in edits):
        return None  # an article page would show it (_shape keeps these out: never taken)
    # Article pages, their keys and the entries (term_items) depend on labels only: unchanged.
    inputs = dataclasses.replace(live.inputs, term_refs=term_refs)
    # Bodies link by name only, so only the edited terms' own text needs linking again.
    md = make_markdown(inputs.context, live.config.unsafe_html, shortcodes=ShortcodeTemplates(live.env))
    term_docs = dict(live.term_docs)
    for doc, _ in edits:
        term_docs[doc.slug] = link_term(md, doc)
        if term_docs[doc.slug].rendered.errors:
            return None
    backlinks = dataclasses.replace(
        live.backlinks, terms=term_backlinks({s: d.rendered.mentions for s, d in term_docs.items()}))

    updated = dataclasses.replace(live, graph=graph, term_docs=term_docs, inputs=inputs, renderer=None)
    # Term pages an edit shows on: its own, and those it mentions before or after (their
    # "Terms that mention it"). Its neighbours and the terms mentioning it show its label only.
    pages = {doc.slug for doc, _ in edits}
    for doc, _ in edits:
        pages |= set(first_mentions(live.term_docs[doc.slug].rendered.mentions))
        pages |= set(first_mentions(term_docs[doc.slug].rendered.mentions))
    _fetch_entries(live, backlinks, pages)
    files = _render_pages(updated, cache.pages, [], backlinks, pages, listings=True)
    updated.backlinks = backlinks
    result = _publish(updated, cache, files, [], [], write, jobs)
    if result is not None:
        for doc, key in edits:
            cache.remember_parse(doc.source, key, doc, True)
            cache.docs[doc.source] = (digest(live.names, key), term_docs[doc.slug])
    return result


def _brings_params(live: LastBuild, text: str) -> bool:
    """The site's first `param` call: its params join the link context (the full build)."""
    return not live.inputs.context.site_params and bool(live.config.params) and calls_param(text)


def _fetch_rows(backlinks: Backlinks, terms: set[str]) -> None:
    """Read, in a few queries, the "used by" lists and sentences of these terms (`build`'s edit
    path; a view's own maps first; the sentences once the lists are known)."""
    for mapping in (backlinks.articles, backlinks.contexts):
        for rows in getattr(mapping, "maps", [mapping]):
            if hasattr(rows, "fetch"):
                rows.fetch(terms)


def _fetch_entries(live: LastBuild, backlinks: Backlinks, terms: set[str]) -> None:
    """Read, in a few queries, the rows the pages of these terms show (their "used by" lists,
    the sentences and the entries of the articles in them)."""
    if not isinstance(live.entry_keys, Rows):
        return
    _fetch_rows(backlinks, terms)
    users = sorted({a for t in terms for a in backlinks.articles.get(t, ())})
    if isinstance(live.entry_keys, Rows):
        live.entry_keys.fetch(users)
    if isinstance(live.entries, Rows):
        live.entries.fetch({live.entry_keys[a] for a in users if a in live.entry_keys})


def _prime_from(cache: BuildCache, source: str) -> None:
    """The code blocks an edit left alone are highlighted as the article's kept body has them."""
    last = cache.bodies.index.get(source)
    body = cache.bodies.get(source, last) if last else None
    if body is None:
        return
    try:
        prime(unpack(body))
    except Exception:  # a damaged body only costs highlighting again
        pass


def _mentions_same(live: LastBuild, cache: BuildCache, article: Article, key: str) -> bool:
    """Whether the edited article mentions the same terms as before (then the common terms, which
    count the articles mentioning each, stay as they are); its cached count moves to its new text."""
    matcher_key = forms_key(live.graph, live.config)
    last = cache.docs.get(MENTIONS + article.source)
    found = article_mentions(live.inputs.context.matcher, matcher_key, article, {article.source: key})
    if last is None or last[1] != found:
        return False
    cache.docs[MENTIONS + article.source] = (digest(matcher_key, key), found)
    return True


def _window(article: Article | None) -> tuple:
    """What of an article changes other pages without showing on them: when it is published,
    and its aliases (redirect pages)."""
    return (article.publish_date, article.expiry_date, article.aliases) if article is not None else ()


def _shape(term: Term) -> tuple:
    """What decides where links go and how the graph is drawn; a summary or body is not part of it."""
    return (term.slug, term.title, term.aliases, term.autolink, term.case_sensitive, term.category, term.depth,
            tuple(name for name, _ in term.related), term.redirects, term.derive, term.disambiguate)  # fmt: skip


def _render_pages(live: LastBuild, pages: dict[str, str], results: list[ArticleResult], backlinks: Backlinks,
                  terms: set[str], listings: bool, feeds: set[str] | None = None) -> list[tuple[OutputFile, str]] | None:  # fmt: skip
    """The article results, then every term page (and listing) whose key changed, with their keys;
    None if anything failed (the full rebuild then reports it). `feeds`: the terms whose "used by"
    lists changed, when not all of `terms` (the feeds of their categories follow)."""
    if any(r.errors or (r.data is None and not r.written) for r in results):
        return None
    files = [(OutputFile(r.rel, r.data, r.source), r.page_key) for r in results]
    if not terms and not listings:
        return files  # an edit that moved no link shows only on its own page
    diags = Diagnostics()
    graph = live.graph
    specs = term_page_specs(live, backlinks, sorted(terms & set(graph.terms)))
    if listings:
        specs += listing_page_specs(live, terms_only=True)
    else:
        # An article edit changed which articles use `terms` (the pages listing them): the
        # feeds of their categories follow. A term edit that reached here moved no link.
        feeds = terms if feeds is None else feeds
        if feeds:
            specs += feed_specs(live, backlinks, {graph.terms[s].category for s in feeds if s in graph.terms})
    for spec in specs:
        key = key_of(live, spec)
        if pages.get(spec.rel) != key:
            files.append((render_page(live.env, spec, live.config, diags), key))
    extra = [graph_json(live.config, graph, backlinks)]  # its counts and summaries
    if listings and live.config.previews:  # a term edit: the summaries previews show
        extra.append(previews_json(live.inputs.term_refs))
    for file in extra:
        if pages.get(file.rel) != digest(file.data):
            files.append((file, digest(file.data)))
    return None if diags.has_errors else files


def _publish(live: LastBuild, cache: BuildCache, files, edits, results, write, jobs: int, used_by=None,
             article_terms=None, contexts=None) -> BuildResult | None:  # fmt: skip
    """Write the pages (and a new search bundle if an indexed page changed) with `write`, then,
    only once they are published, record them and the edits in the cache and in `live`."""
    if files is None:
        return None
    removed: list[str] = []
    config = live.config
    articles = article_pages(live) if config.search else set()
    search = None
    if config.search and touches_search((file.rel for file, _ in files), articles):
        fresh = {file.rel: file.data for file, _ in files}
        staged = getattr(write, "staging", None)

        def read(rel: str) -> bytes:
            if rel not in fresh:
                return (config.output / rel).read_bytes()
            return fresh[rel] if fresh[rel] is not None else (staged / rel).read_bytes()

        search = update_search(config, cache.pages, cache.search, {file.rel: key for file, key in files}, read, articles,
                               jobs, stale=getattr(write, "search_later", False))  # fmt: skip
        if search is None:
            return None
        removed = search.removed
        files = files + [(file, digest(file.data)) for file in search.files]
    if not write([file for file, _ in files], removed):
        return None
    # Only a published result may update the cache: the next build trusts it.
    cache.pages.update({file.rel: key for file, key in files})
    for rel in removed:
        del cache.pages[rel]
    if search is not None:
        cache.search = search.keys
    for (doc, key), result in zip(edits, results):
        cache.remember_parse(doc.source, key, doc, True)
        cache.remember_article(result, key, digest(live.names, key))
    for term, users in (used_by or {}).items():
        if users:
            live.backlinks.articles[term] = users
        else:
            live.backlinks.articles.pop(term, None)
        if live.backlinks.counts is not None:
            live.backlinks.counts[term] = len(users)
    for slug, terms in (article_terms or {}).items():
        live.backlinks.article_terms[slug] = terms
    for term, sentences in (contexts or {}).items():
        if sentences:
            live.backlinks.contexts[term] = sentences
        else:
            live.backlinks.contexts.pop(term, None)
    cache.live = live
    return BuildResult(True, live.pages, sorted(file.rel for file, _ in files), removed)


def _unit_inputs(inputs, write, slugs):
    """Bodies come back to be kept; pages come back to be published together, or go straight
    into the publisher's staging folder (the pages of `slugs` are about to be)."""
    staging = write.prepare({page_file(article_rel(slug)) for slug in slugs})
    if staging is not None:
        return dataclasses.replace(inputs, in_memory=False, staging=staging, keep_bodies=True, body_dir=None)
    return dataclasses.replace(inputs, in_memory=True, keep_bodies=True, body_dir=None)


class InPlace:
    """The dev server's publisher: its output is its own (see overwrite_in_place). Pages come
    back from the workers to be written here once all of them rendered (workers writing into
    a scratch folder, renamed into place after, measured no faster: 2.6-3.1 s against
    2.5-3.2 s for a summary shown by 1,377 articles)."""

    staging = None

    def __init__(self, output, search_later: bool = False):
        self.output = output
        self.search_later = search_later
        """Publish edits without indexing them: the manifest says the index is stale until
        search_update.catch_up indexes them (in `serve`'s background)."""

    def prepare(self, coming) -> None:
        return None

    def __call__(self, files, removed) -> bool:
        overwrite_in_place(self.output, files)
        for rel in removed:
            (self.output / rel).unlink(missing_ok=True)
        return True
