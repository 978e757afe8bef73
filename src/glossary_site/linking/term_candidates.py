"""Capitalised phrases and acronyms a text uses that no term names: what `explain` (per
article) and `report` (across articles) suggest as missing terms.

A candidate is an acronym (two capitals or more: NVIDIA, FP8, vLLM), a capitalised word
inside a sentence (Caddy, Ollama), or a run of them (Raspberry Pi, Home Assistant). A
capital at the start of a sentence says nothing, so there a lone word is left out and a
phrase loses its first word, unless that word is an acronym. Left out too: code, URLs,
shortcodes and `[[references]]`, everything the glossary's matcher finds (its names with
every form the language rules and the linker give them), names that differ from a term's
only in case, a short list of sentence words (The, When, ...) and units (GB, GHz).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from ..content.graph import TermGraph
from .languages import rules_for
from .matcher import TermMatcher, spaceless_script

_WORD = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Za-z0-9]*(?:[.+-][A-Za-z0-9]+)*(?:['’][a-z]+)?)")
_COMMON = {"I", "A", "The", "This", "That", "It", "In", "On", "If", "When", "What", "Why", "How", "For", "And",
           "But", "Or", "So", "We", "You", "Your", "My", "Our", "They", "There", "Then", "Each", "Every", "One",
           "Two", "Most", "Some", "All", "No", "Not", "Yes", "Do", "Is", "As", "At", "To", "Of", "By", "An", "Be"}  # fmt: skip
_UNITS = {"KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "Hz", "MHz", "GHz", "mAh"}
_NOT_PROSE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|\{\{[<%].*?[%>]\}\}|\[\[[^\]\n]*\]\]|https?://[^\s)>\]]+",
                        re.S)  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?:])[*_)\]\"'”’]*\s+|(?<=[。！？])|\n\s*\n|\||^\s*(?:#+|>|[-*+]|\d+[.)])\s+"
                           r"(?:[*_]+(?=\S))?", re.M)  # fmt: skip
"""Where a sentence starts: after its end (and any closing marks), a blank line, a table cell's
bar, a heading's, quote's or list item's marker (and the bold or italic that opens it)."""
_LONGEST_NAME = 6
"""Words in the longest stretch looked up as a name inside a run of capitalised words."""


def known_names(graph: TermGraph, language: str) -> set[str]:
    """Every term's title, aliases and derived names (graph.derived) in each form the language
    gives them, lower-cased."""
    rules = rules_for(language)
    return {form.lower() for t in graph.terms.values()
            for n in (t.title, *t.aliases, *(name for name, _ in graph.derived.get(t.slug, ())))
            for form, _ in rules.surface_forms(n)}  # fmt: skip


def candidates(body: str, known: set[str], matcher: TermMatcher | None = None) -> list[tuple[str, int]]:
    """(phrase, offset in `body`) of every candidate, in order. `known`: known_names();
    `matcher`: the site's, so that whatever the linker would find is no candidate."""
    prose = _blank(body, [(m.start(), m.end()) for m in _NOT_PROSE.finditer(body)])
    if matcher is not None:
        wrapped = prose.replace("\n", " ")  # a name may wrap, as the linker reads it
        prose = _blank(prose, [(m.start, m.end) for m in matcher.scan(wrapped)[0]])
    found: list[tuple[str, int]] = []
    for start, sentence in _sentences(prose):
        lead = start + len(sentence) - len(sentence.lstrip())
        run: list[tuple[str, int]] = []
        for match in _WORD.finditer(sentence):
            before = sentence[match.start() - 1] if match.start() else ""
            if before and (before.isalnum() or before in "_.") and not spaceless_script(before):
                continue  # inside a word ('macOS'); after Japanese or Thai text it begins one
            at = start + match.start()
            if run and not prose[run[-1][1] + len(run[-1][0]) : at].isspace():
                found += _phrases(run, lead, known)
                run = []
            run.append((match.group(1), at))
        found += _phrases(run, lead, known)
    return found


def frequent(body: str, known: set[str], matcher: TermMatcher | None = None, least: int = 2,
             most: int = 15) -> list[tuple[str, int]]:  # fmt: skip
    """(phrase, count) of the candidates one text uses at least `least` times, most used first."""
    counts = Counter(phrase for phrase, _ in candidates(body, known, matcher))
    return [(p, c) for p, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= least][:most]


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span's characters turned into NUL, which ends a run of words (newlines
    kept: offsets and lines agree)."""
    parts, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        parts += (text[pos:start], re.sub(r"[^\n]", "\0", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for cut in _SENTENCE_END.finditer(text):
        yield pos, text[pos : cut.start()]
        pos = cut.end()
    yield pos, text[pos:]


def _acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2


def _phrases(run: list[tuple[str, int]], lead: int, known: set[str]) -> list[tuple[str, int]]:
    """A run of capitalised words, cut at sentence words, units and known names, as phrases."""
    out: list[tuple[str, int]] = []
    part: list[tuple[str, int]] = []

    def flush() -> None:
        words = part[1:] if part and part[0][1] == lead and not _acronym(part[0][0]) else part
        if words:
            out.append((re.sub(r"['’]s$", "", " ".join(w for w, _ in words)), words[0][1]))  # NVIDIA's: NVIDIA
        part.clear()

    i = 0
    while i < len(run):
        name = next((j for j in range(min(len(run), i + _LONGEST_NAME), i, -1)
                     if " ".join(w for w, _ in run[i:j]).lower() in known), 0)  # fmt: skip
        if name or run[i][0] in _COMMON or run[i][0] in _UNITS:
            flush()
            i = name or i + 1
            continue
        part.append(run[i])
        if re.search(r"['’]s$", run[i][0]) and run[i][0][:3] != "Let":
            flush()  # a possessive ends its name (NVIDIA's DGX Spark), a contraction does not (Let's Encrypt)
        i += 1
    flush()
    return out
