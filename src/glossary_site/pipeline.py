"""build_site(config): the only module that knows the order of the stages.

load -> parse -> graph -> link + markdown -> backlinks -> render -> write.
Each stage reports problems into Diagnostics; the build stops between stages when
there are errors, and only a build without errors replaces the previous output.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pygments.formatters import HtmlFormatter

from .autolink import LinkContext, LinkState
from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .documents import Article, Corpus, Term, parse_corpus, slugify
from .graph import TermGraph, build_graph
from .indexes import Backlinks, build_backlinks, sort_articles
from .markdown import Rendered, make_markdown, render_inline, render_markdown
from .matcher import TermMatcher, inflections, make_form
from .render import OutputFile, Renderer, Site, TermDoc, install_globals
from .sources import load_sources
from .templates import THEME, make_environment
from .write import OutputWriter, check_output_dir


@dataclass
class BuildResult:
    ok: bool
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, for --profile."""


class _Timer:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + now - self._last
        self._last = now


def read_site(config: SiteConfig, diags: Diagnostics) -> tuple[Corpus, TermGraph]:
    """LOAD + PARSE + GRAPH: everything `check` validates before any Markdown is rendered."""
    corpus = parse_corpus(load_sources(config.root, diags), config, diags)
    graph = build_graph(corpus.terms, config, diags)
    _check_article_slugs(corpus.articles, diags)
    return corpus, graph


def _check_article_slugs(articles: tuple[Article, ...], diags: Diagnostics) -> None:
    seen: dict[str, Article] = {}
    for article in articles:
        other = seen.setdefault(article.slug, article)
        if other is not article:
            diags.error(SourcePos(article.source, article.lines.get("slug", 1)),
                        f"article slug '{article.slug}' is also used by {other.source}",
                        "Set a different 'slug:' in one of them.")


def link_context(graph: TermGraph, config: SiteConfig) -> LinkContext:
    forms = [
        make_form(form, term.slug, term.case_sensitive)
        for term in graph.terms.values() if term.autolink
        for name in (term.title, *term.aliases)
        for form in inflections(name)
    ]  # fmt: skip
    summaries = {slug: t.summary for slug, t in graph.terms.items()}
    return LinkContext(
        matcher=TermMatcher(forms),
        url_for=lambda slug: config.url(f"terms/{slug}/"),
        summary_for=summaries.__getitem__,
        title_for=lambda slug: graph.terms[slug].title,
        resolve=graph.resolve,
        suggest=graph.suggest,
        policy=config.link_policy,
    )


def link_term(md, term: Term) -> TermDoc:
    """A term's summary and body share one linker state: first mention across both."""
    state = LinkState(body_line=term.lines.get("summary", 1), self_slug=term.slug, )
    summary_html = render_inline(md, term.summary, state)
    state.body_line = term.body_line
    return TermDoc(summary_html, render_markdown(md, term.body, state))


def link_article(md, article: Article) -> Rendered:
    return render_markdown(md, article.body, LinkState(body_line=article.body_line, enabled=article.autolink))


def _report_refs(source: str, rendered: Rendered, corpus: Corpus, diags: Diagnostics) -> None:
    for line, message, hint, ref in rendered.errors:
        if slugify(ref) not in corpus.broken_terms:
            diags.error(SourcePos(source, line), message, hint)


@dataclass(frozen=True)
class LinkedSite:
    """Everything after LINK + BACKLINKS: what the render stage needs, and what `check` checks."""

    graph: TermGraph
    articles: dict[str, Article]
    """Newest first."""
    article_docs: dict[str, Rendered]
    term_docs: dict[str, TermDoc]
    backlinks: Backlinks


def link_site(config: SiteConfig, diags: Diagnostics, timer: "_Timer | None" = None) -> LinkedSite | None:
    """LOAD .. BACKLINKS; None when any stage reported an error."""
    timer = timer or _Timer()
    corpus, graph = read_site(config, diags)
    timer.lap("load+parse+graph")
    # Linking goes on after content errors so that one run reports bad references too.
    md = make_markdown(link_context(graph, config), config.unsafe_html)
    term_docs = {t.slug: link_term(md, t) for t in graph.terms.values()}
    articles = {a.slug: a for a in sort_articles(corpus.articles)}
    article_docs = {slug: link_article(md, a) for slug, a in articles.items()}
    for slug, doc in term_docs.items():
        _report_refs(graph.terms[slug].source, doc.rendered, corpus, diags)
    for slug, doc in article_docs.items():
        _report_refs(articles[slug].source, doc, corpus, diags)
    timer.lap("link+markdown")
    if diags.has_errors:
        return None
    backlinks = build_backlinks(
        {slug: d.mentions for slug, d in article_docs.items()},
        {slug: d.rendered.mentions for slug, d in term_docs.items()},
        articles,
    )
    timer.lap("backlinks")
    return LinkedSite(graph, articles, article_docs, term_docs, backlinks)


def build_site(config: SiteConfig, diags: Diagnostics, clean: bool = False) -> BuildResult:
    timer = _Timer()
    if not check_output_dir(config, diags, clean):
        return BuildResult(False)
    linked = link_site(config, diags, timer)
    if linked is None:
        return BuildResult(False, timings=timer.timings)
    site = Site(config, linked.graph, linked.articles, linked.backlinks)
    env = make_environment(config.root)
    install_globals(env, site)
    renderer = Renderer(env, site, diags)
    writer = OutputWriter(config.output, diags)
    for slug, article in linked.articles.items():
        writer.write(renderer.article(article, linked.article_docs[slug]))
    for slug, term in linked.graph.terms.items():
        writer.write(renderer.term(term, linked.term_docs[slug]))
    for output in renderer.listings():
        writer.write(output)
    writer.copy_tree(THEME / "static", "static", "theme/static")
    writer.write(OutputFile("static/pygments.css", pygments_css(), "theme"))
    writer.copy_tree(config.root / "static", "static", "static")
    timer.lap("render+write")
    if diags.has_errors:
        writer.abort()
        return BuildResult(False, timings=timer.timings)
    writer.commit()
    timer.lap("commit")
    return BuildResult(True, writer.pages, timer.timings)


def pygments_css() -> bytes:
    """Highlighting colours for light and dark themes, following the system setting."""
    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n".encode("utf-8")
