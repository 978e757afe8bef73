"""GRAPH: the validated term graph (names, related edges, categories); no Markdown here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

from .config import SiteConfig
from .diagnostics import Diagnostics, did_you_mean
from .documents import Term, slugify


@dataclass(frozen=True)
class TermGraph:
    terms: dict[str, Term]
    """Slug -> term, in slug order."""
    names: dict[str, str]
    """Lower-cased title, alias or slug -> slug: how `related` and `[[...]]` resolve."""
    related: dict[str, tuple[str, ...]]
    """Slug -> related slugs, declared on either end, sorted."""
    categories: tuple[str, ...]
    """Categories in display order: declared order, else alphabetical."""
    depths: tuple[str, ...]
    derived: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Slug -> the names derived from its title and aliases that it keeps, with the rule that
    made each (linking/derived.py): none another term is explicitly called."""
    dropped: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)
    """Slug -> (name, rule, why) of each derived name left out: another term's title or alias."""
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Lower-cased derived name -> the slugs of the terms that all derive it: linked only where an
    article's tags or categories choose one of them (`disambiguate`)."""

    def resolve(self, name: str) -> str | None:
        return self.names.get(name.strip().lower())

    def suggest(self, name: str) -> str:
        return did_you_mean(name, self.terms)

    def in_category(self, category: str) -> list[Term]:
        return [t for t in self.sorted_terms() if t.category == category]

    def sorted_terms(self) -> list[Term]:
        """Terms in reading order: alphabetical by title, case-insensitively."""
        return sorted(self.terms.values(), key=lambda t: (t.title.lower(), t.slug))


Derive = Callable[[Term], list[tuple[str, str]]]
"""A term -> the names derived from its title and aliases, with their rules (linking/derived.py)."""


def build_graph(terms: tuple[Term, ...], config: SiteConfig, diags: Diagnostics, derive: Derive | None = None) -> TermGraph:
    """`derive`: the site language's derived names (none without it)."""
    by_slug: dict[str, Term] = {}
    for term in terms:
        if term.slug in by_slug:
            other = by_slug[term.slug]
            diags.error(term.pos("slug" if "slug" in term.lines else "title"),
                        f"term slug '{term.slug}' is also the slug of {other.source}: both would be /terms/{term.slug}/",
                        f"Give one of them its own slug, e.g. slug: {term.slug}-2")  # fmt: skip
            continue
        by_slug[term.slug] = term
    names = _claim_names(by_slug, diags)
    related = _related_edges(by_slug, names, diags)
    categories = _category_order(by_slug.values(), config, diags)
    derived, dropped, ambiguous = _claim_derived(by_slug, derive, diags) if derive is not None else ({}, {}, {})
    return TermGraph(
        terms=dict(sorted(by_slug.items())), names=names, related=related,
        categories=categories, depths=config.depths, derived=derived, dropped=dropped, ambiguous=ambiguous,
    )  # fmt: skip


def _claim_names(by_slug: dict[str, Term], diags: Diagnostics) -> dict[str, str]:
    """Every title and alias belongs to exactly one term; a second claim is an error."""
    owner: dict[str, tuple[str, str]] = {}  # name -> (slug, "title"/"alias")
    for slug, term in sorted(by_slug.items()):
        claims = [(term.title, "title")] + [(a, "alias") for a in term.aliases]
        for name, what in claims:
            key = name.lower()
            if key in owner and owner[key][0] != slug:
                other_slug, other_what = owner[key]
                other = by_slug[other_slug]
                line_key = "title" if what == "title" else f"aliases[{term.aliases.index(name)}]"
                diags.error(
                    term.pos(line_key),
                    f"{what} '{name}' is already the {other_what} of term '{other_slug}' ({other.source})",
                    "Each title and alias may belong to one term only; remove or rename one.",
                )
                continue
            owner.setdefault(key, (slug, what))
    names = {name: slug for name, (slug, _) in owner.items()}
    for slug in by_slug:
        names.setdefault(slug, slug)
    return names


