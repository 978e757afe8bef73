"""build_site(config): the only module that knows the order of the stages.

load -> parse -> graph -> link terms -> article units (link + render + write) ->
backlinks -> term pages -> listings -> commit.

Each stage reports problems into Diagnostics; the build stops before writing when there
are errors, and only a build without errors replaces the previous output. Every page has
a key (a digest of all its inputs); with a BuildCache from an earlier build, a page whose
key is unchanged is neither rendered nor written, which is what makes rebuilds cheap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest, text_digest
from ..content.documents import (
    Article,
    Corpus,
    Term,
    assemble_corpus,
    next_change,
    parse_source,
    published,
    slugify,
    unsupported_keys,
    without_line,
)
from ..content.graph import TermGraph, build_graph
from ..content.refs import ArticleRef, TermRef, ref_key
from ..content.sources import SourceFile, load_sources
from ..content.urls import article_rel, page_file
from ..linking.autolink import LinkContext, LinkState
from ..linking.builtin_shortcodes import ref_names
from ..linking.markdown import make_markdown, render_inline, render_markdown
from ..linking.matcher import TermMatcher, inflections, make_form
from ..pages.indexes import build_backlinks, by_tag, sort_articles
from ..pages.render import (
    LISTING_TEMPLATES,
    PageSpec,
    TermDoc,
    article_entries,
    graph_json,
    install_globals,
    render_page,
    term_items,
)
from ..pages.search_index import BUNDLE, build_index, index_key, indexed
from ..pages.sections import render_intros, section_folder_rel, section_specs
from ..pages.shortcode_templates import ShortcodeTemplates
from ..pages.templates import make_environment, template_digests
from .article_pages import ArticleRenderer, ArticleResult, UnitInputs, page_info, page_key
from .cache import CACHE_DIR, COMPILED, BuildCache, with_body
from .last_build import LastBuild
from .publish import OutputWriter, check_output_dir, write_new
from .site_files import alias_files, bundle_files, static_files
from .site_pages import feed_specs, key_of, listing_page_specs, term_page_specs
from .workers import fork_map


@dataclass
class BuildResult:
    ok: bool
    pages: int = 0
    """HTML pages in the output."""
    rendered: list[str] = field(default_factory=list)
    """Output paths rendered by this build (the rest were unchanged)."""
    removed: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, for --profile."""
    sources: dict[str, str] = field(default_factory=dict)
    """Output path -> the source (or 'index', 'theme/...') it was made from, for the link checker."""
    swapped: bool = False
    """The output was exchanged with the staging directory (which now holds the site before)."""
    staged: set[str] | None = None
    """Then: where the staging directory differs from the output (None: not known)."""
    applied: list[str] = field(default_factory=list)
    """The edited sources `build`'s edit path applied to the last build's state."""
    next_change: dt.datetime | None = None
    """When a future article comes due or an article expires: the site differs from then on."""


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now


# --- LOAD + PARSE + GRAPH ---------------------------------------------------------------


def parse_key(config: SiteConfig) -> str:
    """What parsing depends on besides a file's text."""
    return digest(config.depths, config.categories, config.drafts, config.article_urls, config.permalinks,
                  config.terms_dir)  # fmt: skip


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
    corpus, digests = parse_stage(sources, config, cache, diags, jobs)
    now = dt.datetime.now(dt.timezone.utc)
    unsupported_keys(corpus.articles, diags)
    corpus = dataclasses.replace(
        corpus, articles=tuple(a for a in corpus.articles if published(a, now, config.future, config.expired)),
        next_change=next_change(corpus.articles, now), resources=tuple(resources))
    graph = build_graph(corpus.terms, config, diags)
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


