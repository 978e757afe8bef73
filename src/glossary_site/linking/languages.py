"""Per-language linking rules: the surface forms a term's name takes in running text.

The site's language (`language` in site.yaml; in a multilingual site, each language's own)
picks the rules by its primary subtag: 'en-GB' -> en, 'zh-Hant' -> zh. English gives plurals
and possessives (GPUs, GPU's) and derives a plural title's singular (Containers -> Container);
Korean gives the name with its particles (GPU를, 캐시가); languages that do not inflect nouns in
writing (ja, zh, th ...) and every language without rules give the name only. Other languages' rules come from
`register_rules` or from an installed package's entry point in the group
`glossary_site.language_rules` (docs/languages.md shows one for German).

Where a form may be found (whole words in spaced scripts, any characters in Han, Kana, Thai
...) is the matcher's business: it depends on the script of the text around a mention, not
on the language (`matcher.py`).
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from importlib import metadata
from typing import Callable, Iterable

from ..content.languages import primary_subtag
from .matcher import inflections, is_acronym_word

ENTRY_POINT_GROUP = "glossary_site.language_rules"


@dataclass(frozen=True)
class LanguageRules:
    """How one language writes a name in a sentence."""

    name: str
    """Names the rules in `explain` ('en: plural') and in the cache key of rendered bodies."""
    forms: Callable[[str], Iterable[tuple[str, str]]]
    """A name -> its other surface forms, each with the rule that made it, as `explain` shows
    it: ("GPUs", "en: plural"). The name itself may be left out (it is always a form)."""
    version: str = ""
    """Change it when the rules change: rendered bodies are cached by it (an entry point's
    package adds its own version)."""
    derive: Callable[[str], Iterable[tuple[str, str]]] | None = None
    """A term's name -> other names it is known by in this language, each with its rule
    (English: a plural title's singular, "Containers" -> ("Container", "en: singular")). Each
    derived name then takes `forms` too; a term's `derive: false` turns them off (derived.py)."""

    @property
    def key(self) -> str:
        return f"{self.name}:{self.version}"

    def surface_forms(self, name: str) -> list[tuple[str, str]]:
        """The name first (rule ''), then each other form once; rules interned (a glossary
        holds thousands of forms, and the saved build pickles each rule string once)."""
        return self._named(self.forms, name, [(name, "")])

    def derived_names(self, name: str) -> list[tuple[str, str]]:
        """The other names `derive` gives a term's name (none when the rules derive nothing)."""
        return self._named(self.derive, name, [(name, "")])[1:] if self.derive is not None else []

    def _named(self, function, name: str, out: list) -> list[tuple[str, str]]:
        seen = {text for text, _ in out}
        try:
            others = list(function(name))
        except Exception as error:  # a plugin's bug: its names link as written, the build goes on
            if self.name not in _failed:
                _failed.add(self.name)
                _problem(f"language rules {self.name!r} failed on {name!r} ({type(error).__name__}: {error}); "
                         "names link as written")  # fmt: skip
            others = []
        for item in others:
            form, rule = item if isinstance(item, tuple) and len(item) == 2 else (None, None)
            if isinstance(form, str) and form and form not in seen and isinstance(rule, str):
                seen.add(form)
                out.append((form, sys.intern(rule)))
        return out


def name_only(name: str) -> list[tuple[str, str]]:
    """Languages that do not inflect nouns in writing: no other form (`surface_forms` always
    gives the name itself)."""
    return []


_ENGLISH_RULES = ("", "en: plural", "en: possessive", "en: possessive", "en: plural possessive",
                  "en: plural possessive")  # fmt: skip


def english_forms(name: str) -> list[tuple[str, str]]:
    """`inflections` (name, plural, name's, name’s, plural', plural’), each with its rule."""
    return list(zip(inflections(name), _ENGLISH_RULES))


_NOT_PLURAL = ("ss", "us", "is", "ics", "news", "series", "species", "os", "as", "windows")
"""Endings of English words that end in s without being plurals: glass, status, analysis,
physics, news, series, species, kudos, gas."""


def english_singular(name: str) -> list[tuple[str, str]]:
    """A name whose last word is a regular English plural -> its singular: Containers ->
    Container, Bare Metal Machines -> Bare Metal Machine, Queries -> Query, Caches -> Cache,
    Boxes -> Box. Acronyms (GPUs), words of four letters or fewer (Bus, Gas) and the endings
    in `_NOT_PLURAL` are left alone: a wrong singular would link a word that means something else."""
    head, _, last = name.rpartition(" ")
    prefix = f"{head} " if head else ""
    lower = last.lower()
    # A one-word name of four letters or fewer (Bus, Gas) is left alone; the last word of a longer
    # name is plural more surely (Data Sets, Cron Jobs, API Keys).
    if (len(last) <= 4 and not head) or len(last) < 4 or not last.isalpha() or is_acronym_word(last) \
            or not lower.endswith("s") or lower.endswith(_NOT_PLURAL):  # fmt: skip
        return []
    if lower.endswith("ies"):  # queries -> query; cookies, movies -> cookie, movie: both, a wrong one is never written
        singulars = [last[:-3] + ("Y" if last[-3:].isupper() else "y"), last[:-1]]
    elif lower.endswith(("sses", "shes", "xes", "zzes")) or (lower.endswith("ches") and not lower.endswith("aches")):
        singulars = [last[:-2]]  # classes, hashes, boxes, quizzes, batches (but caches, headaches)
    elif lower.endswith("ses"):
        singulars = [last[:-1], last[:-2]]  # aliases -> alias, databases -> database
    else:
        singulars = [last[:-1]]
    return [(prefix + singular, "en: singular") for singular in singulars]


_KOREAN_PARTICLES = ("이", "가", "을", "를", "은", "는", "의", "에", "에서", "로", "으로", "와", "과", "도", "만", "부터", "까지")


def korean_forms(name: str) -> list[tuple[str, str]]:
    """The name with each common particle written after it: GPU를, 캐시가, 서버에서. Korean
    spaces words apart but attaches particles to the noun, so the name alone is rarely a whole
    word. Every particle is given, whichever fits the name's last sound: a form that does not
    fit is simply never written."""
    return [(name + particle, "ko: particle") for particle in _KOREAN_PARTICLES]


ENGLISH = LanguageRules("en", english_forms, version="2", derive=english_singular)
KOREAN = LanguageRules("ko", korean_forms, version="1")
_BUILT_IN = {"en": ENGLISH, "ko": KOREAN, **{code: LanguageRules(code, name_only) for code in ("ja", "zh", "th", "lo",
                                                                                                  "km", "my", "bo")}}  # fmt: skip
_registered: dict[str, LanguageRules] = {}
_from_entry_points: dict[str, LanguageRules] | None = None
_problems: list[str] = []
_failed: set[str] = set()


def rules_for(code: str) -> LanguageRules:
    """The rules of a language: registered here, else from an entry point, else built in,
    else the name only."""
    primary = primary_subtag(code)
    found = _registered.get(primary) or _entry_point_rules().get(primary) or _BUILT_IN.get(primary)
    return found or LanguageRules(primary, name_only)


def register_rules(code: str, rules: LanguageRules | Callable[[str], Iterable[tuple[str, str]]]) -> None:
    """Use `rules` for `code` (a primary subtag: 'de') in this process, over any entry point
    or built-in rules. A bare function is taken as the rules' `forms`."""
    primary = primary_subtag(code)
    _registered[primary] = _as_rules(primary, rules)


def unregister_rules(code: str) -> None:
    """Undo `register_rules` for `code` (the entry point's or built-in rules apply again)."""
    _registered.pop(primary_subtag(code), None)


def entry_point_problems() -> list[str]:
    """Why each entry point that failed to load was left out (each is also warned once)."""
    _entry_point_rules()
    return list(_problems)


def _as_rules(code: str, rules, version: str = "") -> LanguageRules:
    if isinstance(rules, LanguageRules):
        return rules if not version else LanguageRules(rules.name, rules.forms, f"{rules.version}+{version}", rules.derive)
    if callable(rules):
        return LanguageRules(code, rules, version)
    raise TypeError(f"rules for {code!r} must be a LanguageRules or a function, not {type(rules).__name__}")


def _entry_point_rules() -> dict[str, LanguageRules]:
    """Loaded once, at the first language asked for: a package that fails to import, or
    names no rules, is left out with a warning, never a failed build."""
    global _from_entry_points
    if _from_entry_points is None:
        _from_entry_points = {}
        try:
            points = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name, p.value))
        except Exception as error:  # a broken installed distribution's metadata
            points = []
            _problem(f"language rules entry points could not be listed: {error}")
        for point in points:
            try:
                dist = getattr(point, "dist", None)
                rules = _as_rules(primary_subtag(point.name), point.load(), dist.version if dist else "")
            except Exception as error:
                _problem(f"language rules {point.name!r} ({point.value}) left out: {type(error).__name__}: {error}")
                continue
            _from_entry_points.setdefault(primary_subtag(point.name), rules)
    return _from_entry_points


def _problem(message: str) -> None:
    _problems.append(message)
    warnings.warn(message, RuntimeWarning, stacklevel=3)


def reload_entry_points() -> None:
    """Forget the loaded entry points (tests; a long-running process after an install)."""
    global _from_entry_points
    _from_entry_points = None
    _problems.clear()
