"""Stems (`stemming: true`, English sites only): a word of the text whose Snowball English stem is
the stem of a term's name links to that term ("scalable" -> Scalability, both `scalabl`).

A term's name gives one `StemName`: the stem of its last word, and the words before it as written
("horizontal scaling" -> head "horizontal ", stem "scale"): in English the last word of a name is
the one that inflects, and stemming the others too would link more words that mean something else.

The text is not stemmed word by word. Every Snowball English stem of four letters or more begins
the word it came from, but for its last one or two letters (`word_prefix`: the stem less a final
"e" or "i", or less "le" of "ble", which the algorithm may write in place of the word's own
"ation", "y" or "ility"): no exception in 1.4 million words, and `tests/test_stemming.py` holds
it to random words built of every suffix the algorithm knows. So one more automaton pass finds
the words that begin with such a prefix (in the matcher's framed copy of the text: "\\0" + the
head, framed as the matcher frames a name, + the prefix), and only those are stemmed, each
distinct word once.

The stemmer is `snowballstemmer`'s English one in pure Python, always: not PyStemmer's C build of
the same algorithm, which `snowballstemmer.stemmer()` would pick where it happens to be installed.
Each distinct word is stemmed once, so C measured no faster at linking (once, by hand: bench/matcher.py's
stemming rows with `_load` switched to PyStemmer; the committed script measures the pure one only),
and one implementation gives every machine the same links (Snowball 2 and 3 stem 88 of 1.4 million
words differently). Its version is part of `stemmer_key()`, so a site's cached bodies follow an upgrade.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

import ahocorasick

MIN_STEM = 4
"""Shorter stems are left alone: 'bus', 'pod', 'use' would link too many other words ('used',
'users'), and the prefix rule (`word_prefix`) is only shown for stems of four letters or more."""
FORM_MARK = "\0"
"""Begins the `form` of a stem match (FORM_MARK + head + stem): no name holds a NUL, so it is
never a surface form, and `LinkContext.ambiguous` keys the stems two terms share by it."""
RULE = "derived: stem"
CACHED_WORDS = 200_000
"""The stem cache is cleared past this many words (a long-running server reading ever new words)."""

_stem_word = None
_key = ""
_cache: dict[str, str] = {}


def _load():
    global _stem_word, _key
    if _stem_word is None:
        from importlib import metadata  # here: the matcher imports this module, and stemming is seldom on

        from snowballstemmer.english_stemmer import EnglishStemmer

        _key = f"snowballstemmer {metadata.version('snowballstemmer')} english"
        _stem_word = EnglishStemmer().stemWord
    return _stem_word


def stemmer_key() -> str:
    """Names the stemmer and its version (part of the key of every rendered body when on)."""
    _load()
    return f"{_key}; min {MIN_STEM}; last word"


def stem(word: str) -> str:
    """The Snowball English stem of a lower-cased word, from a cache (a text's words repeat)."""
    found = _cache.get(word)
    if found is None:
        if len(_cache) > CACHED_WORDS:
            _cache.clear()
        found = _cache[word] = (_stem_word or _load())(word)
    return found


def word_prefix(stem_: str) -> str:
    """What every word of this stem begins with: the stem, less a final 'e' or 'i' (written for
    'ation', 'ize', 'y' ...), a final 'l' of 'bl' ('scalabl' of 'scalability'), or 'le' of 'ble'."""
    if stem_.endswith("ble"):
        return stem_[:-2]
    if stem_.endswith(("e", "i", "bl")):
        return stem_[:-1]
    return stem_


class StemName(NamedTuple):
    """One (head, stem) a term links words by."""

    head: str
    """The name's words before its last, lower-cased, with the separator after them ('' for a
    one-word name): matched as written."""
    stem: str
    slug: str
    rule: str = RULE
    """What `explain` says: 'derived: stem', after the rules that made the name if it is derived."""

    @property
    def form(self) -> str:
        return FORM_MARK + self.head + self.stem


def split_name(name: str) -> tuple[str, str] | None:
    """(head, stem) of a name whose last word (after the last space or hyphen) is a word of
    letters with a stem of MIN_STEM letters or more; None otherwise."""
    lowered = name.lower()
    cut = max(lowered.rfind(" "), lowered.rfind("-")) + 1
    last = lowered[cut:]
    if not last.isalpha() or not last.isascii():
        return None
    stem_ = stem(last)
    return (lowered[:cut], stem_) if len(stem_) >= MIN_STEM else None


class StemIndex:
    """The StemNames of a glossary as one automaton of framed prefixes: "\\0" + `frame(head)` (the
    matcher's framing: every character that is not a word character as NUL, as the framed text
    has it: 'node.js ' -> 'node\\0js\\0') + `word_prefix(stem)`, framed at the start only. A hit is
    a word beginning with the prefix; it is a match when the head is written as in the name and
    the word's stem is one of the pattern's.

    Each pattern remembers what it decided for each text it hit (most hits are the same few
    hundred words), and decides nothing for a text that is a form the matcher finds in any
    casing (`known`): there that form is found at the same place and wins, so a stem candidate
    would only be sorted and dropped."""

    def __init__(self, names: Iterable[StemName], first_rank: int, frame: Callable[[str], str],
                 known: Iterable[str] = ()):  # fmt: skip
        """`frame`: the matcher's framing of a text (same length), which made the framed copy
        `collect` is given; `known`: the forms the matcher finds, lower-cased."""
        self.names = list(names)
        self._known = frozenset(known)
        patterns: dict[str, dict[str, dict[str, tuple[int, str, str]]]] = {}
        for i, name in enumerate(self.names):
            framed = "\0" + frame(name.head) + word_prefix(name.stem)  # heads that frame alike share it
            by_head = patterns.setdefault(framed, {}).setdefault(name.head, {})
            by_head.setdefault(name.stem, (first_rank + i, name.slug, name.form))
        self._automaton = _compiled(patterns)

    def rules(self) -> dict[tuple[str, str], str]:
        """(form, slug) -> the rule `explain` names."""
        return {(name.form, name.slug): name.rule for name in self.names}

    def collect(self, lowered: str, framed: str, out: list) -> None:
        """Candidates (start, -end, rank, slug, form) in `lowered` (the text lower-cased, same
        length); `framed`: the matcher's framed copy of it (one NUL before it, one after)."""
        if self._automaton is None:
            return
        known = self._known
        for last, (length, head_length, by_head, decided) in self._automaton.iter(framed):
            start = last - length + 1  # the leading NUL of the framed copy: offsets agree
            end = framed.find("\0", last + 1) - 1
            span = lowered[start:end]
            found = decided.get(span, _UNDECIDED)
            if found is _UNDECIDED:
                found = decided[span] = None if span in known else _decide(span, head_length, by_head)
            if found is not None:
                out.append((start, -end, *found))


_UNDECIDED = object()


def _decide(span: str, head_length: int, by_head: dict) -> tuple[int, str, str] | None:
    stems = by_head.get(span[:head_length])  # as written: 'bare metal', not 'bare, metal'
    word = span[head_length:]
    return stems.get(stem(word)) if stems is not None and word.isalpha() else None


def _compiled(patterns: dict):
    if not patterns:
        return None
    automaton = ahocorasick.Automaton()
    for pattern, by_head in patterns.items():
        automaton.add_word(pattern, (len(pattern), len(next(iter(by_head))), by_head, {}))
    automaton.make_automaton()
    return automaton