def link_context(graph: TermGraph, config: SiteConfig, recognise_disabled: bool = False,
                 corpus: Corpus | None = None) -> LinkContext:  # fmt: skip
    """`recognise_disabled` (for `explain`): find `autolink: false` names too, to say why they
    stayed plain; `corpus`: the pages a `ref` shortcode may name."""
    forms = [
        make_form(form, term.slug, term.case_sensitive)
        for term in graph.terms.values() if term.autolink or recognise_disabled
        for name in (term.title, *term.aliases)
        for form in inflections(name)
    ]  # fmt: skip
    return LinkContext(
        matcher=TermMatcher(forms),
        base_path=config.base_path,
        titles={slug: t.title for slug, t in graph.terms.items()},
        names=graph.names,
        policy=config.link_policy,
        describe=config.previews,
        disabled=frozenset(s for s, t in graph.terms.items() if not t.autolink) if recognise_disabled else frozenset(),
        pages=ref_table(corpus) if corpus is not None else {},
        math=config.math,
    )


def ref_table(corpus: Corpus) -> dict[str, str]:
    """Every name a `ref` shortcode may give a page by -> the page's URL path."""
    pages: dict[str, str] = {}
    for article in corpus.articles:
        ref_names(pages, article.source, article_rel(article.slug))
    for section in corpus.sections:
        ref_names(pages, section.source, section_folder_rel(section.folder) if section.folder else "")
    return pages


def uses_refs(corpus: Corpus) -> bool:
    """Whether any text may call `ref` or `relref` (then every page's URL is a linking input)."""
    return any("{{" in doc.body and "ref" in doc.body for doc in (*corpus.articles, *corpus.terms, *corpus.sections))


def names_key(graph: TermGraph, config: SiteConfig, context: LinkContext | None = None,
              shortcodes: ShortcodeTemplates | None = None) -> str:  # fmt: skip
    """Everything that decides a rendered body apart from its text: where links go (names,
    policy, URLs), the site's shortcode templates, and the pages `ref` may name."""
    names = sorted((t.slug, t.title, t.aliases, t.autolink, t.case_sensitive) for t in graph.terms.values())
    pages = sorted(context.pages.items()) if context is not None else ()
    return digest(names, config.base_path, config.link_policy, config.unsafe_html, config.previews, config.math, pages,
                  shortcodes.key() if shortcodes is not None else "")  # fmt: skip


# --- LINK ------------------------------------------------------------------------------


def link_term(md, term: Term) -> TermDoc:
    """A term's summary and body share one linker state: first mention across both."""
    state = LinkState(body_line=term.lines.get("summary", 1), self_slug=term.slug,
                      page={"title": term.title, "url": f"terms/{term.slug}/", "date": None, "params": {}})  # fmt: skip
    summary_html = render_inline(md, term.summary, state)
    state.body_line = term.body_line
    return TermDoc(summary_html, render_markdown(md, term.body, state))


def link_terms(graph, context, names, digests, cache, config, shortcodes=None) -> dict[str, TermDoc]:
    md = None
    docs = {}
    for slug, term in graph.terms.items():
        key = digest(names, digests[term.source])
        hit = cache.docs.get(term.source)
        if hit and hit[0] == key:
            docs[slug] = hit[1]
            continue
        md = md or make_markdown(context, config.unsafe_html, shortcodes=shortcodes)
        cache.dirty = True
        docs[slug] = link_term(md, term)
        cache.docs[term.source] = (key, docs[slug])
    return docs


def _report_refs(source: str, errors, corpus: Corpus, diags: Diagnostics, warnings=()) -> None:
    for line, message, hint, ref in errors:
        if slugify(ref) not in corpus.broken_terms:
            diags.error(SourcePos(source, line), message, hint)
    for line, message, hint in warnings:
        diags.warning(SourcePos(source, line), message, hint)


# --- ARTICLE UNITS ---------------------------------------------------------------------


