"""RENDER: linked documents + graph + backlinks -> OutputFile for every page and export.

Each page is a function of named inputs (its document, the term data it shows, the
templates), which is what lets a cache skip it later. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Iterator

from jinja2 import Environment, TemplateError

from .config import SiteConfig
from .diagnostics import Diagnostics
from .documents import Article, Term, slugify
from .graph import TermGraph
from .indexes import Backlinks, by_category, by_depth, by_letter, by_tag, sort_articles, terms_by_depth
from .markdown import Rendered
from .templates import report_template_error


@dataclass(frozen=True)
class OutputFile:
    rel: str
    """Path inside the output directory, forward slashes, never starting with '/'."""
    data: bytes
    source: str
    """What produced it (a source path or 'index'), named when two outputs collide."""


@dataclass(frozen=True)
class TermDoc:
    summary_html: str
    rendered: Rendered


@dataclass(frozen=True)
class Site:
    """Everything the templates may read, shared by all pages of one build."""

    config: SiteConfig
    graph: TermGraph
    articles: dict[str, Article]
    """Article slug -> article, newest first."""
    backlinks: Backlinks


def term_rel(slug: str) -> str:
    return f"terms/{slug}/"


def article_rel(slug: str) -> str:
    return f"articles/{slug}/"


def install_globals(env: Environment, site: Site) -> None:
    config = site.config
    env.filters["slugify"] = slugify
    env.globals.update(
        site=config,
        graph=site.graph,
        url=config.url,
        term_url=lambda slug: config.url(term_rel(slug)),
        article_url=lambda slug: config.url(article_rel(slug)),
        category_url=lambda name: config.url(f"categories/{slugify(name)}/"),
        depth_url=lambda name: config.url(f"depth/{slugify(name)}/"),
        tag_url=lambda name: config.url(f"tags/{slugify(name)}/"),
        format_date=format_date,
        absolute=lambda rel: (config.absolute_base or config.base_path) + rel.lstrip("/"),
    )


def format_date(date: dt.datetime | None) -> str:
    return date.strftime("%Y-%m-%d") if date else ""


def atom_date(date: dt.datetime | None) -> str:
    if date is None:
        return "1970-01-01T00:00:00Z"
    if date.tzinfo is None:
        return date.strftime("%Y-%m-%dT%H:%M:%SZ")
    return date.isoformat()


class Renderer:
    """Renders named templates into OutputFiles, turning template errors into diagnostics."""

    def __init__(self, env: Environment, site: Site, diags: Diagnostics):
        self.env, self.site, self.diags = env, site, diags

    def page(self, rel: str, template: str, source: str, **context: Any) -> OutputFile | None:
        try:
            html = self.env.get_template(template).render(page_rel=rel, **context)
        except TemplateError as exc:
            report_template_error(exc, self.site.config.root, self.diags, rel)
            return None
        return OutputFile(rel, html.encode("utf-8"), source)

    def article(self, article: Article, rendered: Rendered) -> OutputFile | None:
        flags = _article_flags(article, self.site.config)
        return self.page(
            article_rel(article.slug) + "index.html", "article.html", article.source,
            article=article, body=rendered.html, toc=rendered.toc if flags["toc"] else (),
            reading_minutes=max(1, round(rendered.words / 200)), flags=flags,
            terms_by_depth=terms_by_depth(self.site.backlinks.article_terms.get(article.slug, ()), self.site.graph),
        )  # fmt: skip

    def term(self, term: Term, doc: TermDoc) -> OutputFile | None:
        backlinks = self.site.backlinks
        return self.page(
            term_rel(term.slug) + "index.html", "term.html", term.source,
            term=term, summary_html=doc.summary_html, body=doc.rendered.html,
            related=[self.site.graph.terms[s] for s in self.site.graph.related.get(term.slug, ())],
            used_by=[self.site.articles[s] for s in backlinks.articles.get(term.slug, ())],
            mentioned_by=[self.site.graph.terms[s] for s in backlinks.terms.get(term.slug, ())],
        )  # fmt: skip

    def listings(self) -> Iterator[OutputFile | None]:
        site, graph = self.site, self.site.graph
        articles = list(site.articles.values())
        yield self.page("index.html", "home.html", "index", recent=articles[:10],
                        categories=by_category(graph), depths=by_depth(graph))
        yield self.page("articles/index.html", "articles.html", "index", articles=articles)
        yield self.page("terms/index.html", "glossary.html", "index", groups=by_category(graph),
                        depths=by_depth(graph))
        yield self.page("a-z/index.html", "a-z.html", "index", letters=by_letter(graph))
        yield self.page("categories/index.html", "categories.html", "index", groups=by_category(graph))
        for name, terms in by_category(graph):
            yield self.page(f"categories/{slugify(name)}/index.html", "category.html", f"category {name}",
                            name=name, terms=terms)
        yield self.page("depth/index.html", "depths.html", "index", groups=by_depth(graph))
        for name, terms in by_depth(graph):
            yield self.page(f"depth/{slugify(name)}/index.html", "depth.html", f"depth {name}",
                            name=name, terms=terms)
        tags = by_tag(articles)
        yield self.page("tags/index.html", "tags.html", "index", tags=tags)
        for slug, name, tagged in tags:
            yield self.page(f"tags/{slug}/index.html", "tag.html", f"tag {name}", name=name, articles=tagged)
        yield self.page("404.html", "404.html", "index")
        yield self.page("feed.xml", "feed.xml", "index", articles=articles[:50], atom_date=atom_date,
                        updated=atom_date(articles[0].date) if articles else atom_date(None))
        yield self.page("sitemap.xml", "sitemap.xml", "index", articles=articles, terms=graph.sorted_terms(),
                        categories=by_category(graph), depths=by_depth(graph), tags=tags)
        yield OutputFile("graph.json", graph_json(site).encode("utf-8"), "index")


def _article_flags(article: Article, config: SiteConfig) -> dict[str, bool]:
    """Hugo's per-article Show* switches, falling back to the site-wide defaults."""
    params = article.params

    def flag(key: str, default: bool) -> bool:
        value = params.get(key, default)
        return value if isinstance(value, bool) else default

    return {
        "toc": flag("ShowToc", config.show_toc),
        "reading_time": flag("ShowReadingTime", config.show_reading_time),
        "breadcrumbs": flag("ShowBreadCrumbs", config.show_breadcrumbs),
        "code_copy": flag("ShowCodeCopyButtons", config.show_code_copy_buttons),
    }


def graph_json(site: Site) -> str:
    """The term graph as data: nodes, and typed edges (related, mentions)."""
    config, graph = site.config, site.graph
    nodes = [
        {"slug": t.slug, "title": t.title, "category": t.category, "depth": t.depth,
         "summary": t.summary, "url": config.url(term_rel(t.slug))}
        for t in graph.terms.values()
    ]  # fmt: skip
    edges = [
        {"source": a, "target": b, "type": "related"}
        for a, targets in graph.related.items() for b in targets if a < b
    ]  # fmt: skip
    for target, sources in site.backlinks.terms.items():
        edges += [{"source": s, "target": target, "type": "mentions"} for s in sources]
    for target, articles in site.backlinks.articles.items():
        edges += [{"source": f"article:{a}", "target": target, "type": "used-by"} for a in articles]
    edges.sort(key=lambda e: (e["type"], e["source"], e["target"]))
    articles = [
        {"slug": a.slug, "title": a.title, "url": config.url(article_rel(a.slug))}
        for a in sort_articles(site.articles.values())
    ]
    return json.dumps({"nodes": nodes, "edges": edges, "articles": articles}, indent=1, ensure_ascii=False) + "\n"
