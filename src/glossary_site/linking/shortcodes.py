"""Hugo shortcodes as a markdown-it plugin: `{{< name args >}}`, `{{% name %}}` (inner text
rendered as Markdown), closing and self-closing forms, nesting, and the escape `{{</* */>}}`.

A block rule takes a call that stands on its own lines (with its inner text, up to the
closing tag); an inline rule takes one inside a paragraph. Either way the call becomes one
`shortcode` token, so nothing in its arguments or inner text is auto-linked or read as a
`[[reference]]`. Tokens are rendered by name: the built-in shortcodes (builtin_shortcodes.py),
then the site's and the theme's own (`templates/shortcodes/NAME.html`, through `site`, an
object the build passes in). An unknown name, an unclosed tag or a stray closing tag is an
error at its file line, and renders nothing.
"""

from __future__ import annotations

from typing import Any, Protocol

from jinja2 import Undefined
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from ..content.diagnostics import did_you_mean
from . import builtin_shortcodes
from .builtin_shortcodes import resolve_ref
from .fast_paragraphs import STARTS
from .shortcode_call import Call
from .shortcode_syntax import OPENERS, Tag, find_closing, read_tag
from .site_links import with_base


class SiteShortcodes(Protocol):
    """The site's and theme's shortcode templates (pages/shortcode_templates.py)."""

    names: frozenset[str]

    def render(self, name: str, context: dict[str, Any]) -> str: ...


