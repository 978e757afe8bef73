"""Derived names: what a term is called in running text without its author writing an alias.

Real glossaries title their entries "Application Programming Interface (API)", "Containers" or
"Bare Metal", and their texts say "API", "container" and "bare-metal". From each title and
alias of a term (unless it says `derive: false`) come, each with the rule `explain` names:

- "Title (ABBR)" -> "Title" (derived: long name) and "ABBR" (derived: abbreviation), and
  "ABBR (Long Name)" the same way round; "Pod (Kubernetes)", whose parentheses hold no
  abbreviation, -> "Pod" (derived: without qualifier);
- the site language's own derivations (languages.py; English: a plural title's singular,
  "Containers" -> "Container");
- for a name of two to four words, the other ways of joining them: "Bare Metal Machine" ->
  "bare-metal machine", "bare-metal-machine" ... (derived: hyphenated), "bare metal" from
  "bare-metal" (derived: spaced), and for two words "baremetal" (derived: joined);
- Unicode: the name in NFKC (derived: NFKC) and with its apostrophes the other way round,
  "Moore's law" <-> "Moore’s law" (derived: apostrophe).

Every derived name then takes the language's surface forms (plurals, possessives ...) like a
title does. Which derived names a term keeps (none that another term is explicitly called,
none that two terms both derive) is decided with the glossary (content/graph.py).

With `stemming: true` on an English site, each name (written or derived) also gives the stem of
its last word (derived: stem, stems.py): `stem_claims` says which terms claim each stem; a stem
two terms claim is ambiguous, as a name two terms derive is.
"""

from __future__ import annotations

import re
import sys
import unicodedata
import weakref
from functools import partial
from itertools import product
from typing import Iterable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics
from ..content.documents import Term
from ..content.graph import TermGraph, warn_shared
from .languages import LanguageRules, primary_subtag, rules_for
from .matcher import is_acronym_word
from .stems import RULE as STEM_RULE
from .stems import split_name

_PARENTHESES = re.compile(r"^(?P<outer>[^()]*?\S)\s*\((?P<inner>[^()]+)\)$")
_SEPARATORS = re.compile(r"[ -]")
_APOSTROPHES = {"'": "\u2019", "\u2019": "'", "\u2018": "'", "\u02bc": "'"}


def looks_like_abbreviation(text: str) -> bool:
    """API, IaC, gRPC, CI/CD, K8s, LLMs: one word of at most 12 characters with two capitals,
    or a capital and a digit. 'Kubernetes' or 'networking' in parentheses qualify a title."""
    text = text.strip()
    if not 2 <= len(text) <= 12 or " " in text:
        return False
    capitals = sum(c.isupper() for c in text)
    return capitals >= 2 or (capitals == 1 and any(c.isdigit() for c in text))


def split_parentheses(name: str) -> list[tuple[str, str]]:
    """'Application Programming Interface (API)' -> [(long name, rule), (API, rule)]."""
    match = _PARENTHESES.match(name.strip())
    if not match:
        return []
    outer, inner = match.group("outer").strip(), match.group("inner").strip()
    if looks_like_abbreviation(inner):
        return [(outer, "derived: long name"), (inner, "derived: abbreviation")]
    if looks_like_abbreviation(outer) and " " in inner:
        return [(outer, "derived: abbreviation"), (inner, "derived: long name")]
    return [(outer, "derived: without qualifier")]


def joinings(name: str, case_sensitive: bool | None) -> list[tuple[str, str]]:
    """A name of two to four words joined by spaces or hyphens, joined the other ways. Words of
    one character ('top-p') and names holding an acronym joined without a separator ('KVcache')
    are left alone. Unless the term is case-sensitive, a variant of ordinary words is lower-cased,
    so that it matches in any casing (as the name does: 'Bare-Metal' would read as an acronym)."""
    words = _SEPARATORS.split(name)
    if not 2 <= len(words) <= 4 or any(len(w) < 2 or not w.replace("'", "").replace("\u2019", "").isalnum() for w in words):
        return []
    acronym = any(is_acronym_word(w) for w in words)
    if not acronym and case_sensitive is not True:
        words = [w.lower() for w in words]
    out = []
    for joints in product(" -", repeat=len(words) - 1):  # bare-metal machine, bare metal-machine ...
        variant = words[0] + "".join(j + w for j, w in zip(joints, words[1:]))
        if variant.lower() != name.lower():
            out.append((variant, "derived: spaced" if joints.count("-") < name.count("-") else "derived: hyphenated"))
    if len(words) == 2 and not acronym and all(w.isalpha() for w in words):
        out.append(("".join(words), "derived: joined"))
    return out


