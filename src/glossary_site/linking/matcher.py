"""Find term mentions in plain text: surface forms, case rules, whole words, longest match.

Aho-Corasick passes find every candidate (one over the lower-cased text, one over the
text as written for acronyms), so the cost grows with the text, not with the number of
terms (ARCHITECTURE.md measured 51 MB/s for pyahocorasick against 0.26 MB/s for a plain
regex alternation). Mixed casing ("KV cache") is then checked on each candidate, and the
longest leftmost candidates win.

Whole words are found by the automaton itself: in the scanned copy every non-word
character becomes NUL (same length, so offsets agree) and every pattern is framed by
NULs. Otherwise each short name in a large glossary is found inside thousands of other
words and rejected one by one in Python: at 10,000 terms that made the scan 4.9 times
slower than at 100. `explain`, which reports those rejections, scans without frames.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, NamedTuple

import ahocorasick


class Form(NamedTuple):
    """A tuple: a glossary has thousands, and the saved state of `build` unpickles them all."""

    text: str
    """The surface form as written in the glossary (or inflected from it)."""
    slug: str
    exact_words: tuple[bool, ...]
    """Per word of `text`: True when that word must match with its own casing."""

    @property
    def any_exact(self) -> bool:
        return True in self.exact_words


class Match(NamedTuple):
    """A tuple: a document's scan makes thousands, and sorting tuples needs no key function."""

    start: int
    end: int
    """Exclusive end offset in the scanned text."""
    slug: str
    form: str


@dataclass(frozen=True)
class Rejected:
    start: int
    end: int
    slug: str
    form: str
    reason: str
    """'case mismatch', 'inside a word' or 'overlaps a longer match'."""


def is_acronym_word(word: str) -> bool:
    """OOM, KV, MoE, vLLM, GB10: a capital after the first letter means exact casing."""
    return any(c.isupper() for c in word[1:])


def inflections(name: str) -> list[str]:
    """The name, its English plural and possessives: GPU, GPUs, GPU's, GPUs'."""
    last = name.split(" ")[-1]
    if not last or not last[-1].isalpha():
        plural = name + "s"
    elif last.endswith(("s", "x", "z", "ch", "sh")) and not is_acronym_word(last):
        plural = name + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2].lower() not in "aeiou" and last.islower():
        plural = name[:-1] + "ies"
    else:
        plural = name + "s"
    forms = [name, plural, name + "'s", name + "\u2019s"]
    if plural.endswith("s"):
        forms += [plural + "'", plural + "\u2019"]
    return forms


def make_form(text: str, slug: str, case_sensitive: bool | None) -> Form:
    words = text.split(" ")
    if case_sensitive is None:
        exact = tuple(is_acronym_word(w) for w in words)
    else:
        exact = tuple(case_sensitive for _ in words)
    return Form(text, slug, exact)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


_NON_WORD = re.compile(r"\W")  # exactly not (isalnum() or "_"), as _is_word_char
_ASCII_NON_WORD = {i: 0 for i in range(128) if not _is_word_char(chr(i))}


def _frame(text: str) -> str:
    """Every non-word character as NUL; ASCII text (most runs) through translate's fast path."""
    if text.isascii():
        return text.translate(_ASCII_NON_WORD)
    return _NON_WORD.sub("\0", text)


