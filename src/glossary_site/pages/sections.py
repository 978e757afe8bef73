"""Section pages: each folder of content/ listed under the text of its `_index.md`, as Hugo's
list pages are; `content/_index.md` is the home page's text.

A folder gets a page when it has an `_index.md`, and, for a site with Hugo's URLs, when it is
a top-level folder holding articles (Hugo lists every top-level section). Its page sits at
the folder's path ('posts/') and lists the articles under the folder, newest first.
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.documents import Article, Section, page_info, title_from_name
from ..content.refs import ArticleRef
from ..content.urls import place, segment
from ..linking.autolink import LinkContext, LinkState
from ..linking.markdown import make_markdown, render_markdown
from .render import PageSpec


def section_folder_rel(folder: str) -> str:
    return "/".join(segment(part) for part in folder.split("/")) + "/"


def render_intros(sections: tuple[Section, ...], context: LinkContext, config: SiteConfig,
                  diags: Diagnostics, shortcodes=None) -> dict[str, Markup]:  # fmt: skip
    """Folder -> its `_index.md` text as HTML. Terms are linked as in an article, but the links
    point at no preview: a section page has no "Terms in this article" to hold one."""
    if not sections:
        return {}
    md = make_markdown(dataclasses.replace(context, describe=False, _tags={}), config.unsafe_html, shortcodes=shortcodes)
    intros = {}
    for section in sections:
        page = section_page_info(section)
        rendered = render_markdown(md, section.body, LinkState(body_line=section.body_line, page=page))
        for line, message, hint, _ in rendered.errors:
            diags.error(SourcePos(section.source, line), message, hint)
        for line, message, hint in rendered.warnings:
            diags.warning(SourcePos(section.source, line), message, hint)
        intros[section.folder] = Markup(rendered.html)
    return intros


def section_page_info(section: Section) -> dict:
    """What a shortcode knows of a section page; its folder (where a relative `ref` starts) is
    the one without the language, as the ref table's names are."""
    where = f"content/{section.folder}/_index.md" if section.folder else "content/_index.md"
    return page_info(section.title, section_folder_rel(section.folder), where, params=section.params)


def section_specs(sections: tuple[Section, ...], intros: dict[str, Markup], articles: list[Article],
                  refs: list[ArticleRef], config: SiteConfig) -> list[PageSpec]:  # fmt: skip
    """A listing page per section folder (`articles` and `refs` in listing order)."""
    if not config.publishes("section"):
        return []
    by_folder = {s.folder: s for s in sections if s.folder}
    folders = set(by_folder)
    if config.article_urls == "hugo":  # every top-level section; a leaf bundle's folder is none
        folders |= {place(a.logical)[0][0] for a in articles if place(a.logical)[0]}
    folders.discard("articles")  # that page is the listing of every article already
    specs = []
    for folder in sorted(folders):
        section = by_folder.get(folder)
        prefix = f"content/{folder}/"
        listed = [ref for article, ref in zip(articles, refs) if article.logical.startswith(prefix)]
        name = folder.rsplit("/", 1)[-1]
        title = section.title if section is not None else title_from_name(name)
        specs.append(PageSpec(section_folder_rel(folder) + "index.html", "section.html",
                              section.source if section is not None else f"section {folder}",
                              {"title": title, "intro": intros.get(folder, ""), "articles": listed}))  # fmt: skip
    return specs
