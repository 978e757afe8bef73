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
from ..content.diagnostics import Diagnostics
from ..content.digests import digest
from ..content.documents import Article
from ..content.refs import ArticleRef, TermLabel, TermRef, ref_key
from ..content.urls import article_rel, page_file
from ..linking.autolink import LinkState
from ..linking.markdown import make_markdown, render_markdown
from ..pages.indexes import build_backlinks, by_tag, sort_articles
from ..pages.render import (
    LISTING_TEMPLATES,
    OutputFile,
    PageSpec,
    article_entries,
    graph_json,
    install_globals,
    previews_json,
    render_page,
    term_items,
)
from ..pages.search_index import build_shards, manifest, plan, settled, shard_files
from ..pages.sections import render_intros, section_specs
from ..pages.shortcode_templates import ShortcodeTemplates
from ..pages.templates import make_environment, template_digests
from .article_pages import ArticleRenderer, ArticleResult, UnitInputs, article_page_info, page_key
from .cache import CACHE_DIR, COMPILED, BuildCache, article_contexts
from .last_build import LastBuild
from .link_stage import (
    link_context,
    link_term,
    link_terms,
    names_key,
    report_problems,
    uses_glossary,
    uses_params,
    uses_refs,
)
from .publish import OutputWriter, check_output_dir, write_new
from .read_stage import parse_key, read_site
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


# --- ARTICLE UNITS ---------------------------------------------------------------------


def run_articles(articles: list[Article], inputs: UnitInputs, digests, names: str, cache: BuildCache,
                 output_ok: bool, jobs: int, progress: Callable[[str], None] | None, env=None) -> list[ArticleResult]:  # fmt: skip
    """Skip every article whose page key is unchanged; render the rest, in parallel if many.

    A page whose body is unchanged (same text, same names) but which shows something else
    that changed (a linked term's category or depth, a template) is re-assembled around its
    kept body, if any.
    """
    results: dict[str, ArticleResult] = {}
    todo: list[tuple] = []
    # Which terms show differently than at the last build: an article linking none of them,
    # with the same text and templates, keeps its page key without hashing ~100 term digests.
    last_base, last_refs = cache.units
    changed = {s for s, d in inputs.label_digests.items() if last_refs.get(s) != d} | (last_refs.keys() - inputs.label_digests.keys())
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
                results[article.source] = ArticleResult(article.source, rel, hit[1], (), key, False,
                                                        contexts=article_contexts(hit))  # fmt: skip
                continue
        body_key = body_keys[article.source] = digest(names, source_digest)
        todo.append((article, source_digest, cache.bodies.get(article.source, body_key), body_key))
    for result in render_units(todo, inputs, jobs, progress, env):
        cache.dirty = True
        results[result.source] = result
        cache.remember_article(result, digests[result.source], body_keys[result.source], inputs.body_dir is not None)
    cache.bodies.retain(digests)
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
    install_globals(env, config, diags)  # the strings files' problems too: their errors stop the build
    shortcodes = ShortcodeTemplates(env)
    # Linking goes on after content errors so that one run reports bad references too.
    context = link_context(graph, config, corpus=corpus if uses_refs(corpus) else None, articles=corpus.articles,
                           digests=digests, cache=cache, glossary=uses_glossary(corpus), site_params=uses_params(corpus))
    names = names_key(graph, config, context, shortcodes)
    term_docs = link_terms(graph, context, names, digests, cache, config, shortcodes)
    for slug, doc in term_docs.items():
        report_problems(graph.terms[slug].source, doc.rendered.errors, corpus, diags, doc.rendered.warnings)
    timer.lap("link terms")

    templates = template_digests(env, ["article.html"])
    config_key = digest(dataclasses.replace(config, root=None, output=None))
    articles = sort_articles(corpus.articles)
    output_ok = str(config.output) == cache.output and config.output.is_dir()
    writer = OutputWriter(config.output, diags)
    term_refs = {slug: TermRef.of(t) for slug, t in graph.terms.items()}
    label_digests = {slug: digest(TermLabel.of(ref)) for slug, ref in term_refs.items()}
    items = term_items(env, term_refs, config, diags) or {}
    inputs = UnitInputs(config, context, term_refs, label_digests, graph.depths,
                        digest(config_key, names, templates["article.html"]), writer.staging, items,
                        keep_bodies, cache.bodies.prepare())  # fmt: skip
    if diags.has_errors:
        # Unknown references in articles are found by linking them: report them in this run too.
        md = make_markdown(context, config.unsafe_html, shortcodes=shortcodes)
        for article in articles:
            state = LinkState(body_line=article.body_line, enabled=False, page=article_page_info(article))
            report_problems(article.source, render_markdown(md, article.body, state).errors, corpus, diags)
        render_intros(corpus.sections, context, config, diags, shortcodes)  # and those of _index.md texts
        return BuildResult(False, timings=timer.timings)
    writer.ensure_staging()
    results = run_articles(articles, inputs, digests, names, cache, output_ok, jobs, progress, env)
    for result in results:
        diags.extend(result.errors)
    # Sections' `_index.md` texts before giving up on errors: all of a site's problems in one run.
    intros = render_intros(corpus.sections, context, config, diags, shortcodes)
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
                                [a.slug for a in articles], {a.slug: r.contexts for a, r in zip(articles, results)})  # fmt: skip
    timer.lap("backlinks")
    article_refs = [ArticleRef.of(a) for a in articles]
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
    static = [*static_files(config), *bundle_files(config, corpus), *alias_files(config, corpus.articles, graph.terms.values()),
              graph_json(config, graph, backlinks), *([previews_json(term_refs)] if config.previews else [])]
    for file in static:
        keep_or_write(file, config, cache, writer, new_pages, output_ok)
    timer.lap("pages")
    if config.search and not diags.has_errors:
        publish_search(config, cache, writer, new_pages, output_ok, diags, {r.rel for r in results}, jobs)
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
    if cache.units != (inputs.base_key, inputs.label_digests):
        cache.units, cache.dirty = (inputs.base_key, dict(inputs.label_digests)), True
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