def _claim_derived(by_slug: dict[str, Term], derive: Derive, diags: Diagnostics):
    """(kept, dropped, ambiguous): a derived name that is another term's title or alias is left out
    (the explicit name wins); one that two terms derive is ambiguous: a warning names both files,
    unless every term deriving it says how articles choose (`disambiguate`)."""
    explicit: dict[str, tuple[str, str]] = {}  # lower-cased name -> (slug, "title"/"alias")
    for slug, term in sorted(by_slug.items()):
        for name, what in [(term.title, "title")] + [(a, "alias") for a in term.aliases]:
            explicit.setdefault(name.lower(), (slug, what))
    claims: dict[str, list[tuple[str, str, str]]] = {}  # lower-cased name -> [(slug, name, rule)]
    dropped: dict[str, list[tuple[str, str, str]]] = {}
    for slug, term in sorted(by_slug.items()):
        if not term.derive or explicit[term.title.lower()][0] != slug:
            continue  # a title another term holds is an error already: nothing derived from it
        own = tuple(a for a in term.aliases if explicit[a.lower()][0] == slug)
        if own != term.aliases:  # nor from an alias that is an error
            term = dataclasses.replace(term, aliases=own)
        for name, rule in derive(term):
            owner = explicit.get(name.lower())
            if owner is not None and owner[0] != slug:
                dropped.setdefault(slug, []).append((name, rule, f"it is the {owner[1]} of term '{owner[0]}'"))
            elif owner is None:
                claims.setdefault(name.lower(), []).append((slug, name, rule))
    derived: dict[str, list[tuple[str, str]]] = {}
    ambiguous: dict[str, tuple[str, ...]] = {}
    for key, claimants in sorted(claims.items()):
        for slug, name, rule in claimants:
            derived.setdefault(slug, []).append((name, rule))
        slugs = tuple(sorted({slug for slug, _, _ in claimants}))
        if len(slugs) < 2:
            continue
        ambiguous[key] = slugs
        name = claimants[0][1]
        warn_shared(diags, [by_slug[s] for s in slugs],
                    lambda others: f"'{name}' is derived from the names of this term and of {others}:"
                    " it links only where an article's tags choose one", "Add 'disambiguate: {category: ..., tags: [...]}' to each,"
                    " make it an alias of the one it means, or set 'derive: false' on the other.")  # fmt: skip
    return ({slug: tuple(names) for slug, names in sorted(derived.items())},
            {slug: tuple(names) for slug, names in sorted(dropped.items())}, ambiguous)  # fmt: skip


def warn_shared(diags: Diagnostics, terms: list[Term], message: Callable[[str], str], hint: str) -> None:
    """What the `terms` (two or more, in slug order) all claim, a derived name or a stem, links only
    where an article's tags choose one of them: a warning at the last one's title, `message(others)`
    with the others' slugs and files, unless every one of them says how articles choose (`disambiguate`)."""
    if all(term.disambiguate for term in terms):
        return
    *others, term = terms
    diags.warning(term.pos("title"), message(", ".join(f"term '{o.slug}' ({o.source})" for o in others)), hint)


def _related_edges(by_slug: dict[str, Term], names: dict[str, str], diags: Diagnostics):
    edges: dict[str, set[str]] = {slug: set() for slug in by_slug}
    for slug, term in sorted(by_slug.items()):
        for ref, pos in term.related:
            target = names.get(ref.lower()) or names.get(slugify(ref))
            if target is None:
                diags.error(pos, f"related term '{ref}' does not exist", did_you_mean(ref, by_slug))
            elif target == slug:
                diags.warning(pos, f"term '{slug}' lists itself as related", "Remove the entry.")
            else:
                edges[slug].add(target)
                edges[target].add(slug)
    return {slug: tuple(sorted(targets)) for slug, targets in sorted(edges.items())}


def _category_order(terms, config: SiteConfig, diags: Diagnostics) -> tuple[str, ...]:
    used = {t.category for t in terms}
    if config.categories:
        return tuple(c for c in config.categories if c in used)
    by_slug: dict[str, Term] = {}
    for term in sorted(terms, key=lambda t: t.source):
        slug = slugify(term.category)
        if not slug:
            diags.error(term.pos("category"), f"category '{term.category}' gives an empty URL (it has no letters or digits)",
                        "Name the category with letters or digits.")  # fmt: skip
            continue
        other = by_slug.setdefault(slug, term)
        if other.category != term.category:
            diags.error(term.pos("category"),
                        f"category '{term.category}' has the same URL as category '{other.category}' of {other.source}"
                        f" (/categories/{slug}/)", f"Did you mean '{other.category}'?")  # fmt: skip
    return tuple(sorted(used, key=str.lower))
