"""RENDER: page specs (template + plain-data context) -> OutputFile.

A PageSpec names every input of one page, so its digest is the page's cache key; the
pipeline renders a spec only when that key changed. Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Callable

from jinja2 import Environment, TemplateError
from markupsafe import Markup, escape

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics
from ..content.digests import digest, text_digest
from ..content.documents import Article, Term, slugify
from ..content.graph import TermGraph
from ..content.refs import ArticleRef, TermLabel, TermRef
from ..content.urls import article_rel, href, page_file
from ..linking.excerpts import CUT, MARK, UNMARK
from ..linking.markdown import Rendered
from .graph_drawing import glossary_svg, neighbourhood_svg
from .indexes import Backlinks, by_category, by_depth, by_letter, by_tag, terms_by_depth
from .strings import Strings, load_strings
from .templates import report_template_error


@dataclass(frozen=True)
class OutputFile:
    rel: str
    """Path inside the output directory, forward slashes, never starting with '/'."""
    data: bytes
    source: str
    """What produced it (a source path or 'index'), named when two outputs collide."""


@dataclass(frozen=True)
class PageSpec:
    rel: str
    template: str
    source: str
    context: dict[str, Any]
    """Plain data only (refs, strings, numbers): everything the template may read."""
    key_parts: Any = None
    """A smaller stand-in for `context` in the page's cache key, when the context is big."""
    complete: Callable[[], dict[str, Any]] | None = field(default=None, compare=False)
    """More context, derived from `key_parts` and computed only if the page is rendered
    (a term page's graph and article list): a rebuild checks every key, renders few pages."""


def spec_key(config_key: str, template_digest: str, spec: PageSpec) -> str:
    """A page's cache key: the config, its template (with what that includes) and its data."""
    return digest(config_key, template_digest, spec.context if spec.key_parts is None else spec.key_parts)


@dataclass(frozen=True)
class TermDoc:
    summary_html: str
    rendered: Rendered


def term_rel(slug: str) -> str:
    return f"terms/{slug}/"


def install_globals(env: Environment, config: SiteConfig, diags: Diagnostics | None = None) -> None:
    """Helpers every template may use; they depend on the site config (and its strings files) only.
    `diags` gets the problems of the strings files (pipeline: the build stops on their errors)."""
    strings = load_strings(config.root, config.language, diags)
    depth_name = depth_namer(strings, config)
    env.filters["slugify"] = slugify
    env.filters["jsonld"] = jsonld
    # `tojson` (the strings a script gets in its data-strings) keeps each language's letters as they are.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    env.globals.update(
        site=config,
        T=strings,
        text_direction=config.language_info().direction or strings.direction,
        translations=lambda page_rel: () if _folder(page_rel) in config.originals else config.alternates.get(_folder(page_rel), ()),
        canonical=lambda page_rel: config.originals.get(_folder(page_rel)) or (config.absolute_base or config.base_path) + href(_folder(page_rel)),
        language_links=lambda page_rel: language_links(config, page_rel),
        show_date=strings.date,
        depth_name=depth_name,
        depth_names={name: depth_name(name) for name in config.depths},
        url=config.url,
        term_url=lambda slug: config.url(term_rel(slug)),
        article_url=lambda slug: config.url(article_rel(slug)),
        article_rel=article_rel,
        category_url=lambda name: config.url(f"categories/{slugify(name)}/"),
        depth_url=lambda name: config.url(f"depth/{slugify(name)}/"),
        tag_url=lambda name: config.url(f"tags/{slugify(name)}/"),
        format_date=format_date,
        atom_date=atom_date,
        absolute=lambda rel: (config.absolute_base or config.base_path) + href(rel.lstrip("/")),
    )


def _folder(page_rel: str) -> str:
    return page_rel[: -len("index.html")] if page_rel.endswith("index.html") else page_rel


def language_links(config: SiteConfig, page_rel: str) -> list[tuple[Any, str, bool]]:
    """The language switcher of a multilingual site: (language, URL, is this page's) for each
    language; the page's translation where there is one, else that language's home page."""
    versions = dict(config.alternates.get(_folder(page_rel), ()))
    here = config.url(_folder(page_rel))
    return [(lang, versions.get(lang.code) or (here if lang.code == config.language else config.language_home(lang.code)),
             lang.code == config.language) for lang in config.languages]  # fmt: skip


