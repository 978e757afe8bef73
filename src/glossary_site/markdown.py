"""Builds the one MarkdownIt instance and renders a document body with the term linker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .autolink import LinkContext, LinkState, autolink_plugin
from .documents import slugify

_FORMATTER = HtmlFormatter(nowrap=True)


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    words: int
    mentions: tuple[tuple[str, int], ...]
    """(term slug, file line) of every linked mention, in document order."""
    errors: tuple[tuple[int, str, str, str], ...]
    """(file line, message, hint, reference) of bad explicit references."""


@lru_cache(maxsize=256)
def _lexer(name: str):
    """Pygments looks lexers up by scanning its registry: a tenth of a millisecond per block."""
    try:
        return get_lexer_by_name(name, stripnl=False)
    except ClassNotFound:
        return None


def _highlight(code: str, lang: str, _attrs) -> str:
    """Pygments highlighting; unknown languages fall back to markdown-it's plain block."""
    lexer = _lexer(lang.split()[0]) if lang.strip() else None
    if lexer is None:
        return ""
    lang_class = slugify(lang.split()[0]) or "text"
    return f'<pre class="highlight"><code class="language-{lang_class}">{highlight(code, lexer, _FORMATTER)}</code></pre>'


def make_markdown(context: LinkContext, unsafe_html: bool = False) -> MarkdownIt:
    """CommonMark plus tables, strikethrough, footnotes, heading anchors and term links."""
    md = MarkdownIt("commonmark", {"html": unsafe_html, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_anchor_slug)
    md.use(autolink_plugin, context=context)
    return md


def _anchor_slug(title: str) -> str:
    return slugify(title) or "section"


def render_markdown(md: MarkdownIt, body: str, state: LinkState) -> Rendered:
    env = {"glossary": state}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        toc=_toc(tokens),
        words=len(body.split()),  # for reading time: counting source words is close enough, and free
        mentions=tuple(state.mentions),
        errors=tuple(state.errors),
    )


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