def keep_or_write(file: OutputFile, config: SiteConfig, cache: BuildCache, writer: OutputWriter,
                  pages: dict[str, str], output_ok: bool) -> None:  # fmt: skip
    """Record a small generated file in `pages`; keep the published copy when it has the same bytes."""
    key = pages[file.rel] = digest(file.data)
    if output_ok and cache.pages.get(file.rel) == key and (config.output / file.rel).is_file():
        writer.claim(file.rel, file.source, written=False)
    else:
        writer.write(file)


def publish_search(config: SiteConfig, cache: BuildCache, writer: OutputWriter, pages: dict[str, str],
                   output_ok: bool, diags: Diagnostics, articles: set[str], jobs: int) -> None:  # fmt: skip
    """Add the search index to this build: each shard's published bundle when none of its
    pages changed, else a new one (`articles`: their pages, wherever they are; read from
    staging if rewritten, else from the output)."""
    bundles = shard_files(cache.pages)

    def published(number: int) -> bool:
        return output_ok and bool(bundles.get(number)) and all((config.output / rel).is_file() for rel in bundles[number])

    todo = plan(pages, config, articles, cache.search, published)
    for number, key in enumerate(todo.keys):
        if key and number not in todo.build:
            for rel in bundles.get(number, ()):
                pages[rel] = cache.pages[rel]
                writer.claim(rel, "search index", written=False)
    written = set(writer.written)
    files = build_shards(todo.build, lambda rel: ((writer.staging if rel in written else config.output) / rel).read_bytes(),
                         config, diags, jobs, len(todo.keys))  # fmt: skip
    if files is None:
        cache.search = ()
        return
    keys = settled(todo, files)
    # A re-indexed shard's unchanged pages come back as the same files (Pagefind names them by
    # their content): those stay as published.
    for file in [*files, manifest(keys)]:
        keep_or_write(file, config, cache, writer, pages, output_ok)
    if cache.search != keys:
        cache.search, cache.dirty = keys, True


def check_site(config: SiteConfig, diags: Diagnostics) -> bool:
    """Everything `build` validates up to rendering (sources, graph, references); writes nothing."""
    corpus, graph, _ = read_site(config, diags)
    env = make_environment(config.root)
    install_globals(env, config, diags)
    shortcodes = ShortcodeTemplates(env)
    context = link_context(graph, config, corpus=corpus, glossary=True, site_params=True)
    md = make_markdown(context, config.unsafe_html, shortcodes=shortcodes)
    for term in graph.terms.values():
        rendered = link_term(md, term).rendered
        report_problems(term.source, rendered.errors, corpus, diags, rendered.warnings)
    for article in corpus.articles:
        state = LinkState(body_line=article.body_line, enabled=False, page=article_page_info(article))
        rendered = render_markdown(md, article.body, state)
        report_problems(article.source, rendered.errors, corpus, diags, rendered.warnings)
    render_intros(corpus.sections, context, config, diags, shortcodes)
    return not diags.has_errors