class TermMatcher:
    """All surface forms of all linkable terms, compiled once per build.

    Two automata: forms that must match with their own casing in every word (acronyms:
    GPU, vLLM, or `case_sensitive: true`) are looked for in the text as written; the rest
    in the lower-cased text. A glossary with the acronym AND then does not stop at every
    "and" to reject it. Where both find the same span, the form given first wins, as if
    one automaton had found it (the explained scan, which `tests/test_properties.py` holds
    the fast one to).
    """

    def __init__(self, forms: Iterable[Form]):
        self._forms = list(forms)
        self.empty = not self._forms
        exact = [all(f.exact_words) for f in self._forms]
        self._folded = _automaton((_lower_same_length(f.text), r, f) for r, f in enumerate(self._forms) if not exact[r])
        self._exact = _automaton((f.text, r, f) for r, f in enumerate(self._forms) if exact[r])
        self._unframed = None

    def __getstate__(self) -> dict:
        """Patterns and values, not automata: pyahocorasick pickles each value on its own (no
        form shared between them) and `build`'s edit path loaded that in 80 ms; the automata
        are rebuilt from these in 5."""
        return {"forms": self._forms, "folded": _items(self._folded), "exact": _items(self._exact)}

    def __setstate__(self, state: dict) -> None:
        self._forms = state["forms"]
        self.empty = not self._forms
        self._folded, self._exact = _compiled(state["folded"]), _compiled(state["exact"])
        self._unframed = None

    def _plain(self):
        """The automaton without frames (explain reports matches inside words too)."""
        if self._unframed is None:
            by_key: dict[str, list[Form]] = {}
            for form in self._forms:
                by_key.setdefault(_lower_same_length(form.text), []).append(form)  # as the text is lowered
            self._unframed = ahocorasick.Automaton()
            for key, group in sorted(by_key.items()):
                self._unframed.add_word(key, (len(key), tuple(group)))
            self._unframed.make_automaton()
        return self._unframed

    def scan(self, text: str, explain: bool = False) -> tuple[list[Match], list[Rejected]]:
        """Accepted matches (non-overlapping, longest leftmost) and, if asked, the rejects."""
        if self.empty or not text:
            return [], []
        if explain:
            return self._scan_explained(text, _lower_same_length(text))
        return self.scan_many([text])[0], []

    def scan_many(self, texts: list[str]) -> list[list[Match]]:
        """The matches of each text, as scanning it alone finds them, in one automaton pass over
        them all (scan() is this for one text): an article's thirty runs
        of text cost one pass instead of thirty (0.28 against 0.41 ms an article). Joined by
        NUL, which frames words as a text's ends do; a candidate that reaches into the next
        text (only a name holding NUL could: markdown-it turns NUL in a text into U+FFFD) is
        dropped before choosing, so each text's matches are exactly scan()'s."""
        if self.empty or not texts:
            return [[] for _ in texts]
        joined = "\0".join(texts)
        candidates: list[tuple] = []
        if self._folded is not None:  # lowered one by one, as scan() does (lower() reads context)
            _collect(self._folded, "\0".join(map(_lower_same_length, texts)), joined, candidates)
        if self._exact is not None:
            _collect(self._exact, joined, joined, candidates)
        starts, pos = [], 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + 1
        found: list[list[Match]] = [[] for _ in texts]
        taken_until = -1
        # (start, -end, rank): leftmost, then longest, then the form given first.
        for start, neg_end, _, slug, form in sorted(candidates):
            if start >= taken_until:
                i = bisect_right(starts, start) - 1
                offset = starts[i]
                if -neg_end > offset + len(texts[i]) or not texts[i]:  # scan('') finds nothing
                    continue
                found[i].append(Match(start - offset, -neg_end - offset, slug, form))
                taken_until = -neg_end
        return found

    def _scan_explained(self, text: str, lowered: str) -> tuple[list[Match], list[Rejected]]:
        candidates: list[Match] = []
        rejected: list[Rejected] = []
        for last, (length, group) in self._plain().iter(lowered):
            start, end = last - length + 1, last + 1
            if (start > 0 and _is_word_char(text[start - 1])) or (
                end < len(text) and _is_word_char(text[end])
            ):
                rejected += [Rejected(start, end, f.slug, f.text, "inside a word") for f in group]
                continue
            found = text[start:end]
            for form in group:
                if _case_matches(found, form):
                    candidates.append(Match(start, end, form.slug, form.text))
                    break
            else:
                rejected += [Rejected(start, end, f.slug, f.text, "case mismatch") for f in group]
        return _leftmost_longest(candidates, rejected), rejected


def _automaton(entries):
    """Framed patterns -> (key length, ((key, ((rank, form, any exact word), ...)), ...)); None
    when empty. Keys that differ only in punctuation or spacing ("k-means", "k means") frame
    alike. any_exact is stored, not asked of each form found: a scan finds thousands."""
    framed: dict[str, dict[str, list]] = {}
    for key, rank, form in entries:
        framed.setdefault(f"\0{_frame(key)}\0", {}).setdefault(key, []).append((rank, form, form.any_exact))
    return _compiled((pattern, (len(pattern) - 2, tuple((key, tuple(group)) for key, group in keys.items())))
                     for pattern, keys in framed.items())  # fmt: skip


def _compiled(items):
    automaton = ahocorasick.Automaton()
    for pattern, value in items:
        automaton.add_word(pattern, value)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _collect(automaton, scanned: str, text: str, out: list) -> None:
    """Whole-word candidates in `scanned` (the text or its lower-cased copy) as sortable tuples."""
    # Offsets: the framed text has one NUL before it, and each pattern one before its key.
    for last, (length, keys) in automaton.iter(f"\0{_frame(scanned)}\0"):
        start = last - length - 1
        end = start + length
        seen = scanned[start:end]
        for key, group in keys:
            if key == seen:  # not the same letters with other punctuation ("k means" for "k-means")
                break
        else:
            continue
        found = text[start:end]
        for rank, form, exact in group:
            if not exact or _case_matches(found, form):
                out.append((start, -end, rank, form.slug, form.text))
                break


def _items(automaton) -> list:
    return list(automaton.items()) if automaton is not None else []


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters (e.g. 'İ') lower-case to two; keep offsets aligned instead.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _case_matches(found: str, form: Form) -> bool:
    if not any(form.exact_words):
        return True
    found_words = found.split(" ")
    form_words = form.text.split(" ")
    if len(found_words) != len(form_words):
        return False
    return all(
        fw == w if exact else True
        for fw, w, exact in zip(found_words, form_words, form.exact_words)
    )


def _leftmost_longest_order(m: Match) -> tuple[int, int]:
    return m.start, -m.end


def _leftmost_longest(candidates: list[Match], rejected: list[Rejected] | None) -> list[Match]:
    chosen: list[Match] = []
    taken_until = -1
    # Leftmost first and, at one start, the longest: tuples sort by start, then end descending.
    for match in sorted(candidates, key=_leftmost_longest_order):
        if match.start >= taken_until:
            chosen.append(match)
            taken_until = match.end
        elif rejected is not None:
            rejected.append(Rejected(match.start, match.end, match.slug, match.form, "overlaps a longer match"))
    return chosen
