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
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import partial
from itertools import product

from ..content.documents import Term
from .languages import LanguageRules, rules_for
from .matcher import is_acronym_word

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
