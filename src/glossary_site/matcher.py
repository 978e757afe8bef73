"""Find term mentions in plain text: surface forms, case rules, whole words, longest match.

One Aho-Corasick pass over the lower-cased text finds every candidate, so the cost
grows with the text, not with the number of terms (ARCHITECTURE.md measured 51 MB/s
for pyahocorasick against 0.26 MB/s for a plain regex alternation). Word boundaries and
casing are then checked on each candidate, and the longest leftmost candidates win.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import ahocorasick


@dataclass(frozen=True)
class Form:
    text: str
    """The surface form as written in the glossary (or inflected from it)."""
    slug: str
    exact_words: tuple[bool, ...]
    """Per word of `text`: True when that word must match with its own casing."""


@dataclass(frozen=True)
class Match:
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


class TermMatcher:
    """All surface forms of all linkable terms, compiled once per build."""

    def __init__(self, forms: Iterable[Form]):
        by_key: dict[str, list[Form]] = {}
        for form in forms:
            by_key.setdefault(form.text.lower(), []).append(form)
        self.automaton = ahocorasick.Automaton()
        for key, group in sorted(by_key.items()):
            self.automaton.add_word(key, (len(key), tuple(group)))
        self.empty = not by_key
        if not self.empty:
            self.automaton.make_automaton()

    def scan(self, text: str, explain: bool = False) -> tuple[list[Match], list[Rejected]]:
        """Accepted matches (non-overlapping, longest leftmost) and, if asked, the rejects."""
        if self.empty or not text:
            return [], []
        lowered = _lower_same_length(text)
        candidates: list[Match] = []
        rejected: list[Rejected] = []
        for last, (length, group) in self.automaton.iter(lowered):
            start, end = last - length + 1, last + 1
            if (start > 0 and _is_word_char(text[start - 1])) or (
                end < len(text) and _is_word_char(text[end])
            ):
                if explain:
                    rejected += [Rejected(start, end, f.slug, f.text, "inside a word") for f in group]
                continue
            found = text[start:end]
            for form in group:
                if _case_matches(found, form):
                    candidates.append(Match(start, end, form.slug, form.text))
                    break
            else:
                if explain:
                    rejected += [Rejected(start, end, f.slug, f.text, "case mismatch") for f in group]
        return _leftmost_longest(candidates, rejected if explain else None), rejected


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


def _leftmost_longest(candidates: list[Match], rejected: list[Rejected] | None) -> list[Match]:
    chosen: list[Match] = []
    taken_until = -1
    for match in sorted(candidates, key=lambda m: (m.start, -(m.end - m.start))):
        if match.start >= taken_until:
            chosen.append(match)
            taken_until = match.end
        elif rejected is not None:
            rejected.append(Rejected(match.start, match.end, match.slug, match.form, "overlaps a longer match"))
    return chosen
