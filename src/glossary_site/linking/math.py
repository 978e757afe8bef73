"""Math without JavaScript: `$...$` and `$$...$$` (mdit-py-plugins' dollarmath), and `\\(...\\)`
and `\\[...\\]` as Hugo's passthrough extension delimits them (its texmath), rendered at build
time to MathML (latex2mathml), which browsers display natively.

Math tokens are not text, so nothing inside them is auto-linked. A formula that cannot be
converted is an error at its file line and renders as its source, escaped.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.texmath import texmath_plugin

_BLOCK = ("math_block", "math_block_label", "math_block_eqno")
_INLINE = ("math_inline", "math_inline_double")


def math_plugin(md: MarkdownIt) -> None:
    dollarmath_plugin(md, allow_space=False, allow_digits=False, double_inline=True)
    texmath_plugin(md, delimiters="brackets")
    for name in (*_BLOCK, *_INLINE):
        md.add_render_rule(name, _render)
    md.core.ruler.push("math_lines", _lines)


def _lines(state) -> None:
    """Each inline formula's file line (relative to the document), for errors."""
    for token in state.tokens:
        if token.type in _BLOCK and token.map:
            token.meta = {**(token.meta or {}), "line": token.map[0]}
        for child in token.children or ():
            if child.type in _INLINE:
                at = token.content.find(child.content)
                child.meta = {**(child.meta or {}), "line": (token.map[0] if token.map else 0) + token.content[: max(at, 0)].count("\n")}


def _render(self, tokens, idx, options, env) -> str:
    from latex2mathml.converter import convert  # imported when a page has math: most have none

    token = tokens[idx]
    display = token.type in _BLOCK or token.type == "math_inline_double"
    source = token.content.strip()
    try:
        html = convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many kinds; each is the author's formula
        state = env.get("glossary")
        if state is not None:
            line = state.body_line + (token.meta or {}).get("line", 0)
            why = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower().removesuffix(" error")
            detail = f"{why}: {exc}" if str(exc) else why
            state.errors.append((line, f"this formula cannot be converted to MathML ({detail})",
                                 "Check the LaTeX, or write it as code with backticks.", ""))  # fmt: skip
        html = f"<code>{escapeHtml(source)}</code>"
    return f'<div class="math">{html}</div>\n' if token.type in _BLOCK else html
