"""The sentence around a term's first mention, as backlinks show it (Obsidian's linked mentions).

The term linker (autolink.py) hands over the plain text of one paragraph, heading or list
item (its inline tokens with the markup dropped) and where the mention is in it. The excerpt
is the sentence holding the mention, trimmed at word boundaries to about MAX_CHARS with an
ellipsis, as plain text with the mention's offsets: a page escapes all of it and marks the
mention (pages/render.py `context_html`), so nothing an author wrote is ever injected.

A term page lists every article that uses the term (a thousand on the large bench corpus), so
excerpts are kept short: a page pays for each one, and so do the cache and the saved state.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Excerpt = tuple[str, int, int]
"""(text, start, end): the sentence and where the mention is in it (text[start:end])."""

MAX_CHARS = 160
"""About one line of a term page: the excerpt's characters, the mention's included, before
the ellipses. A longer sentence is cut around the mention, rather more after it than before."""
WORD_SLACK = 24
"""A cut moves to the nearest space when one is this close; else it cuts between characters
(Japanese and Chinese text has no spaces)."""
ELLIPSIS = "…"

# Where a sentence ends: '.', '!' or '?' (repeated, then closing quotes or brackets) before the
# end or a space and a word that is not in lower case, so that "3.5", "example.org" and "e.g. a"
# end none; '。', '！' and '？' end one as they are (Japanese and Chinese put no space after).
_ENDS = re.compile(r"(?=[.!?。！？｡])(?:[.!?]+[\"'”’)\]»]*(?=\s*$|\s+(?=\S)(?![a-zß-ÿ]))|[。！？｡]+[」』）”’]*)")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of a paragraph ends (after its full stop), ascending: found once
    for all the mentions in it."""
    return [match.end() for match in _ENDS.finditer(text)]


def excerpt(text: str, start: int, end: int, ends: list[int] | None = None) -> Excerpt:
    """The sentence of `text` holding text[start:end], trimmed, and the mention's offsets in it.
    `ends`: sentence_ends(text), when the caller has it."""
    ends = sentence_ends(text) if ends is None else ends
    # The sentence, no further than the longest excerpt reaches (`open_*`: cut there).
    i = bisect_right(ends, start)
    first = ends[i - 1] if i else 0
    open_before = start - first > MAX_CHARS
    if open_before:
        first = start - MAX_CHARS
    while first < start and text[first].isspace():
        first += 1
    j = bisect_right(ends, end)
    last = ends[j] if j < len(ends) else len(text)
    open_after = last - end > MAX_CHARS
    if open_after:
        last = end + MAX_CHARS
    # Trimmed to MAX_CHARS with the mention whole, rather more kept after it than before.
    room = max(0, MAX_CHARS - (end - start))
    keep_before, keep_after = start - first, last - end
    if keep_before + keep_after > room:
        keep_before = min(keep_before, max(room * 2 // 5, room - keep_after))
        keep_after = min(keep_after, room - keep_before)
    lo, hi = start - keep_before, end + keep_after
    cut_before, cut_after = lo > first or open_before, hi < last or open_after
    if cut_before:
        lo = _word_start(text, lo, start)
    if cut_after:
        hi = _word_end(text, hi, end)
    before, mention, after = text[lo:start], text[start:end], text[end:hi].rstrip()
    if _odd_spaces(text[lo:hi]):
        before, mention, after = _SPACES.sub(" ", before), _SPACES.sub(" ", mention), _SPACES.sub(" ", after)
    if cut_before:
        before = ELLIPSIS + before
    if cut_after:
        after += ELLIPSIS
    return before + mention + after, len(before), len(before) + len(mention)


def _odd_spaces(text: str) -> bool:
    """Whitespace other than single spaces: rare in a paragraph's text (its soft breaks are
    spaces already), so an excerpt is only normalised when it has some."""
    return "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text


def _word_start(text: str, at: int, limit: int) -> int:
    """Where a cut at `at` starts the excerpt: there, past the rest of a word it cuts when a
    space is near (else between characters), and past spaces."""
    if 0 < at < limit and not text[at - 1].isspace() and not text[at].isspace():
        space = text.find(" ", at, min(limit, at + WORD_SLACK))
        if space >= 0:
            at = space
    while at < limit and text[at].isspace():
        at += 1
    return at


def _word_end(text: str, at: int, limit: int) -> int:
    """Where a cut at `at` ends the excerpt: there, or before a word it cuts when a space is near."""
    if limit < at < len(text) and not text[at].isspace() and not text[at - 1].isspace():
        space = text.rfind(" ", max(limit, at - WORD_SLACK), at)
        if space >= 0:
            at = space
    return at
