"""LINK: the link context every document of a build is rendered with (the glossary's names, the
pages `ref` may name, the shortcode templates), the key it gives rendered bodies, and the
terms' own summaries and bodies, linked (cached by that key)."""

from __future__ import annotations

import dataclasses

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest
from ..content.documents import Corpus, Term, page_info, slugify
from ..content.graph import TermGraph
from ..content.urls import article_rel
from ..linking.autolink import LinkContext, LinkState
from ..linking.builtin_shortcodes import ref_table
from ..linking.languages import rules_for
from ..linking.markdown import make_markdown, render_inline, render_markdown
from ..linking.matcher import TermMatcher, make_form
from ..pages.render import TermDoc
from ..pages.sections import section_folder_rel
from ..pages.shortcode_templates import ShortcodeTemplates


def link_context(graph: TermGraph, config: SiteConfig, recognise_disabled: bool = False,
                 corpus: Corpus | None = None) -> LinkContext:  # fmt: skip
    """`recognise_disabled` (for `explain`): find `autolink: false` names too, to say why they
    stayed plain; `corpus`: the pages a `ref` shortcode may name. Each name's forms are
    the site language's (`config.language`: English plurals and possessives for `en`)."""
    rules = rules_for(config.language)
    forms = [
        make_form(form, term.slug, term.case_sensitive, rule)
        for term in graph.terms.values() if term.autolink or recognise_disabled
        for name in (term.title, *term.aliases)
        for form, rule in rules.surface_forms(name)
    ]  # fmt: skip
    return LinkContext(
        matcher=TermMatcher(forms),
        base_path=config.base_path,
        titles={slug: t.title for slug, t in graph.terms.items()},
        names=graph.names,
        policy=config.link_policy,
        describe=config.previews,
        disabled=frozenset(s for s, t in graph.terms.items() if not t.autolink) if recognise_disabled else frozenset(),
        ref_targets=ref_targets_of(corpus) if corpus is not None else {},
        math=config.math,
        moved=moved_slugs(graph),
    )


def moved_slugs(graph: TermGraph) -> dict[str, str]:
    """Old slug -> slug, from the old URLs in terms' aliases ('/terms/kv-cache-old/'); a name
    that is still a term's own is not an old slug."""
    moved = {}
    for slug, term in graph.terms.items():
        for url in term.redirects:
            old = url.strip("/").rsplit("/", 1)[-1].lower()
            if old and graph.resolve(old) is None:
                moved.setdefault(old, slug)
    return dict(sorted(moved.items()))


def ref_targets_of(corpus: Corpus) -> dict[str, str]:
    """Every name a `ref` shortcode may give a page by -> the page's URL path."""
    # By the path without the language: a page's `ref` finds the page of its own language, as in Hugo.
    return ref_table([*((a.logical, article_rel(a.slug)) for a in corpus.articles),
                      *((f"content/{s.folder}/_index.md" if s.folder else "content/_index.md",
                         section_folder_rel(s.folder) if s.folder else "") for s in corpus.sections)])  # fmt: skip


def uses_refs(corpus: Corpus) -> bool:
    """Whether any text may call `ref` or `relref` (then every page's URL is a linking input)."""
    return any("{{" in doc.body and "ref" in doc.body for doc in (*corpus.articles, *corpus.terms, *corpus.sections))


def names_key(graph: TermGraph, config: SiteConfig, context: LinkContext | None = None,
              shortcodes: ShortcodeTemplates | None = None) -> str:  # fmt: skip
    """Everything that decides a rendered body apart from its text: where links go (names,
    policy, URLs), the site's shortcode templates and, when there are any, the whole config
    (they may show any of `site`), and the pages `ref` may name."""
    names = sorted((t.slug, t.title, t.aliases, t.autolink, t.case_sensitive) for t in graph.terms.values())
    pages = (sorted(context.ref_targets.items()), context.moved) if context is not None else ()
    templates = shortcodes.key() if shortcodes is not None else ""
    site = dataclasses.replace(config, root=None, output=None) if templates else None
    return digest(names, config.base_path, config.link_policy, config.unsafe_html, config.previews, config.math, pages,
                  templates, site, rules_for(config.language).key)  # fmt: skip


# --- LINK ------------------------------------------------------------------------------


def link_term(md, term: Term) -> TermDoc:
    """A term's summary and body share one linker state: first mention across both."""
    state = LinkState(body_line=term.lines.get("summary", 1), self_slug=term.slug,
                      page=page_info(term.title, f"terms/{term.slug}/", term.source))  # fmt: skip
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


def report_problems(source: str, errors, corpus: Corpus, diags: Diagnostics, warnings=()) -> None:
    """A rendering's bad references and shortcode problems as diagnostics at their lines (not a
    reference to a term whose own file failed to parse: that file is reported already)."""
    for line, message, hint, ref in errors:
        if slugify(ref) not in corpus.broken_terms:
            diags.error(SourcePos(source, line), message, hint)
    for line, message, hint in warnings:
        diags.warning(SourcePos(source, line), message, hint)