def run_articles(articles: list[Article], inputs: UnitInputs, digests, names: str, cache: BuildCache,
                 output_ok: bool, jobs: int, progress: Callable[[str], None] | None, env=None) -> list[ArticleResult]:  # fmt: skip
    """Skip every article whose page key is unchanged; render the rest, in parallel if many.

    A page whose body is unchanged (same text, same names) but which shows something else
    that changed (a linked term's summary) is re-assembled around its kept body, if any.
    """
    results: dict[str, ArticleResult] = {}
    todo: list[tuple] = []
    # Which terms show differently than at the last build: an article linking none of them,
    # with the same text and templates, keeps its page key without hashing ~100 term digests.
    last_base, last_refs = cache.units
    changed = {s for s, d in inputs.ref_digests.items() if last_refs.get(s) != d} | (last_refs.keys() - inputs.ref_digests.keys())
    body_keys: dict[str, str] = {}
    for article in articles:
        source_digest = digests[article.source]
        rel = page_file(article_rel(article.slug))
        hit = cache.docs.get(article.source)
        if output_ok and hit and hit[0] == source_digest:
            last = cache.pages.get(rel)
            if last and last_base == inputs.base_key and changed.isdisjoint(hit[1]):
                key = last
            else:
                key = page_key(inputs, source_digest, hit[1])
            if cache.pages.get(rel) == key and os.path.isfile(f"{inputs.config.output}/{rel}"):
                results[article.source] = ArticleResult(article.source, rel, hit[1], (), key, False)
                continue
        body_key = body_keys[article.source] = digest(names, source_digest)
        todo.append((article, source_digest, cache.bodies.get(article.source, body_key), body_key))
    for result in render_units(todo, inputs, jobs, progress, env):
        cache.dirty = True
        results[result.source] = result
        cache.remember_article(result, digests[result.source], body_keys[result.source], inputs.body_dir is not None)
    cache.bodies.retain(digests)
    for source in cache.slots.keys() - digests.keys():
        del cache.slots[source]
    return [results[a.source] for a in articles]


def render_units(todo, inputs: UnitInputs, jobs: int, progress, env=None, meanwhile=None) -> list[ArticleResult]:
    """`env`: the build's Jinja environment, shared with (and inherited by) the renderers;
    `meanwhile()`: other work for this process while they render (see fork_map)."""
    renderer = ArticleRenderer(inputs, env)
    report = (lambda done, total: progress(f"articles: {done}/{total} rendered")) if progress else None
    return fork_map(lambda item: renderer.run(*item), todo, jobs, report, meanwhile)


# --- THE BUILD -------------------------------------------------------------------------


