"""Builds the one MarkdownIt instance and renders a document body with the term linker."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..content.documents import slugify
from .autolink import LinkContext, LinkState, autolink_plugin
from .fast_paragraphs import fast_paragraphs_plugin
from .matcher import word_count
from .math import math_plugin
from .shortcodes import SiteShortcodes, shortcodes_plugin
from .site_links import site_links_plugin
from .summary_divider import summary_divider_plugin


@dataclass(frozen=True)
class TocEntry:
    """One heading of a document, for its table of contents."""

    level: int
    """1 to 6, as in <h1> to <h6>."""
    anchor: str
    """The heading's id (the anchors plugin's slug)."""
    title: str
    """Its text, without markup."""


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    words: int
    mentions: tuple[tuple[str, int], ...]
    """(term slug, file line) of every linked mention, in document order."""
    errors: tuple[tuple[int, str, str, str], ...]
    """(file line, message, hint, reference) of bad explicit references."""
    highlighted: tuple[tuple[str, int, int], ...] = ()
    """(key, start, end): where each highlighted code block is in `html`, by the digest of its
    language and code, so that the next rendering of an edited body reuses them (prime())."""
    warnings: tuple[tuple[int, str, str], ...] = ()
    """(file line, message, hint) of what rendered but deserves a word (shortcodes.Call.warn)."""
    contexts: dict[str, str] = field(default_factory=dict, hash=False)
    """Term slug -> the sentence of its first mention, the mention marked (excerpts.Excerpt):
    what a term page's backlinks show."""


# Pygments compiles a lexer's regular expressions when a process first uses it: a quarter of a
# second for Python's. `build` after an edit renders one article in a new process; the code
# blocks it did not change come from the article's last rendering instead (see prime()).
_primed: dict[str, str] = {}
_made: list[tuple[str, str]] = []


@lru_cache(maxsize=256)
def _lexer(name: str):
    """Pygments looks lexers up by scanning its registry: a tenth of a millisecond per block.
    Imported here, when a block first needs it: `build` after an edit often does not."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(name, stripnl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1)
def _formatter():
    from pygments.formatters.html import HtmlFormatter

    return HtmlFormatter(nowrap=True)


def _highlight(code: str, lang: str, _attrs) -> str:
    """Pygments highlighting; unknown languages fall back to markdown-it's plain block."""
    if not lang.strip():
        return ""
    key = hashlib.blake2b(f"{lang}\0{code}".encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    html = _primed.get(key)
    if html is None:
        lexer = _lexer(lang.split()[0])
        if lexer is None:
            return ""
        import pygments

        lang_class = slugify(lang.split()[0]) or "text"
        html = f'<pre class="highlight"><code class="language-{lang_class}">{pygments.highlight(code, lexer, _formatter())}</code></pre>'
    _made.append((key, html))
    return html


def prime(rendered: Rendered) -> None:
    """Let the next renderings in this process reuse the highlighted code blocks of `rendered`."""
    _primed.clear()
    for key, start, end in rendered.highlighted:
        _primed[key] = rendered.html[start:end]


def make_markdown(context: LinkContext, unsafe_html: bool = False, lean: bool = False,
                  shortcodes: SiteShortcodes | None = None) -> MarkdownIt:  # fmt: skip
    """CommonMark plus tables, strikethrough, footnotes, heading anchors, Hugo's summary divider
    left out, Hugo shortcodes (the
    built-in ones and `shortcodes`, the site's) and term links (`lean`: without tables and
    footnotes, for a text that cannot hold either; see _for), with paragraphs parsed by
    fast_paragraphs (the same tokens, fewer rule calls)."""
    md = MarkdownIt("commonmark", {"html": unsafe_html, "highlight": _highlight})
    md.enable(["strikethrough"] if lean else ["table", "strikethrough"])
    if not lean:
        md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_anchor_slug)
    md.use(summary_divider_plugin)
    md.use(autolink_plugin, context=context)
    md.use(shortcodes_plugin, site=shortcodes, pages=context.ref_targets, base_path=context.base_path, context=context)
    if context.math:
        md.use(math_plugin)
    md.use(fast_paragraphs_plugin)
    md.use(site_links_plugin, base_path=context.base_path)
    md.glossary_lean = None if lean else (context, unsafe_html, True, shortcodes)
    return md


def _for(md: MarkdownIt, body: str) -> MarkdownIt:
    """The instance to render `body` with: the lean one when the text has no `|` (every
    table row has one), `[^` or `^[` (every footnote reference, definition and inline note
    starts so). Their rules would be tried at every line and inline position for nothing:
    0.15 ms of 2.06 ms per bench article. The output is the same bytes."""
    lean = getattr(md, "glossary_lean", None)
    if lean is None or "|" in body or "[^" in body or "^[" in body:
        return md
    if isinstance(lean, tuple):  # made on first use, in the process that renders
        lean = md.glossary_lean = make_markdown(*lean)
    return lean


def _anchor_slug(title: str) -> str:
    return slugify(title) or "section"


def render_markdown(md: MarkdownIt, body: str, state: LinkState) -> Rendered:
    env = {"glossary": state}
    md = _for(md, body)
    tokens = md.parse(body, env)
    _made.clear()
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        toc=_toc(tokens),
        words=word_count(body),  # for reading time: counting source words is close enough, and nearly free
        mentions=tuple(state.mentions),
        errors=tuple(state.errors),
        highlighted=_where(html, _made),
        warnings=tuple(state.warnings),
        contexts=dict(state.contexts),
    )


def _where(html: str, made: list[tuple[str, str]]) -> tuple[tuple[str, int, int], ...]:
    found, pos = [], 0
    for key, block in made:
        start = html.find(block, pos)
        if start >= 0:  # always, unless a plugin rewrote the block
            found.append((key, start, start + len(block)))
            pos = start + len(block)
    return tuple(found)


def render_inline(md: MarkdownIt, text: str, state: LinkState) -> str:
    """A one-line Markdown value (a term's summary) with the same linker state."""
    return md.renderInline(text, {"glossary": state})


def _toc(tokens) -> tuple[TocEntry, ...]:
    entries = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            inline = tokens[i + 1]
            title = "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))
            entries.append(TocEntry(int(token.tag[1]), str(token.attrGet("id")), title))
    return tuple(entries)