def unicode_variants(name: str) -> list[tuple[str, str]]:
    """The name in NFKC (a title with a ligature, full-width letters or a no-break space matches
    text written plainly), and with straight and curly apostrophes swapped."""
    out = []
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        out.append((normal, "derived: NFKC"))
    for text in (name, normal):
        if any(c in _APOSTROPHES for c in text):
            out.append(("".join(_APOSTROPHES.get(c, c) for c in text), "derived: apostrophe"))
    return out


def derived_names(term: Term, rules: LanguageRules) -> list[tuple[str, str]]:
    """Every name derived from the term's title and aliases, once, with the rules that made it
    ('derived: long name, en: singular'); never one of its own explicit names."""
    own = {name.lower() for name in (term.title, *term.aliases)}
    out: list[tuple[str, str]] = []
    seen = set(own)

    def add(name: str, rule: str) -> bool:
        name = " ".join(name.split())
        if not name or name.lower() in seen:
            return False
        seen.add(name.lower())
        out.append((name, sys.intern(rule)))
        return True

    stage = [(name, "") for name in (term.title, *term.aliases)]
    for step in (split_parentheses, rules.derived_names, lambda n: joinings(n, term.case_sensitive), unicode_variants):
        found = []
        for name, rule in stage:
            for new, how in step(name):
                combined = f"{rule}, {how}" if rule else how
                if add(new, combined):
                    found.append((" ".join(new.split()), combined))
        stage += found
    return out


def deriver(language: str):
    """The derived names of a site in `language` (what content/graph.py's build_graph takes)."""
    return partial(derived_names, rules=rules_for(language))


def stems_apply(config: SiteConfig) -> bool:
    """`stemming: true` on a site (or a language of one) in English: the Snowball stemmer is English."""
    return config.stemming and primary_subtag(config.language) == "en"


def stem_names(term: Term, derived: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(head, stem, rule) of each of the term's names, written ones first, then its `derived`
    names: none for `derive: false` or a case-sensitive term, none of a name with an acronym-style
    word ('KV cache': its casing is the point), nor of a name stripped of its qualifier (a common
    word, as term_forms says) unless the term disambiguates."""
    if not term.derive or term.case_sensitive:
        return []
    out, seen = [], set()
    for name, how in [*((n, "") for n in (term.title, *term.aliases)), *derived]:
        bare = "without qualifier" in how and not term.disambiguate
        if bare or (term.case_sensitive is None and any(map(is_acronym_word, name.split(" ")))):  # as make_form splits
            continue
        split = split_name(name)
        if split is not None and split not in seen:
            seen.add(split)
            out.append((*split, sys.intern(f"{how}, {STEM_RULE}" if how else STEM_RULE)))
    return out


def stem_claims(graph: TermGraph) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(head, stem) -> (slug, rule) of each term whose names give it, once a term, in slug order
    (every term, `autolink: false` ones too: a stem they share with another is ambiguous, as a
    derived name is: shared_stems). Kept for the last graph asked about: the build reads them
    twice (its warnings, its matcher), and at 10,000 terms they take a tenth of a second or two."""
    global _last_claims
    if _last_claims is not None and _last_claims[0]() is graph:
        return _last_claims[1]
    claims: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for slug, term in graph.terms.items():
        for head, stem, rule in stem_names(term, graph.derived.get(slug, ())):
            claims.setdefault((head, stem), []).append((slug, rule))
    found = {key: tuple(found) for key, found in sorted(claims.items())}
    _last_claims = (weakref.ref(graph), found)
    return found


_last_claims: tuple[weakref.ref, dict] | None = None


def shared_stems(claims: dict) -> dict[tuple[str, str], tuple[str, ...]]:
    """(head, stem) -> the slugs of the terms claiming it (stem_claims), for each stem two or more
    terms claim: it links only where an article's tags choose one of them."""
    return {key: slugs for key, claimants in claims.items() if len(slugs := tuple(slug for slug, _ in claimants)) > 1}


def warn_shared_stems(graph: TermGraph, diags: Diagnostics) -> None:
    """A stem two terms claim is ambiguous as a name two terms derive is, and warned of the same way
    (content/graph.py warn_shared)."""
    for (head, stem), slugs in shared_stems(stem_claims(graph)).items():
        warn_shared(diags, [graph.terms[slug] for slug in slugs],
                    lambda others: f"words of the stem '{head}{stem}' (stemming) link to this term and to {others}:"
                    " they link only where an article's tags choose one", "Add 'disambiguate: {category: ..., tags:"
                    " [...]}' to each, or set 'derive: false' on the one that should not link by stem.")  # fmt: skip
