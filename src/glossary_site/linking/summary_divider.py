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
    # It ends what an HTML block would end (a paragraph, a quote, a table), as in Hugo.
    md.block.ruler.before("html_block", "summary_divider", _divider_line, {"alt": ["paragraph", "reference", "blockquote"]})
    md.inline.ruler.before("html_inline", "summary_divider", _divider_inline)
    md.add_render_rule("summary_divider", _render_divider)


def _render_divider(self, tokens, idx, options, env) -> str:
    """Nothing; but between the hidden paragraphs of a tight list item, the line break that
    keeps their words apart ('a' and 'b' of `- a / <!--more--> / b`, not 'ab')."""
    return "\n" if idx and tokens[idx - 1].hidden else ""


def _divider_line(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:  # an indented code block's line
        return False
    pos, end = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    if not state.src.startswith(DIVIDER, pos) or state.src[pos + len(DIVIDER) : end].strip():
        return False
    if not silent:
        state.push("summary_divider", "", 0).map = [start_line, start_line + 1]
        state.line = start_line + 1
    return True


def _divider_inline(state: StateInline, silent: bool) -> bool:
    """Dropped; a space in its place between two words ('Intro.<!--more-->Rest.'), and none at
    the end of a heading's text."""
    pos, end = state.pos, state.pos + len(DIVIDER)
    if not state.src.startswith(DIVIDER, pos):
        return False
    if not silent:
        if not state.src[end:].strip():
            state.pending = state.pending.rstrip()
        elif pos and not state.src[pos - 1].isspace() and not state.src[end].isspace():
            state.pending += " "
    state.pos = end
    return True