def build_site(config: SiteConfig, diags: Diagnostics, clean: bool = False, cache: BuildCache | None = None,
               jobs: int = 1, progress: Callable[[str], None] | None = None,
               keep_bodies: bool = False, strict: bool = False) -> BuildResult:  # fmt: skip
    """Build the site into config.output. `cache` (kept by the caller) makes rebuilds incremental;
    `keep_bodies` (the dev server) keeps every rendered article body in it too; `strict`:
    warnings fail the build like errors (nothing is published)."""
    timer = _Timer()
    if not check_output_dir(config, diags, clean):
        return BuildResult(False)
    cache = cache if cache is not None else BuildCache()
    cache.live = None  # from here on, only a successful build leaves state for the fast path
    corpus, graph, digests = read_site(config, diags, cache, jobs)
    timer.lap("load+parse+graph")

    env = make_environment(config.root, cache.root / CACHE_DIR / COMPILED if cache.store is not None else None)
    install_globals(env, config)
    shortcodes = ShortcodeTemplates(env)
    # Linking goes on after content errors so that one run reports bad references too.
    context = link_context(graph, config, corpus=corpus if uses_refs(corpus) else None)
    names = names_key(graph, config, context, shortcodes)
    term_docs = link_terms(graph, context, names, digests, cache, config, shortcodes)
    for slug, doc in term_docs.items():
        _report_refs(graph.terms[slug].source, doc.rendered.errors, corpus, diags, doc.rendered.warnings)
    timer.lap("link terms")

    templates = template_digests(env, ["article.html"])
    config_key = digest(dataclasses.replace(config, root=None, output=None))
    articles = sort_articles(corpus.articles)
    output_ok = str(config.output) == cache.output and config.output.is_dir()
    writer = OutputWriter(config.output, diags)
    term_refs = {slug: TermRef.of(t) for slug, t in graph.terms.items()}
    ref_digests = {slug: digest(ref) for slug, ref in term_refs.items()}
    items = term_items(env, term_refs, config, diags) or {}
    inputs = UnitInputs(config, context, term_refs, ref_digests, graph.depths,
                        digest(config_key, names, templates["article.html"]), writer.staging, items,
                        keep_bodies, cache.bodies.prepare())  # fmt: skip
    if diags.has_errors:
        # Unknown references in articles are found by linking them: report them in this run too.
        md = make_markdown(context, config.unsafe_html, shortcodes=shortcodes)
        for article in articles:
            state = LinkState(body_line=article.body_line, enabled=False, page=page_info(article))
            _report_refs(article.source, render_markdown(md, article.body, state).errors, corpus, diags)
        return BuildResult(False, timings=timer.timings)
    writer.ensure_staging()
    results = run_articles(articles, inputs, digests, names, cache, output_ok, jobs, progress, env)
    for result in results:
        diags.extend(result.errors)
    if diags.has_errors:
        writer.abort()
        return BuildResult(False, timings=timer.timings)
    timer.lap("articles")

    new_pages: dict[str, str] = {}
    for result in results:
        new_pages[result.rel] = result.page_key
        writer.claim(result.rel, result.source, written=result.written)
    backlinks = build_backlinks({a.slug: r.terms for a, r in zip(articles, results)},
                                {slug: d.rendered.mentions for slug, d in term_docs.items()},
                                [a.slug for a in articles])  # fmt: skip
    timer.lap("backlinks")
    article_refs = [ArticleRef.of(a) for a in articles]
    intros = render_intros(corpus.sections, context, config, diags, shortcodes)
    templates.update(template_digests(env, ["macros.html", "term.html", *LISTING_TEMPLATES]))
    entry_base = digest(config_key, templates["macros.html"])
    entry_keys = {a.slug: ref_key(entry_base, a) for a in article_refs}
    previous_entries = cache.entries
    entries = article_entries(env, article_refs, entry_keys, cache.entries, config, diags)
    if entries is None:
        writer.abort()
        return BuildResult(False, timings=timer.timings)
    cache.entries = entries
    timer.lap("article entries")
    articles_key = digest(article_refs)
    # The state the fast paths start from: it also makes this build's term pages and listings.
    state = LastBuild(
        config=config, parse_key=parse_key(config), graph=graph, term_docs=term_docs, inputs=inputs, env=env,
        templates=templates, config_key=config_key, articles={a.source: r for a, r in zip(articles, article_refs)},
        article_order=[a.slug for a in articles], backlinks=backlinks, entries=entries, entry_keys=entry_keys,
        pages=0, names=names, article_refs=article_refs, articles_key=articles_key, tags=by_tag(article_refs),
        term_sources={t.source: s for s, t in graph.terms.items()},
        article_sources={a.slug: a.source for a in articles}, home_intro=str(intros.get("", "")),
    )  # `pages` is counted once they are all known
    specs = term_page_specs(state, backlinks, graph.terms) + listing_page_specs(state) + feed_specs(state, backlinks)
    specs += section_specs(corpus.sections, intros, articles, article_refs, config)
    timer.lap("page specs")
    todo = []
    for spec in specs:
        key = new_pages[spec.rel] = key_of(state, spec)
        if output_ok and cache.pages.get(spec.rel) == key and (config.output / spec.rel).is_file():
            writer.claim(spec.rel, spec.source, written=False)
        else:
            todo.append(spec)
    render_pages(todo, env, config, writer, diags, jobs)
    static = [*static_files(config), *bundle_files(config, corpus), *alias_files(config, corpus.articles),
              graph_json(config, graph, backlinks)]
    for file in static:
        key = digest(file.data)
        new_pages[file.rel] = key
        unchanged = output_ok and cache.pages.get(file.rel) == key and (config.output / file.rel).is_file()
        writer.claim(file.rel, file.source, written=False) if unchanged else writer.write(file)
    timer.lap("pages")
    if config.search and not diags.has_errors:
        publish_search(config, cache, writer, new_pages, output_ok, diags)
        timer.lap("search")
    if diags.has_errors or (strict and diags.warnings):
        writer.abort()
        return BuildResult(False, timings=timer.timings)
    previous = set(cache.pages) if output_ok else set()
    removed = sorted(previous - set(new_pages))
    writer.commit(keep_from=config.output if output_ok else None, removed=removed, force=not output_ok)
    if new_pages != cache.pages or cache.output != str(config.output) or entries != previous_entries:
        cache.dirty = True
    cache.pages, cache.output = new_pages, str(config.output)
    if cache.units != (inputs.base_key, inputs.ref_digests):
        cache.units, cache.dirty = (inputs.base_key, dict(inputs.ref_digests)), True
    timer.lap("commit")
    state.pages = sum(rel.endswith(".html") for rel in new_pages)
    cache.live = state
    swapped = bool(writer.written or removed or not output_ok)
    staged = set(writer.written) | set(removed) if output_ok else None
    return BuildResult(True, state.pages, sorted(writer.written), removed, timer.timings, dict(writer.owners), swapped,
                       staged, next_change=corpus.next_change)  # fmt: skip


