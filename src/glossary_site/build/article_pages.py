"""Link, render and write one article page: the unit of work of a build.

An article page depends only on its source, the glossary's names, the terms it mentions,
the site config and its templates, so units are independent: they run in worker processes
on a cold build and are skipped when their key is unchanged on a warm one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostic, Diagnostics, SourcePos
from ..content.documents import Article, page_info
from ..content.refs import TermRef
from ..content.urls import article_rel, page_file
from ..linking.autolink import LinkContext, LinkState
from ..linking.markdown import Rendered, make_markdown, render_markdown
from ..pages.indexes import first_mentions
from ..pages.render import article_spec, install_globals, render_page
from ..pages.shortcode_templates import ShortcodeTemplates
from ..pages.templates import make_environment
from .kept_bodies import pack, unpack, write_body
from .publish import safe_rel, write_new


@dataclass(frozen=True)
class ArticleResult:
    source: str
    rel: str
    """The output path of the page."""
    terms: tuple[str, ...]
    """Slugs of the terms the page links, in order of first mention (what backlinks need)."""
    errors: tuple[Diagnostic, ...]
    page_key: str
    written: bool
    """False when the page was unchanged and left as it is."""
    data: bytes | None = None
    """The page itself, when UnitInputs.in_memory."""
    body: bytes | None = None
    """The rendered body, packed (UnitInputs.keep_bodies): a later build can re-assemble
    the page around it when only what the page shows of other documents changed."""
    contexts: tuple = ()
    """The sentence of each first mention in `terms`, in that order (linking/excerpts.py; None
    for a mention without one): what the pages of those terms show of this article."""


@dataclass(frozen=True)
class UnitInputs:
    """Shared by every unit of one build; sent once to each worker process."""

    config: SiteConfig
    context: LinkContext
    term_refs: dict[str, TermRef]
    label_digests: dict[str, str]
    """Slug -> digest of its TermLabel, all an article page shows of a term (no summary: that is
    in the preview file): page keys combine these instead of pickling labels again."""
    depths: tuple[str, ...]
    base_key: str
    """Digest of the config, the link context's names and the article template."""
    staging: Path
    term_items: dict[str, Any]
    """Slug -> the term's entry in "Terms in this article" (its label), rendered once per build."""
    keep_bodies: bool = False
    """Return each newly rendered body in ArticleResult.body (the dev server keeps them)."""
    body_dir: Path | None = None
    """Or write each newly rendered body there, under its key (`build` keeps them on disk)."""
    in_memory: bool = False
    """Return pages in ArticleResult.data instead of writing them (the dev server's fast paths
    write only once every page has rendered)."""


def article_page_info(article: Article) -> dict:
    # The folder a relative `ref` starts from is the one without the language, as the ref table's names are.
    return page_info(article.title, article_rel(article.slug), article.logical, article.date, article.params)


def page_key(inputs: UnitInputs, source_digest: str, terms: tuple[str, ...]) -> str:
    """Checked for every article on every build: plain string hashing, no pickling."""
    refs = inputs.label_digests
    parts = [inputs.base_key, source_digest, *sorted(refs.get(slug, "-") for slug in terms)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


class ArticleRenderer:
    """Per-process state: one MarkdownIt and one Jinja environment, built once.

    `env`: the build's own environment, when this renderer is made before workers fork
    (they inherit it with its templates already compiled).
    """

    def __init__(self, inputs: UnitInputs, env=None):
        self.inputs = inputs
        self._md = None
        if env is None:
            env = make_environment(inputs.config.root)
            install_globals(env, inputs.config)
        self.env = env

    @property
    def md(self):
        if self._md is None:  # not needed to re-assemble a page around a kept body
            self._md = make_markdown(self.inputs.context, self.inputs.config.unsafe_html,
                                     shortcodes=ShortcodeTemplates(self.env))  # fmt: skip
        return self._md

    def run(self, article: Article, source_digest: str, body: bytes | None = None, body_key: str = "") -> ArticleResult:
        """`body`: the packed body of an earlier build of the same text and names (`body_key`);
        only the page is rendered."""
        rendered = None
        if body is not None:
            try:
                rendered, body = unpack(body), None  # the caller has it already: do not send it back
            except Exception:  # a damaged kept body is rendered again, never trusted
                rendered = body = None
        if rendered is None:
            state = LinkState(body_line=article.body_line, enabled=article.autolink, page=article_page_info(article))
            rendered = render_markdown(self.md, article.body, state)
            if self.inputs.body_dir is not None and body_key:
                write_body(self.inputs.body_dir, body_key, pack(rendered))
            elif self.inputs.keep_bodies:
                body = pack(rendered)
        diags = Diagnostics()
        for line, message, hint, _ in rendered.errors:
            diags.error(SourcePos(article.source, line), message, hint)
        for line, message, hint in rendered.warnings:
            diags.warning(SourcePos(article.source, line), message, hint)
        written, data = False, None
        if not diags.has_errors:
            output = self._page(article, rendered, diags)
            if output is not None and self.inputs.in_memory:
                data = output.data
            elif output is not None and safe_rel(output.rel) == output.rel:
                write_new(self.inputs.staging / output.rel, output.data)
                written = True
            elif output is not None:  # never outside the output (parsing refuses such URLs first)
                diags.error(SourcePos(article.source), f"refusing to write outside the output directory: {output.rel!r}")
        terms = first_mentions(rendered.mentions)
        key = page_key(self.inputs, source_digest, terms)
        contexts = tuple(rendered.contexts.get(slug) for slug in terms)
        return ArticleResult(article.source, page_file(article_rel(article.slug)), terms, tuple(diags.items), key,
                             written, data, body, contexts)  # fmt: skip

    def _page(self, article: Article, rendered: Rendered, diags: Diagnostics):
        """The page (None if its template failed)."""
        inputs = self.inputs
        spec = article_spec(article, rendered, inputs.term_refs, inputs.term_items, inputs.config, inputs.depths)
        return render_page(self.env, spec, inputs.config, diags)