def shortcodes_plugin(md: MarkdownIt, site: SiteShortcodes | None = None, pages: dict[str, str] | None = None,
                      base_path: str = "/", context=None) -> None:  # fmt: skip
    """`pages`: what `ref` and `relref` resolve (see ref_names); `base_path`: the site's;
    `context`: the LinkContext, for the glossary's own shortcodes."""
    known = builtin_shortcodes.names() | (site.names if site is not None else frozenset())

    def lines(state) -> None:
        """Each call's file line, now that every inline token knows its block's lines."""
        for token in state.tokens:
            if token.type == "shortcode" and token.map:
                token.meta["line"] = token.map[0]
            for child in token.children or ():
                if child.type == "shortcode":
                    child.meta["line"] = (token.map[0] if token.map else 0) + token.content[: child.meta["offset"]].count("\n")

    def render(self, tokens, idx, options, env) -> str:
        meta, state = tokens[idx].meta, env["glossary"]
        tag: Tag = meta["tag"]
        line = state.body_line + meta.get("line", 0)
        if tag.escaped:
            return escapeHtml(tag.escaped)
        if tag.error:
            state.errors.append((line, tag.error, "Close it, or escape it as {{</* ... */>}} to show it as text.", ""))
            return ""
        if tag.closing:
            state.errors.append((line, f"closing shortcode '{tag.name}' has no opening tag", "Remove it, or add the opening tag.", ""))  # fmt: skip
            return ""
        call = Call(tag.name, tag.args, dict(tag.params), meta["inner"], tag.markdown, line,
                    line + meta["inner_lines"], md, state, base_path, context)  # fmt: skip
        html = _render(call)
        return html + "\n" if tokens[idx].block and html and not html.endswith("\n") else html

    def _render(call: Call) -> str:
        if call.name.endswith(".inline"):
            call.warn(f"inline shortcode '{call.name}' holds Go template code, which cannot run here: nothing is rendered")
            return ""
        builtin = builtin_shortcodes.get(call.name)
        if site is not None and call.name in site.names:  # the site's own wins, as in Hugo
            try:
                return site.render(call.name, _template_context(call))
            except Exception as exc:  # a template's own error, whatever its kind: the author's to fix
                return call.error(f"shortcode template templates/shortcodes/{call.name}.html failed: {exc}")
        if builtin is not None:
            try:
                return builtin(call, pages or {})
            except Exception as exc:  # a library's refusal (segno: too much text for a QR code ...)
                return call.error(f"shortcode '{call.name}' cannot render these arguments: {exc}")
        close = did_you_mean(call.name, known)
        own = (f"add templates/shortcodes/{call.name}.html, in Jinja (a Hugo site's"
               f" layouts/shortcodes/{call.name}.html is Go, and must be rewritten).")
        # A close name is the likely fix; the whole list, repeated at every call, only when there is none.
        call.error(f"unknown shortcode '{call.name}'", f"{close} Or {own}" if close else
                   f"Known shortcodes: {', '.join(sorted(known))}; or {own}")  # fmt: skip
        return ""

    md.block.ruler.before("fence", "shortcode_block", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("escape", "shortcode", _inline)
    md.core.ruler.after("inline", "shortcode_lines", lines)
    md.core.ruler.after("shortcode_lines", "shortcode_escapes_in_code", _unescape_in_code)
    md.core.ruler.before("inline", "shortcode_link_refs", lambda state: _link_refs(state, pages or {}, base_path))
    md.add_render_rule("shortcode", render)


def _block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    pos = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith(OPENERS, pos):
        return False
    tag = read_tag(state.src, pos)
    if tag.error or tag.escaped or tag.closing:
        return False  # the inline rule reports it, or keeps the text
    closing = None if tag.self_closing else find_closing(state.src, tag)
    last = closing if closing is not None else tag
    if not _rest_blank(state.src, last.end):
        return False  # text follows the call on its line: it is part of a paragraph
    if silent:
        return True
    line = start_line
    while line < end_line and state.eMarks[line] < last.end - 1:
        line += 1
    token = state.push("shortcode", "", 0)
    token.map = [start_line, line + 1]
    token.meta = _meta(state.src, tag, closing, 0)
    token.block = True
    state.line = line + 1
    return True

def _inline(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src.startswith("\\", start) and state.src.startswith(OPENERS, start + 1):
        start += 1  # Hugo runs shortcodes before Markdown: a backslash before one does not stop it
    elif not state.src.startswith(OPENERS, start):
        return False
    state.pos = start
    tag = read_tag(state.src, state.pos)
    closing = None if tag.error or tag.escaped or tag.closing or tag.self_closing else find_closing(state.src, tag)
    end = (closing or tag).end if not tag.error else len(state.src)  # an unclosed tag takes the rest
    if not silent:
        token = state.push("shortcode", "", 0)
        token.meta = _meta(state.src, tag, closing, state.pos)
    state.pos = end
    return True


STARTS[_block] = "{"  # fast_paragraphs: a block rule it knows, which starts only on '{'


def _link_refs(state, pages: dict[str, str], base_path: str) -> None:
    """`[text]({{< ref "posts/x.md" >}})`: Hugo expands shortcodes before Markdown, so a `ref`
    in a link's destination gives the link its URL. Done here, on the inline text before it is
    parsed, for a `ref` or `relref` that directly follows `](`; one that finds no page is left
    for the inline rule, which reports it."""
    glossary = state.env.get("glossary")
    here = glossary.page.get("folder", "") if glossary is not None else ""
    for token in state.tokens:
        if token.type != "inline" or "](" not in token.content or "ref" not in token.content:
            continue
        text, pos, out = token.content, 0, []
        while (start := text.find("](", pos)) >= 0:
            at = start + 2
            if not text.startswith(OPENERS, at):
                out.append(text[pos:at])
                pos = at
                continue
            tag = read_tag(text, at)
            target = tag.args[0] if tag.args else dict(tag.params).get("path", "")
            found = resolve_ref(pages, target, here) \
                if tag.name in ("ref", "relref") and not (tag.error or tag.closing or tag.escaped) else None  # fmt: skip
            if target.startswith("#") and tag.name in ("ref", "relref"):
                out.append(text[pos:at] + target)  # an anchor on this page
            elif found is None:
                out.append(text[pos:at])
                pos = at
                continue
            else:
                out.append(text[pos:at] + with_base("/" + found.lstrip("/"), base_path))
            pos = tag.end
        token.content = "".join(out) + text[pos:]


_ESCAPES = (("{{</*", "{{<"), ("*/>}}", ">}}"), ("{{%/*", "{{%"), ("*/%}}", "%}}"))


def _unescape_in_code(state) -> None:
    """Code shows an escaped call as the call (`{{</* figure */>}}` as `{{< figure >}}`), as Hugo
    does: showing shortcode syntax in code is what the escape is for."""
    for token in state.tokens:
        for item in (token, *(token.children or ())):
            if item.type in ("fence", "code_block", "code_inline") and "/*" in item.content:
                for old, new in _ESCAPES:
                    item.content = item.content.replace(old, new)


def _rest_blank(src: str, pos: int) -> bool:
    end = src.find("\n", pos)
    return not src[pos : end if end >= 0 else len(src)].strip()


def _meta(src: str, tag: Tag, closing: Tag | None, base: int) -> dict:
    inner = src[tag.end : closing.start] if closing is not None else None
    lines_before = src[tag.start : tag.end].count("\n") + (1 if inner and inner.startswith("\n") else 0)
    return {"tag": tag, "inner": inner.strip("\n") if inner is not None and tag.markdown else inner,
            "inner_lines": lines_before, "offset": tag.start - base}  # fmt: skip


def _template_context(call: Call) -> dict[str, Any]:
    return {"args": list(call.args), "params": _Params(call.params), "inner": call.inner_html(),
            "page": call.state.page, "markdownify": lambda text: _one_paragraph_bare(call.markdownify(str(text))),
            "name": call.name}  # fmt: skip


class _Params(dict):
    """A call's named parameters: one it does not give shows as '', as Hugo's `.Get "name"` gives
    (a template ported from Hugo, `{{ params.title }}`, is not an error where a call leaves it
    out), and is still undefined to `default('note')` and `is defined`."""

    def __missing__(self, key: str) -> Undefined:
        return Undefined(name=key)


def _one_paragraph_bare(html: str) -> str:
    """Hugo's markdownify: a result that is one paragraph loses its <p> (a shortcode's caption or
    inline formula sits inside the author's sentence); more blocks are kept as they are."""
    body = html.rstrip("\n")
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1 and "</p>" not in body[3:-4]:
        return body[3:-4]
    return html