def render_pages(specs: list[PageSpec], env, config: SiteConfig, writer: OutputWriter, diags: Diagnostics, jobs: int) -> None:
    """Render and stage pages, in worker processes when there are many (a thousand term pages).
    Every path is claimed here first, so a collision is reported and nothing overwrites."""
    todo = [(rel, spec) for spec in specs if (rel := writer.reserve(spec.rel, spec.source)) is not None]

    def run(item: tuple[str, PageSpec]) -> tuple:
        local = Diagnostics()
        output = render_page(env, item[1], config, local)
        if output is not None:
            write_new(writer.staging / item[0], output.data)
        return tuple(local.items)

    for items in fork_map(run, todo, jobs):
        diags.extend(items)


def publish_search(config: SiteConfig, cache: BuildCache, writer: OutputWriter, pages: dict[str, str],
                   output_ok: bool, diags: Diagnostics) -> None:  # fmt: skip
    """Add the search bundle to this build: the published one when no indexed page changed,
    else a new index of every term and article page (from staging if rewritten, else output)."""
    key = index_key(pages, config)
    old = [rel for rel in cache.pages if rel.startswith(BUNDLE)]
    if output_ok and cache.search == key and old and all((config.output / rel).is_file() for rel in old):
        for rel in old:
            pages[rel] = cache.pages[rel]
            writer.claim(rel, "search index", written=False)
        return
    written = set(writer.written)
    files = build_index(indexed(pages), lambda rel: ((writer.staging if rel in written else config.output) / rel).read_bytes(),
                        config, diags)  # fmt: skip
    for file in files or ():
        pages[file.rel] = digest(file.data)
        writer.write(file)
    cache.search, cache.dirty = (key, True) if files is not None else ("", cache.dirty)


def check_site(config: SiteConfig, diags: Diagnostics) -> bool:
    """Everything `build` validates up to rendering (sources, graph, references); writes nothing."""
    corpus, graph, _ = read_site(config, diags)
    env = make_environment(config.root)
    install_globals(env, config)
    shortcodes = ShortcodeTemplates(env)
    md = make_markdown(link_context(graph, config, corpus=corpus), config.unsafe_html, shortcodes=shortcodes)
    for term in graph.terms.values():
        rendered = link_term(md, term).rendered
        _report_refs(term.source, rendered.errors, corpus, diags, rendered.warnings)
    for article in corpus.articles:
        state = LinkState(body_line=article.body_line, enabled=False, page=page_info(article))
        rendered = render_markdown(md, article.body, state)
        _report_refs(article.source, rendered.errors, corpus, diags, rendered.warnings)
    render_intros(corpus.sections, link_context(graph, config), config, diags, shortcodes)
    return not diags.has_errors
