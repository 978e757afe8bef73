"""Hugo's summary divider, `<!--more-->`: left out of the page, as Hugo leaves it out.

Hugo ends an article's summary at the divider and never shows it. Here raw HTML is escaped
unless `unsafe_html` is on, so the divider showed as text on every article that used one
(181 of 242 pages of a real Hugo blog). A line holding only the divider is dropped, ending a
paragraph it follows as a blank line would; one inside a line is dropped where it stands. In
code it stays (the code rules take those characters first).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

DIVIDER = "<!--more-->"
"""As Hugo writes it (its page lexer looks for exactly these bytes)."""


def summary_divider_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "summary_divider", _divider_line, {"alt": ["paragraph"]})
    md.inline.ruler.before("html_inline", "summary_divider", _divider_inline)


def _divider_line(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:  # an indented code block's line
        return False
    pos, end = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    if not state.src.startswith(DIVIDER, pos) or state.src[pos + len(DIVIDER) : end].strip():
        return False
    if not silent:
        state.line = start_line + 1  # no token: nothing of it reaches the page
    return True


def _divider_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith(DIVIDER, state.pos):
        return False
    state.pos += len(DIVIDER)
    return True
