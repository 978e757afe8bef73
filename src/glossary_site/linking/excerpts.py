"""The sentence around a term's first mention, as backlinks show it (Obsidian's linked mentions).

The term linker (autolink.py) hands over the plain text of one paragraph, heading or list
item (its inline tokens with the markup dropped) and where the mention is in it. The excerpt
is the sentence holding the mention, trimmed at word boundaries to about MAX_CHARS: plain text
with the mention between MARK and UNMARK and CUT where it was cut. The paragraph's own
control characters are spaces by then, so these are never an author's. A page escapes all of
it, then puts <mark> and ellipses in their places (pages/render.py `context_html`): nothing an
author wrote is ever injected.

A term page lists every article that uses the term (a thousand on the large bench corpus, a
million excerpts in all), so an excerpt is short and one string: a tuple with the mention's
offsets cost a fifth more memory, and an ellipsis in the text ('…' is not Latin-1) would keep
the whole text at two bytes a character.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Excerpt = str
"""The sentence, the mention between MARK and UNMARK, CUT at either end where it was cut."""
MARK, UNMARK, CUT = "\x02", "\x03", "\x1f"

MAX_CHARS = 160
"""About one line of a term page: the excerpt's characters, the mention's included, before
the ellipses. A longer sentence is cut around the mention, rather more after it than before."""
WORD_SLACK = 24
"""A cut moves to the nearest space when one is this close; else it cuts between characters
(Japanese and Chinese text has no spaces)."""

# Where a sentence ends: '.', '!' or '?' (repeated, then closing quotes or brackets) before the
# end or a space and a word that is not in lower case, so that "3.5", "example.org" and "e.g. a"
# end none; '。', '！' and '？' end one as they are (Japanese and Chinese put no space after).
_ENDS = re.compile(r"[.!?]+[\"'”’)\]»]*(?=\s*$|\s+(?=\S)(?![a-zß-ÿ]))|[。！？｡]+[」』）”’]*")
_STOPS = re.compile(r"[.!?。！？｡]")
"""Where one may end: a plain character class finds them several times faster than _ENDS
tried at every position, and only these few are then tried."""
_CONTROLS = {code: " " for code in [*range(32), 127]}
"""Tabs, line breaks and other control characters as spaces, one for one (the offsets stay;
a page collapses runs of spaces): then MARK, UNMARK and CUT are only ever ours."""


def excerpts(text: str, spans) -> list[Excerpt]:
    """The excerpt of each mention (start, end) of one paragraph's text."""
    if not text.isprintable():
        text = text.translate(_CONTROLS)
    ends = sentence_ends(text)
    return [excerpt(text, start, end, ends) for start, end in spans]


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of a paragraph ends (after its full stop), ascending."""
    found: list[int] = []
    for stop in _STOPS.finditer(text):
        at = stop.start()
        if found and at < found[-1]:
            continue  # within the last end ('?!', '...')
        match = _ENDS.match(text, at)
        if match:
            found.append(match.end())
    return found


def excerpt(text: str, start: int, end: int, ends: list[int] | None = None) -> Excerpt:
    """The sentence of `text` holding text[start:end], trimmed, the mention marked.
    `ends`: sentence_ends(text), when the caller has it (excerpts() for a whole paragraph, whose
    control characters it has made spaces)."""
    if ends is None:
        return excerpts(text, [(start, end)])[0]
    # The sentence, no further than the longest excerpt reaches (then cut there).
    i = bisect_right(ends, start)
    lo = ends[i - 1] if i else 0
    i = bisect_right(ends, end, i)
    hi = ends[i] if i < len(ends) else len(text)
    cut_before, cut_after = start - lo > MAX_CHARS, hi - end > MAX_CHARS
    if cut_before:
        lo = start - MAX_CHARS
    if cut_after:
        hi = end + MAX_CHARS
    while lo < start and text[lo] == " ":
        lo += 1
    # Trimmed to MAX_CHARS with the mention whole, rather more kept after it than before.
    room = MAX_CHARS - (end - start)
    if (start - lo) + (hi - end) > room:
        keep = room * 2 // 5 if room * 2 // 5 > room - (hi - end) else room - (hi - end)
        if start - lo > keep:
            lo, cut_before = start - keep if keep > 0 else start, True
        keep = room - (start - lo)
        if hi - end > keep:
            hi, cut_after = end + keep if keep > 0 else end, True
    # A cut word is left out when a space is near; else the cut falls between characters.
    if cut_before:
        if 0 < lo < start and text[lo - 1] != " " and text[lo] != " ":
            space = text.find(" ", lo, lo + WORD_SLACK if lo + WORD_SLACK < start else start)
            if space >= 0:
                lo = space
        while lo < start and text[lo] == " ":
            lo += 1
    if cut_after and end < hi < len(text) and text[hi] != " " and text[hi - 1] != " ":
        space = text.rfind(" ", hi - WORD_SLACK if hi - WORD_SLACK > end else end, hi)
        if space >= 0:
            hi = space
    return "".join((CUT if cut_before else "", text[lo:start], MARK, text[start:end], UNMARK, text[end:hi].rstrip(),
                    CUT if cut_after else ""))  # fmt: skip
