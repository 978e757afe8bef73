"""LINK: the link context every document of a build is rendered with (the glossary's names, the
pages `ref` may name, the shortcode templates), the key it gives rendered bodies, and the
terms' own summaries and bodies, linked (cached by that key)."""

from __future__ import annotations

import dataclasses
import sys

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest
from ..content.documents import Article, Corpus, Term, page_info, slugify
from ..content.graph import TermGraph
from ..content.urls import article_rel
from ..linking.autolink import LinkContext, LinkState
from ..linking.builtin_shortcodes import ref_table
from ..linking.derived import shared_stems, stem_claims, stems_apply
from ..linking.glossary_shortcodes import uses_glossary_shortcodes
from ..linking.languages import rules_for
from ..linking.markdown import make_markdown, render_inline, render_markdown
from ..linking.matcher import Form, TermMatcher, make_form
from ..linking.stems import StemName
from ..pages.render import TermDoc
from ..pages.sections import section_folder_rel
from ..pages.shortcode_templates import ShortcodeTemplates
from .salience import common_terms, forms_key


def link_context(graph: TermGraph, config: SiteConfig, recognise_disabled: bool = False,
                 corpus: Corpus | None = None, articles: tuple[Article, ...] | None = None,
                 digests: dict[str, str] | None = None, cache=None, glossary: bool = False,
                 site_params: bool = False) -> LinkContext:  # fmt: skip
    """`recognise_disabled` (for `explain`): find `autolink: false` names too, to say why they
    stayed plain; `corpus`: the pages a `ref` shortcode may name. Each name's forms are
    the site language's (`config.language`: English plurals and possessives for `en`), and so
    are those of the names derived from it (graph.derived). `articles` (with their text
    `digests` and the build `cache`): what decides the common terms when `link_common_terms`
    is false (see common_terms). With `stemming` on an English site, words link by their stem too
    (term_stems)."""
    rules = rules_for(config.language)
    claims = stem_claims(graph) if stems_apply(config) else {}
    matcher = TermMatcher(term_forms(graph, rules, recognise_disabled), term_stems(graph, claims, recognise_disabled))
    common: dict[str, float] = {}
    if not config.link_common_terms and articles:
        counting = TermMatcher(term_forms(graph, rules), term_stems(graph, claims)) if recognise_disabled else matcher
        common = common_terms(counting, forms_key(graph, config), articles, config.common_share, digests, cache)
    return LinkContext(
        matcher=matcher,
        base_path=config.base_path,
        titles={slug: t.title for slug, t in graph.terms.items()},
        names=graph.names,
        policy=config.link_policy,
        describe=config.previews,
        disabled=frozenset(s for s, t in graph.terms.items() if not t.autolink) if recognise_disabled else frozenset(),
        ref_targets=ref_targets_of(corpus) if corpus is not None else {},
        math=config.math,
        ambiguous={**ambiguous_forms(graph, rules), **ambiguous_stems(graph, claims)},
        common=common,
        salient_mentions=config.salient_mentions,
        max_per_paragraph=config.max_links_per_paragraph,
        moved=moved_slugs(graph),
        # `glossary`: the site uses the definition or glossary shortcodes, which show summaries.
        glossary=tuple((slug, t.title, t.category, t.depth, t.summary) for slug, t in graph.terms.items()) if glossary else (),
        site_params=dict(config.params) if site_params else {},  # `site_params`: a text calls `param`
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


def term_forms(graph: TermGraph, rules, recognise_disabled: bool = False) -> list[Form]:
    """Every surface form of every linkable term: its title's and aliases' first, then those of
    the names derived from them (which, at one place in a text, lose to a written name). A
    derived form's rule says both steps ('derived: abbreviation, en: plural')."""
    terms = [t for t in graph.terms.values() if t.autolink or recognise_disabled]
    forms = [make_form(form, term.slug, term.case_sensitive, rule)
             for term in terms for name in (term.title, *term.aliases)
             for form, rule in rules.surface_forms(name)]  # fmt: skip
    for term in terms:
        for name, how in graph.derived.get(term.slug, ()):
            for form, rule in rules.surface_forms(name):
                # A name stripped of its qualifier ('Go' of 'Go (programming language)', 'Pod' of
                # 'Pod (Kubernetes)') is a common word otherwise: it links only as written, unless
                # the term says which pages mean it (disambiguate).
                bare = "without qualifier" in how and term.case_sensitive is None and not term.disambiguate
                case = True if bare else term.case_sensitive
                forms.append(make_form(form, term.slug, case, sys.intern(f"{how}, {rule}") if rule else how))
    return forms


def term_stems(graph: TermGraph, claims: dict, recognise_disabled: bool = False) -> list[StemName]:
    """One StemName for each stem a linkable term claims (stem_claims), with the rule of the first
    name that gave it; a stem several terms claim carries the first linkable one, and the linker
    chooses between them (ambiguous_stems)."""
    out = []
    for (head, stem), claimants in claims.items():
        linkable = [(slug, rule) for slug, rule in claimants if graph.terms[slug].autolink or recognise_disabled]
        if linkable:
            out.append(StemName(head, stem, *linkable[0]))
    return out


def ambiguous_stems(graph: TermGraph, claims: dict) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """The form of each stem several terms claim -> (slug, `disambiguate` labels) of each, as ambiguous_forms."""
    return {StemName(head, stem, "").form: tuple((slug, frozenset(graph.terms[slug].disambiguate)) for slug in slugs)
            for (head, stem), slugs in shared_stems(claims).items()}  # fmt: skip


def ambiguous_forms(graph: TermGraph, rules) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """Each surface form of a name several terms derive -> (slug, `disambiguate` labels) of each."""
    found: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {}
    for key, slugs in graph.ambiguous.items():
        claimants = tuple((slug, frozenset(graph.terms[slug].disambiguate)) for slug in slugs)
        names = {name for slug in slugs for name, _ in graph.derived.get(slug, ()) if name.lower() == key}
        for name in sorted(names):
            for form, _ in rules.surface_forms(name):
                found[form.lower()] = claimants
    return found


def ref_targets_of(corpus: Corpus) -> dict[str, str]:
    """Every name a `ref` shortcode may give a page by -> the page's URL path."""
    # By the path without the language: a page's `ref` finds the page of its own language, as in Hugo.
    return ref_table([*((a.logical, article_rel(a.slug)) for a in corpus.articles),
                      *((f"content/{s.folder}/_index.md" if s.folder else "content/_index.md",
                         section_folder_rel(s.folder) if s.folder else "") for s in corpus.sections)])  # fmt: skip


def _texts(corpus: Corpus):
    return (doc.body for doc in (*corpus.articles, *corpus.terms, *corpus.sections))


def uses_glossary(corpus: Corpus) -> bool:
    """Whether any text may call the `definition` or `glossary` shortcodes (then summaries are
    a linking input: link_context's `glossary`)."""
    return any(map(uses_glossary_shortcodes, _texts(corpus)))


def uses_params(corpus: Corpus) -> bool:
    """Whether any text may call `param` (then the site's params are a linking input)."""
    return any(map(calls_param, _texts(corpus)))


def calls_param(text: str) -> bool:
    return "{{" in text and "param" in text


def uses_refs(corpus: Corpus) -> bool:
    """Whether any text may call `ref` or `relref` (then every page's URL is a linking input)."""
    return any("{{" in text and "ref" in text for text in _texts(corpus))


def names_key(graph: TermGraph, config: SiteConfig, context: LinkContext | None = None,
              shortcodes: ShortcodeTemplates | None = None) -> str:  # fmt: skip
    """Everything that decides a rendered body apart from its text: where links go (names,
    policy, URLs), the site's shortcode templates and, when there are any, the whole config
    (they may show any of `site`), and the pages `ref` may name."""
    names = forms_key(graph, config)
    salience = (sorted(context.common), context.salient_mentions, context.max_per_paragraph) if context is not None else ()
    pages = (sorted(context.ref_targets.items()), context.moved, context.glossary,
             digest(context.site_params)) if context is not None else ()  # fmt: skip
    templates = shortcodes.key() if shortcodes is not None else ""
    site = dataclasses.replace(config, root=None, output=None) if templates else None
    return digest(names, config.base_path, config.link_policy, config.unsafe_html, config.previews, config.math, pages,
                  templates, site, salience)  # fmt: skip


# --- LINK ------------------------------------------------------------------------------


def link_term(md, term: Term) -> TermDoc:
    """A term's summary and body share one linker state: first mention across both."""
    state = LinkState(body_line=term.lines.get("summary", 1), self_slug=term.slug,
                      page=page_info(term.title, f"terms/{term.slug}/", term.source),
                      labels=frozenset({term.category.lower()}))  # fmt: skip
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