def jsonld(data: dict) -> Markup:
    """schema.org data for a <script type="application/ld+json">: empty values dropped, and
    '<', '>' and '&' escaped so no text an author wrote can close the script element."""
    clean = {k: v for k, v in data.items() if v not in (None, "", [], ())}
    text = json.dumps(clean, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def format_date(date: dt.datetime | None) -> str:
    """The machine-readable date (`datetime=`, the sitemap): readers see show_date's."""
    return date.strftime("%Y-%m-%d") if date else ""


DEFAULT_DEPTHS = SiteConfig.__dataclass_fields__["depths"].default


def depth_namer(strings: Strings, config: SiteConfig) -> Callable[[str], str]:
    """A depth's name as readers see it: the theme's own depths (a site that declares none in
    site.yaml) in the site's language (`depth_basics` ...); a site's own depths as written."""
    if tuple(config.depths) != DEFAULT_DEPTHS:
        return str
    return lambda name: strings.text(f"depth_{name}") if f"depth_{name}" in strings.texts else name


def atom_date(date: dt.datetime | None) -> str:
    if date is None:
        return "1970-01-01T00:00:00Z"
    if date.tzinfo is None:
        return date.strftime("%Y-%m-%dT%H:%M:%SZ")
    return date.isoformat()


def render_page(env: Environment, spec: PageSpec, config: SiteConfig, diags: Diagnostics) -> OutputFile | None:
    try:
        context = spec.context if spec.complete is None else {**spec.context, **spec.complete()}
        text = env.get_template(spec.template).render(page_rel=spec.rel, **context)
    except TemplateError as exc:
        report_template_error(exc, config.root, diags, spec.rel)
        return None
    return OutputFile(spec.rel, text.encode("utf-8"), spec.source)


def article_flags(article: Article, config: SiteConfig) -> dict[str, bool]:
    """Hugo's per-article Show* switches, falling back to the site-wide defaults."""

    def flag(key: str, default: bool) -> bool:
        value = article.params.get(key, default)
        return value if isinstance(value, bool) else default

    return {
        "toc": flag("ShowToc", config.show_toc),
        "reading_time": flag("ShowReadingTime", config.show_reading_time),
        "breadcrumbs": flag("ShowBreadCrumbs", config.show_breadcrumbs),
        "code_copy": flag("ShowCodeCopyButtons", config.show_code_copy_buttons),
    }


def term_items(env: Environment, term_refs: dict, config: SiteConfig, diags: Diagnostics):
    """Each term's entry in an article's "Terms in this article" (and a term page's "Terms used
    in this definition"), rendered once per build (macros.html `article_term`): thousands of
    pages repeat the same few hundred. An entry is made of the term's label alone (title,
    depth, category: no summary), so a summary edit changes none of them."""
    try:
        macro = env.get_template("macros.html").module.article_term
        return {slug: Markup(macro(TermLabel.of(ref))) for slug, ref in term_refs.items()}
    except TemplateError as exc:
        report_template_error(exc, config.root, diags, "macros.html")
        return None


def article_spec(article: Article, rendered: Rendered, term_refs: dict, items: dict[str, Markup],
                 config: SiteConfig, depths: tuple[str, ...]) -> PageSpec:  # fmt: skip
    """`term_refs`: slug -> the term's label (or ref: only its depth and title are read, to
    group and order the entries); `items`: slug -> its entry (term_items)."""
    flags = article_flags(article, config)
    mentioned = dict.fromkeys(slug for slug, _ in rendered.mentions)
    groups = terms_by_depth([term_refs[s] for s in mentioned if s in term_refs], depths)
    return PageSpec(
        page_file(article_rel(article.slug)), "article.html", article.source,
        {"article": article, "body": rendered.html, "toc": rendered.toc if flags["toc"] else (),
         "reading_minutes": max(1, round(rendered.words / 200)), "flags": flags,
         "terms_by_depth": [(depth, Markup("".join(items[t.slug] for t in terms))) for depth, terms in groups]},
    )  # fmt: skip


CONTEXT_SLOT = "\x00context\x00"
"""Where an entry shows the context sentence: rendered once per article, filled in per term."""

Entry = tuple[str | None, str, str]
"""An article's entry on term pages: (the HTML before the context sentence, after it, the whole
entry for a mention without one). The first is None when the entry shows no sentence (a site's
macros.html without `backlink_entry`)."""


def article_entries(env: Environment, articles: list[ArticleRef], ref_digests: dict[str, str],
                    previous: dict[str, Entry], config: SiteConfig, diags: Diagnostics):  # fmt: skip
    """Each article's entry in a term page's "Articles that use this term" (macros.html
    `backlink_entry`), rendered once: term pages repeat them thousands of times, each with
    the sentence that mentions its own term (context_html) put in its place.

    `previous` maps an article's ref digest (with the macros and config folded in by the
    caller) to its entry from an earlier build; unchanged articles are not rendered again.
    """
    try:
        macros = env.get_template("macros.html").module
        macro = getattr(macros, "backlink_entry", None)
        entries = {}
        for article in articles:
            key = ref_digests[article.slug]
            entries[key] = previous.get(key) or _entry(macro, macros.article_entry, article)
        return entries
    except TemplateError as exc:
        report_template_error(exc, config.root, diags, "macros.html")
        return None


def _entry(macro, plain, article: ArticleRef) -> Entry:
    if macro is None:
        return None, "", str(plain(article))
    before, slot, after = str(macro(article, Markup(CONTEXT_SLOT))).partition(CONTEXT_SLOT)
    return (before if slot else None), after, str(macro(article, None))


def context_html(context: str) -> str:
    """An excerpt (linking/excerpts.py) as HTML: all of it escaped, then the mention in <mark>
    and an ellipsis where it was cut. Most sentences hold nothing to escape (a term page at
    10,000 articles shows a thousand of them): those are not run through the escaper."""
    if "<" in context or ">" in context or "&" in context or '"' in context or "'" in context:
        context = str(escape(context))
    html = context.replace(MARK, "<mark>", 1).replace(UNMARK, "</mark>", 1)
    return html.replace(CUT, "…") if CUT in html else html


def backlinks_html(entries: list[Entry], contexts) -> str:
    """The entries of a term page's backlinks, each with its context sentence (or without,
    when there is none), joined once: a loop over a thousand entries in the template escapes
    each (as Markup, to no effect) and cost more than the rest of the page."""
    parts = []
    for (before, after, whole), context in zip(entries, contexts):
        parts.append(before + context_html(context) + after if context and before is not None else whole)
    return "".join(parts)


def term_spec(term: Term, doc: TermDoc, graph: TermGraph, backlinks: Backlinks, term_refs: dict[str, TermRef],
              entries: dict[str, Entry], entry_keys: dict[str, str], items: dict[str, Markup],
              config: SiteConfig, term_docs: dict[str, TermDoc] | None = None) -> PageSpec:  # fmt: skip
    """`entry_keys`: article slug -> key of its entry in `entries` (a digest of what it shows);
    `items`: each term's list item (term_items), the previews of the terms this one links;
    `term_docs`: the linked terms, whose sentences mentioning this one the page shows.
    Other terms reach the page as labels (no summary): their summary edits leave it alone."""
    used_by = [entry_keys[s] for s in backlinks.articles.get(term.slug, ())]
    contexts = tuple(backlinks.contexts.get(term.slug, ())) if used_by else ()
    if len(contexts) != len(used_by):  # none kept (never on a route that keeps them)
        contexts = (None,) * len(used_by)
    uses = [TermLabel.of(term_refs[s]) for s in dict.fromkeys(s for s, _ in doc.rendered.mentions) if s in term_refs]
    context = {
        "term": TermRef.of(term), "aliases": term.aliases, "summary_html": doc.summary_html,
        "body": doc.rendered.html,
        "related": [TermLabel.of(term_refs[s]) for s in graph.related.get(term.slug, ())],
        "used_by": used_by,
        "mentioned_by": [TermLabel.of(term_refs[s]) for s in backlinks.terms.get(term.slug, ())],
        "uses": uses,
        "mention_contexts": {s: c for s in backlinks.terms.get(term.slug, ())
                             if (c := term_docs[s].rendered.contexts.get(term.slug)) is not None} if term_docs else {},
    }  # fmt: skip

    def complete() -> dict[str, Any]:
        svg = neighbourhood_svg(context["term"], context["related"], uses, context["mentioned_by"],
                                lambda s: config.url(term_rel(s))) if config.graph else ""  # fmt: skip
        used = [entries[k] for k in used_by]
        return {"graph_svg": Markup(svg), "used_by": used, "used_by_html": Markup(backlinks_html(used, contexts)),
                "uses": Markup("".join(items[t.slug] for t in uses)),
                "mention_contexts": {s: Markup(context_html(c)) for s, c in context["mention_contexts"].items()}}  # fmt: skip

    # A popular term lists thousands of articles: its key hashes their keys, and the sentences
    # that mention it, as one string each.
    key_parts = {**context, "used_by": text_digest("used_by", "\0".join(used_by)),
                 "contexts": text_digest("contexts", "\n".join(c or "" for c in contexts))}  # fmt: skip
    return PageSpec(term_rel(term.slug) + "index.html", "term.html", term.source, context, key_parts, complete)


LISTING_TEMPLATES = ("home.html", "articles.html", "section.html", "glossary.html", "a-z.html", "categories.html", "depths.html",
                     "tags.html", "404.html", "feed.xml", "sitemap.xml", "category.html", "depth.html", "tag.html",
                     "robots.txt", "graph.html", "search.html")


def listing_specs(graph: TermGraph, term_refs: dict[str, TermRef], articles: list[ArticleRef],
                  articles_key: str | None = None, tags: list | None = None,
                  terms_only: bool = False, config: SiteConfig | None = None,
                  home_intro: str = "") -> list[PageSpec]:  # fmt: skip
    """Home, article list, glossary, A-Z, category, depth and tag pages, feed and sitemap.

    Pages listing every article are keyed by `articles_key` (a digest of the list, computed
    once) and the sitemap by the addresses it lists, not by all they could show: at 10,000
    articles, digesting the same list again for each page would cost more than the page.
    `terms_only` (a term edit that left the articles alone) leaves out the pages that show
    no term; `tags` is by_tag(articles) when the caller has it already. `config` switches
    the graph and search pages on (site.yaml `graph:` and `search:`). The pages that only
    count terms get their labels (no summary), so a summary edit leaves them alone.
    """
    articles_key = articles_key or digest(articles)
    terms = [term_refs[t.slug] for t in graph.sorted_terms()]
    categories = by_category(graph.categories, terms)
    depths = by_depth(graph.depths, terms)
    labels = [TermLabel.of(t) for t in terms]
    counted = {"categories": by_category(graph.categories, labels), "depths": by_depth(graph.depths, labels)}
    tags = by_tag(articles) if tags is None else tags
    feed = {"articles": articles[:FEED_SIZE], "feed_rel": "feed.xml", "feed_title": "",
            "updated": atom_date(articles[0].date if articles else None)}
    specs = [
        PageSpec("index.html", "home.html", "index",
                 {"recent": articles[:10], "categories": counted["categories"], "depths": counted["depths"], "term_count": len(terms),
                  "intro": Markup(home_intro)}),
        PageSpec("articles/index.html", "articles.html", "index", {"articles": articles}, {"articles": articles_key}),
        PageSpec("terms/index.html", "glossary.html", "index",
                 {"groups": categories, "depths": depths, "letters": [letter for letter, _ in by_letter(terms)]}),
        PageSpec("a-z/index.html", "a-z.html", "index", {"letters": by_letter(terms)}),
        PageSpec("categories/index.html", "categories.html", "index", {"groups": counted["categories"]}),
        PageSpec("depth/index.html", "depths.html", "index", {"groups": counted["depths"]}),
        PageSpec("tags/index.html", "tags.html", "index", {"tags": tags}),
        PageSpec("404.html", "404.html", "index", {}),
        PageSpec("robots.txt", "robots.txt", "index", {}),
        PageSpec("feed.xml", "feed.xml", "index", feed),
        PageSpec("sitemap.xml", "sitemap.xml", "index",
                 {"articles": articles, "terms": terms, "categories": categories, "depths": depths, "tags": tags},
                 {"articles": articles_key, "terms": [(t.slug, t.fallback) for t in terms], "categories": graph.categories,
                  "depths": graph.depths, "tags": [(slug, name) for slug, name, _ in tags]}),
    ]  # fmt: skip
    specs += [PageSpec(f"categories/{slugify(name)}/index.html", "category.html", f"category {name}",
                       {"name": name, "terms": items}) for name, items in categories]
    specs += [PageSpec(f"depth/{slugify(name)}/index.html", "depth.html", f"depth {name}",
                       {"name": name, "terms": items}) for name, items in depths]
    specs += [PageSpec(f"tags/{slug}/index.html", "tag.html", f"tag {name}", {"name": name, "articles": items})
              for slug, name, items in tags]
    if config is not None and config.graph:
        svg = glossary_svg(categories, graph.related, lambda s: config.url(term_rel(s)),
                           lambda name: config.url(f"categories/{slugify(name)}/"))
        specs.append(PageSpec("graph/index.html", "graph.html", "index", {"svg": Markup(svg), "count": len(terms)}))
    if config is not None and config.search:
        specs.append(PageSpec("search/index.html", "search.html", "index", {}))
    if config is not None and config.article_urls == "hugo":
        # Hugo's feed address, where a Hugo site's readers subscribed: the same feed there too.
        specs.append(PageSpec("index.xml", "feed.xml", "index", {**feed, "feed_rel": "index.xml"}))
    if config is not None:
        off = {"tags.html", "tag.html"} if not config.tag_pages else set()
        off |= {"feed.xml"} if not config.publishes("rss") else set()
        off |= {"sitemap.xml"} if not config.publishes("sitemap") else set()
        off |= {"robots.txt"} if not config.publishes("robotstxt") else set()
        off |= {"404.html"} if not config.publishes("404") else set()
        specs = [s for s in specs if s.template not in off]
    if terms_only:
        return [s for s in specs if s.template not in ARTICLE_LISTINGS]
    return specs


FEED_SIZE = 50


def category_feed_specs(graph: TermGraph, backlinks: Backlinks, articles: list[ArticleRef],
                        only: set[str] | None = None) -> list[PageSpec]:  # fmt: skip
    """An Atom feed per term category (categories/<name>/feed.xml): the newest articles that
    use a term of it, so a reader can follow one subject. `articles` is newest first;
    `only` limits it to some categories (the dev server's article edits)."""
    names = [n for n in graph.categories if only is None or n in only]
    if not names:
        return []
    order = {a.slug: i for i, a in enumerate(articles)}
    members: dict[str, set[str]] = {}
    for term in graph.terms.values():
        if only is None or term.category in only:
            members.setdefault(term.category, set()).update(backlinks.articles.get(term.slug, ()))
    specs = []
    for name in names:
        chosen = [articles[i] for i in sorted(order[s] for s in members.get(name, ()) if s in order)[:FEED_SIZE]]
        rel = f"categories/{slugify(name)}/feed.xml"
        specs.append(PageSpec(rel, "feed.xml", f"category {name}",
                              {"articles": chosen, "feed_rel": rel, "feed_title": name,
                               "updated": atom_date(chosen[0].date if chosen else None)}))  # fmt: skip
    return specs


ARTICLE_LISTINGS = ("articles.html", "tags.html", "tag.html", "404.html", "feed.xml", "robots.txt", "search.html")
"""Listing templates that show articles and no term: a term edit cannot change them."""


def graph_json(config: SiteConfig, graph: TermGraph, backlinks: Backlinks) -> OutputFile:
    """The term graph as data: term nodes (with how many articles use each) and typed
    term-to-term edges (related, mentions). Article-level edges are left out on purpose:
    they made the file grow with the corpus, and rewriting it cost every article edit."""
    nodes = [
        {"slug": t.slug, "title": t.title, "category": t.category, "depth": t.depth,
         "summary": t.summary, "url": config.url(term_rel(t.slug)),
         "articles": backlinks.count(t.slug)}
        for t in graph.terms.values()
    ]  # fmt: skip
    edges = [
        {"source": a, "target": b, "type": "related"}
        for a, targets in graph.related.items() for b in targets if a < b
    ]  # fmt: skip
    for target, sources in backlinks.terms.items():
        edges += [{"source": s, "target": target, "type": "mentions"} for s in sources]
    edges.sort(key=lambda e: (e["type"], e["source"], e["target"]))
    data = {"nodes": nodes, "edges": edges}
    # No indent: the C encoder is many times faster, and the file is read by programs.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return OutputFile("graph.json", text.encode("utf-8"), "index")


PREVIEWS = "_glossary/previews.json"
"""The summaries term previews show (previews.js fetches it once, on the first preview): kept
once for the whole site instead of on every page that links a term."""


def previews_json(term_refs: dict[str, TermRef]) -> OutputFile:
    """Term slug -> summary, sorted by slug; {summary, fallback: its language} for a term not
    translated yet. A preview takes the title, depth and category from the page's own entry
    for the term (term_items), so only the summary is here."""
    data = {slug: {"summary": ref.summary, "fallback": ref.fallback} if (ref := term_refs[slug]).fallback else ref.summary
            for slug in sorted(term_refs)}  # fmt: skip
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return OutputFile(PREVIEWS, text.encode("utf-8"), "index")
