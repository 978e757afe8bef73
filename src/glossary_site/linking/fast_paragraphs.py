"""A markdown-it plugin that parses paragraphs without asking every block rule about every line.

markdown-it-py tries each rule that may interrupt a paragraph (fence, list, heading, ...) on
every continuation line of every paragraph, and does so twice: once in `lheading` (looking for a
setext underline) and again in `paragraph`. Hard-wrapped prose pays for it on every line:
block parsing was 40% of rendering a bench article, most of it these calls. Every one of those rules first looks at the line's first
non-space character and gives up unless it is its own marker (`>` for a block quote, `#` for a
heading...), and a table needs a `|` in the line. So a line that starts with none of the markers
and holds no `|` cannot interrupt, and this plugin skips the rules for it. Likewise a block
that starts with such a line can only be a paragraph or a setext heading, so the rule chain is
not walked for it either.

The rules here are markdown-it-py's `paragraph` and `lheading` with that one check added; the
tokens are the same (tests compare them on the CommonMark spec and on random documents). A rule
this module does not know (another plugin's, or a stock rule replaced under its name) could
start on any character, so while one is enabled nothing is skipped; nor when one of these
rules is disabled or replaced.
"""

from __future__ import annotations

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.footnote.index import footnote_def

# The rules this module knows, by the function that does each (a rule replaced under the same
# name is another rule), and the characters each can start on: a line's first non-space
# character. `table` is special-cased (a header row can start with anything but must hold a
# `|`), and `code` by indentation.
STARTS = {
    rules_block.fence: "`~",
    rules_block.blockquote: ">",
    rules_block.hr: "*-_",
    rules_block.list_block: "*-+0123456789",
    rules_block.html_block: "<",
    rules_block.heading: "#",
    rules_block.reference: "[",
    footnote_def: "[",
    rules_block.table: "",
    rules_block.code: "",
}


MATH_BLOCKS = {"math_block": "$\\", "math_block_label": "$", "math_block_eqno": "\\"}
"""linking/math.py's block rules (mdit-py-plugins makes a new function for each instance), by
name: a superset of the characters each starts on is safe."""


OTHER_BLOCKS = {**MATH_BLOCKS, "summary_divider": "<"}
"""Block rules of this package's other plugins, by name (summary_divider.py: Hugo's `<!--more-->`)."""


def _starts(rule) -> str | None:
    return STARTS.get(rule.fn, OTHER_BLOCKS.get(rule.name))


class _Gate:
    """Which lines can start another block, from the rules enabled now (cached per rule set).
    None: skip nothing (a rule it does not know is enabled, or one of ours is not)."""

    def __init__(self, ours: dict) -> None:
        self.ours = ours
        self._for: object = None
        self.interrupt: frozenset[str] | None = None
        self.start: frozenset[str] | None = None
        self.pipes = False

    def update(self, ruler) -> None:
        chain = ruler.getRules("")
        if chain is self._for:  # the ruler makes new lists whenever a rule changes
            return
        enabled = [rule for rule in ruler.__rules__ if rule.enabled]
        others = [rule for rule in enabled if rule.name not in self.ours]
        known = {r.name: r.fn for r in enabled if r.name in self.ours} == self.ours and all(
            _starts(r) is not None for r in others
        )
        self.interrupt = _chars(r for r in others if "paragraph" in r.alt) if known else None
        self.start = _chars(r for r in others) if known else None
        self.pipes = any(rule.fn is rules_block.table for rule in others)
        self._for = chain

    def may_start(self, state: StateBlock, line: int, chars: frozenset[str] | None) -> bool:
        if chars is None:
            return True
        src, pos, end = state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line]
        return pos >= end or src[pos] in chars or (self.pipes and "|" in src[pos:end])


def _chars(rules) -> frozenset[str]:
    return frozenset("".join(_starts(rule) for rule in rules))


def fast_paragraphs_plugin(md: MarkdownIt) -> None:

    def interrupted(state: StateBlock, line: int, end_line: int) -> bool:
        if not gate.may_start(state, line, gate.interrupt):
            return False
        return any(rule(state, line, end_line, True) for rule in state.md.block.ruler.getRules("paragraph"))

    def quick_paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        """First in the chain: a block whose first line no other rule can start on."""
        gate.update(state.md.block.ruler)
        if state.sCount[start_line] - state.blkIndent >= 4 or gate.may_start(state, start_line, gate.start):
            return False
        return lheading(state, start_line, end_line, silent) or paragraph(state, start_line, end_line, silent)

    def paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        gate.update(state.md.block.ruler)
        next_line = start_line + 1
        end_line = state.lineMax
        old_parent_type = state.parentType
        state.parentType = "paragraph"
        while next_line < end_line:
            if state.isEmpty(next_line):
                break
            # Indented more than code, or inside a block quote's lazy continuation: the line
            # continues the paragraph whatever it holds.
            if state.sCount[next_line] - state.blkIndent > 3 or state.sCount[next_line] < 0:
                next_line += 1
                continue
            if interrupted(state, next_line, end_line):
                break
            next_line += 1
        content = mdTrim(state.getLines(start_line, next_line, state.blkIndent, False))
        state.line = next_line
        token = state.push("paragraph_open", "p", 1)
        token.map = [start_line, state.line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start_line, state.line]
        token.children = []
        state.push("paragraph_close", "p", -1)
        state.parentType = old_parent_type
        return True

    def lheading(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        gate.update(state.md.block.ruler)
        level = None
        next_line = start_line + 1
        if state.is_code_block(start_line):
            return False
        old_parent_type = state.parentType
        # Not restored when there is no underline: markdown-it-py leaves it so, and the aim here
        # is its exact behaviour (the paragraph rule that runs next saves and restores it).
        state.parentType = "paragraph"
        while next_line < end_line and not state.isEmpty(next_line):
            if state.sCount[next_line] - state.blkIndent > 3:
                next_line += 1
                continue
            if state.sCount[next_line] >= state.blkIndent:
                pos, maximum = state.bMarks[next_line] + state.tShift[next_line], state.eMarks[next_line]
                if pos < maximum and (marker := state.src[pos]) in ("-", "="):
                    pos = state.skipSpaces(state.skipCharsStr(pos, marker))
                    if pos >= maximum:
                        level = 1 if marker == "=" else 2
                        break
            if state.sCount[next_line] < 0:
                next_line += 1
                continue
            if interrupted(state, next_line, end_line):
                break
            next_line += 1
        if not level:
            return False
        content = mdTrim(state.getLines(start_line, next_line, state.blkIndent, False))
        state.line = next_line + 1
        token = state.push("heading_open", f"h{level}", 1)
        token.markup = marker
        token.map = [start_line, state.line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start_line, state.line - 1]
        token.children = []
        token = state.push("heading_close", f"h{level}", -1)
        token.markup = marker
        state.parentType = old_parent_type
        return True

    gate = _Gate({"quick_paragraph": quick_paragraph, "lheading": lheading, "paragraph": paragraph})
    md.fast_paragraphs_gate = gate  # for tests: whether the skipping is on
    md.block.ruler.at("paragraph", paragraph)
    md.block.ruler.at("lheading", lheading)
    md.block.ruler.before(md.block.ruler.__rules__[0].name, "quick_paragraph", quick_paragraph)
