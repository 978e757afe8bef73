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

Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer,
Myanmar, Tibetan: "spaceless") match by characters: a mention may begin or end where the
character outside it or its own first (last) character is spaceless, so `キャッシュ` is
found in `KVキャッシュを使う` and `OS` in `OSを操作する`, but not `OS` in `macOSを` (c and O
are both Latin). In the framed copy a spaceless character becomes NUL too, so the same pass
finds Latin names at script boundaries; names that hold spaceless characters are looked for
in a third automaton, without frames, each candidate's ends checked here. A glossary without
such names (an English site's) costs nothing more.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, NamedTuple

import ahocorasick

from .stems import FORM_MARK, StemIndex, StemName


class Form(NamedTuple):
    """A tuple: a glossary has thousands, and the saved state of `build` unpickles them all."""

    text: str
    """The surface form as written in the glossary (or inflected from it)."""
    slug: str
    exact_words: tuple[bool, ...]
    """Per word of `text`: True when that word must match with its own casing."""
    rule: str = ""
    """The language rule that made this form from a name ('en: plural'); '' for the name as
    written. Interned by `languages.py`: shared, not copied, by the thousand forms."""

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
    """The name, its English plural and possessives, in this order: GPU, GPUs, GPU's, GPU’s,
    GPUs', GPUs’ (`languages.py` names each form's rule; a site links them when it is in English)."""
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


def make_form(text: str, slug: str, case_sensitive: bool | None, rule: str = "") -> Form:
    words = text.split(" ")
    if case_sensitive is None:
        exact = tuple(is_acronym_word(w) for w in words)
    else:
        exact = tuple(case_sensitive for _ in words)
    return Form(text, slug, exact, rule)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


_ASCII_NON_WORD = {i: 0 for i in range(128) if not _is_word_char(chr(i))}


# Code points of the scripts written without spaces between words, with the script's name
# (for `explain`). Sorted; looked up by bisection, and as one character class for a whole text.
_SPACELESS_RANGES = (
    (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"), (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"), (0x1780, 0x17FF, "Khmer"), (0x19E0, 0x19FF, "Khmer"),
    (0x3005, 0x3007, "Han"),  # 々 〆 〇
    (0x303B, 0x303B, "Han"),  # 〻
    (0x3040, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"),  # with ー (U+30FC)
    (0x31F0, 0x31FF, "Katakana"), (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"),
    (0xA9E0, 0xA9FF, "Myanmar"), (0xAA60, 0xAA7F, "Myanmar"), (0xF900, 0xFAFF, "Han"),
    (0xFF65, 0xFF9F, "Katakana"),  # halfwidth, with ｰ
    (0x1B000, 0x1B16F, "Hiragana"),  # Kana supplement and extension A: hentaigana
    (0x20000, 0x323AF, "Han"),  # extensions B to H, compatibility supplement
)  # fmt: skip
_RANGE_STARTS = [start for start, _, _ in _SPACELESS_RANGES]
_SPACELESS_CLASS = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b, _ in _SPACELESS_RANGES)
_SPACELESS = re.compile(f"[{_SPACELESS_CLASS}]")
_ENDS_WORDS = re.compile(f"[\\W{_SPACELESS_CLASS}]")
"""What the framed copy turns into NUL: a character that is not a word character (exactly not
`_is_word_char`), or a spaceless one, which may end a word on either side of it."""


def word_count(text: str) -> int:
    """Words for reading time: words between spaces, and characters of spaceless scripts at
    Hugo's ratio for CJK (about 500 characters a minute against 213 words: 0.4 word each)."""
    if text.isascii():
        return len(text.split())
    spaceless = len(_SPACELESS.findall(text))
    return len(_SPACELESS.sub(" ", text).split()) + round(spaceless * 0.4)


def spaceless_script(c: str) -> str:
    """The name of the spaceless script `c` is written in ('Katakana'), or ''."""
    code = ord(c)
    if code < 0x0E00:
        return ""
    i = bisect_right(_RANGE_STARTS, code) - 1
    return _SPACELESS_RANGES[i][2] if i >= 0 and code <= _SPACELESS_RANGES[i][1] else ""


def _has_spaceless(text: str) -> bool:
    return not text.isascii() and _SPACELESS.search(text) is not None


def _start_ok(text: str, start: int) -> bool:
    """May a mention begin at `start`: at the text's start, after a character that is not a
    word character, or where that character or the mention's first is spaceless."""
    if start == 0:
        return True
    before = text[start - 1]
    return not _is_word_char(before) or bool(spaceless_script(before) or spaceless_script(text[start]))


def _end_ok(text: str, end: int) -> bool:
    if end == len(text):
        return True
    after = text[end]
    return not _is_word_char(after) or bool(spaceless_script(after) or spaceless_script(text[end - 1]))


def _cuts_a_mark(text: str, start: int, end: int) -> bool:
    """Does the span begin at, or end before, a combining mark of a spaceless script (a Thai
    vowel or tone mark): a letter is never linked without its marks."""
    return any(i < len(text) and spaceless_script(text[i]) and unicodedata.category(text[i])[0] == "M"
               for i in (start, end))  # fmt: skip


def _ends_ok(text: str, start: int, end: int, by_chars: bool) -> bool:
    """May text[start:end] be a mention: both ends allowed and, for a name that holds
    spaceless characters (`by_chars`), no mark cut off. (A Latin name is found by its frames,
    which know nothing of marks: no Latin name is written with Thai marks.)"""
    return _start_ok(text, start) and _end_ok(text, end) and not (by_chars and _cuts_a_mark(text, start, end))


def _frame(text: str) -> str:
    """Every non-word and every spaceless character as NUL; ASCII text (most runs) through
    translate's fast path."""
    if text.isascii():
        return text.translate(_ASCII_NON_WORD)
    return _ENDS_WORDS.sub("\0", text)


class TermMatcher:
    """All surface forms of all linkable terms, compiled once per build.

    Two automata: forms that must match with their own casing in every word (acronyms:
    GPU, vLLM, or `case_sensitive: true`) are looked for in the text as written; the rest
    in the lower-cased text. A glossary with the acronym AND then does not stop at every
    "and" to reject it. Where both find the same span, the form given first wins, as if
    one automaton had found it (the explained scan, which `tests/test_properties.py` holds
    the fast one to).
    """

    def __init__(self, forms: Iterable[Form], stems: Iterable[StemName] = ()):
        self._forms = list(forms)
        self._stem_names = list(stems)
        self._stems = self._stem_index()
        """Words linked by their stem (stems.py; `stemming: true`): after every form at one place."""
        self.empty = not self._forms and self._stems is None
        by_chars = [_has_spaceless(f.text) for f in self._forms]
        framed = [(r, f, all(f.exact_words)) for r, f in enumerate(self._forms) if not by_chars[r]]
        self._folded = _automaton((_lower_same_length(f.text), r, f) for r, f, exact in framed if not exact)
        self._exact = _automaton((f.text, r, f) for r, f, exact in framed if exact)
        self._by_chars = _unframed_automaton((r, f) for r, f in enumerate(self._forms) if by_chars[r])
        """Names holding spaceless characters (キャッシュ, KVキャッシュ), with no frames."""
        self._unframed = None
        self._rules: dict | None = None

    def __getstate__(self) -> dict:
        """Patterns and values, not automata: pyahocorasick pickles each value on its own (no
        form shared between them) and `build`'s edit path loaded that in 80 ms; the automata
        are rebuilt from these in 5."""
        return {"forms": self._forms, "folded": _items(self._folded), "exact": _items(self._exact),
                "by_chars": _items(self._by_chars), "stems": self._stem_names}  # fmt: skip

    def __setstate__(self, state: dict) -> None:
        self._forms = state["forms"]
        self._stem_names = state.get("stems", [])
        self._stems = self._stem_index()
        self.empty = not self._forms and self._stems is None
        self._folded, self._exact = _compiled(state["folded"]), _compiled(state["exact"])
        self._by_chars = _compiled(state["by_chars"])
        self._unframed = None
        self._rules = None

    def _stem_index(self) -> StemIndex | None:
        if not self._stem_names:
            return None
        return StemIndex(self._stem_names, len(self._forms), _frame,
                         {_lower_same_length(f.text) for f in self._forms if not f.any_exact})  # fmt: skip

    def _plain(self):
        """Every form without frames: every occurrence, inside words too (explain reports them)."""
        if self._unframed is None:
            self._unframed = _unframed_automaton(enumerate(self._forms))
        return self._unframed

    def scan(self, text: str, explain: bool = False) -> tuple[list[Match], list[Rejected]]:
        """Accepted matches (non-overlapping, longest leftmost) and, if asked, the rejects."""
        if self.empty or not text:
            return [], []
        if explain:
            rejected: list[Rejected] = []
            return self._scan_by_candidates(text, rejected), rejected
        return self.scan_many([text])[0], []

    def scan_many(self, texts: list[str]) -> list[list[Match]]:
        """The matches of each text, as scanning it alone finds them, in one pass of each
        automaton over them all (scan() is this for one text): an article's thirty runs of
        text cost one pass instead of thirty (0.28 against 0.41 ms an article). Joined by NUL,
        which frames words as a text's ends do; a candidate that reaches into the next text
        (only a name holding NUL could: markdown-it turns NUL in a text into U+FFFD) is
        dropped before choosing, so each text's matches are exactly scan()'s."""
        if self.empty or not texts:
            return [[] for _ in texts]
        joined = "\0".join(texts)
        candidates: list[tuple] = []
        lowered = None
        stems = self._stems
        if self._folded is not None or stems is not None or (self._by_chars is not None and not joined.isascii()):
            parts = list(map(_lower_same_length, texts))  # one by one, as scan() does (lower() reads context)
            lowered = "\0".join(parts)
            # Each framed copy is freed before the next is made, which then reuses its memory: a copy
            # kept to the end made a 1 MB scan 10% slower.
            if stems is None:
                if self._folded is not None:
                    _collect(self._folded, lowered, _framed(lowered, parts), joined, candidates)
            else:
                framed = _framed(lowered, parts)
                if self._folded is not None:
                    _collect(self._folded, lowered, framed, joined, candidates)
                stems.collect(lowered, framed, candidates)
                del framed
        if self._exact is not None:
            _collect(self._exact, joined, _framed(joined, texts), joined, candidates)
        if self._by_chars is not None and not joined.isascii():
            _collect_by_chars(self._by_chars, lowered, joined, candidates)
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

    def _scan_by_candidates(self, text: str, rejected: list[Rejected]) -> list[Match]:
        """`explain`'s scan: every occurrence of every form (inside words too), its ends and
        casing checked here, the rejects with their reasons."""
        candidates: list[Match] = []
        plain = self._plain()  # None: a glossary linked by stems only
        for last, (length, by_chars, group) in plain.iter(_lower_same_length(text)) if plain is not None else ():
            start, end = last - length + 1, last + 1
            if not _ends_ok(text, start, end, by_chars):
                rejected += [Rejected(start, end, f.slug, f.text, "inside a word") for _, f in group]
                continue
            found = text[start:end]
            for _, form in group:
                if _case_matches(found, form):
                    candidates.append(Match(start, end, form.slug, form.text))
                    break
            else:
                rejected += [Rejected(start, end, f.slug, f.text, "case mismatch") for _, f in group]
        if self._stems is not None:  # after the forms: at one span, a form wins (as its rank does in scan_many)
            lowered = _lower_same_length(text)
            stemmed: list[tuple] = []
            self._stems.collect(lowered, _framed(lowered, [lowered]), stemmed)
            candidates += [Match(start, -neg_end, slug, form) for start, neg_end, _, slug, form in sorted(stemmed)]
            before = len(rejected)
            chosen = _leftmost_longest(candidates, rejected)
            # A stem is found wherever a name is ('containers', 'observer'): that a name won is no news.
            rejected[before:] = [r for r in rejected[before:] if not (r.form.startswith(FORM_MARK) and any(
                m.start <= r.start and r.end <= m.end and (m.slug == r.slug or (m.start, m.end) == (r.start, r.end))
                for m in chosen))]  # fmt: skip
            return chosen
        return _leftmost_longest(candidates, rejected)

    def how(self, text: str, match: Match) -> str:
        """How `match` (found in `text`) was made, for `explain`: the rule that made its form
        ('en: plural') and, where an end of it touches a word character and is allowed by a
        spaceless script, 'by characters: Katakana'. '' for a name found as a whole word."""
        if self._rules is None:
            self._rules = {}
            for form in self._forms:
                self._rules.setdefault((form.text, form.slug), form.rule)
            if self._stems is not None:
                self._rules.update(self._stems.rules())
        parts = [self._rules.get((match.form, match.slug), "")]
        start, end = match.start, match.end
        if start > 0 and _is_word_char(text[start - 1]):
            parts.append(f"by characters: {spaceless_script(text[start - 1]) or spaceless_script(text[start])}")
        elif end < len(text) and _is_word_char(text[end]):
            parts.append(f"by characters: {spaceless_script(text[end]) or spaceless_script(text[end - 1])}")
        return "; ".join(p for p in parts if p)


def _automaton(entries):
    """Framed patterns -> (key length, ((key, ((rank, form, any exact word), ...)), ...)); None
    when empty. Keys that differ only in punctuation or spacing ("k-means", "k means") frame
    alike. any_exact is stored, not asked of each form found: a scan finds thousands."""
    framed: dict[str, dict[str, list]] = {}
    for key, rank, form in entries:
        framed.setdefault(f"\0{_frame(key)}\0", {}).setdefault(key, []).append((rank, form, form.any_exact))
    return _compiled((pattern, (len(pattern) - 2, tuple((key, tuple(group)) for key, group in keys.items())))
                     for pattern, keys in framed.items())  # fmt: skip


def _unframed_automaton(entries):
    """(rank, form) pairs -> an automaton of their lower-cased texts, without frames: key ->
    (key length, whether the key holds spaceless characters, ((rank, form), ...)); None when empty."""
    by_key: dict[str, list] = {}
    for rank, form in entries:
        by_key.setdefault(_lower_same_length(form.text), []).append((rank, form))  # as the text is lowered
    return _compiled((key, (len(key), _has_spaceless(key), tuple(group))) for key, group in sorted(by_key.items()))


def _compiled(items):
    automaton = ahocorasick.Automaton()
    for pattern, value in items:
        automaton.add_word(pattern, value)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _framed(joined: str, texts: list[str]) -> str:
    """`joined` (the texts joined by NUL) framed, with a NUL at each end. When it is not ASCII,
    each text is framed alone (the same characters: NUL frames to NUL), so that the ASCII ones,
    most of an English article even when a few runs hold a ’ or an é, take translate's fast
    path (a third of the time of framing it all by regular expression)."""
    if joined.isascii():
        return f"\0{_frame(joined)}\0"
    return "\0" + "\0".join(map(_frame, texts)) + "\0"


def _collect(automaton, scanned: str, framed: str, text: str, out: list) -> None:
    """Whole-word candidates in `scanned` (the text or its lower-cased copy; `framed`: it as
    `_framed` gives it) as sortable tuples."""
    # Offsets: the framed text has one NUL before it, and each pattern one before its key.
    for last, (length, keys) in automaton.iter(framed):
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


def _collect_by_chars(automaton, lowered: str, text: str, out: list) -> None:
    """Candidates of the names that hold spaceless characters, each one's ends and casing
    checked (`lowered`: the text lower-cased, same length)."""
    for last, (length, by_chars, group) in automaton.iter(lowered):
        start, end = last - length + 1, last + 1
        if not _ends_ok(text, start, end, by_chars):
            continue
        found = text[start:end]
        for rank, form in group:
            if _case_matches(found, form):
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
