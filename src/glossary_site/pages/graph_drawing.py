"""GRAPH VIEW: the term graph drawn as SVG at build time, so it needs no JavaScript.

Two drawings. A term's neighbourhood (its related terms, the terms it links and the terms
that link it) around it on an ellipse, for its page; and the whole glossary, one panel per
category with its terms in columns, for the graph page. Layouts are pure arithmetic on
sorted input, so the same glossary always draws the same bytes. Every node is a link.
Colours come from CSS classes, so the drawing follows the theme (light, dark, print).
"""

from __future__ import annotations

import math
from html import escape

from ..content.refs import TermRef

MAX_NEIGHBOURS = 16
"""More than this around one term stops being readable; the page lists them all anyway."""


def _label(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _node(url: str, ref: TermRef, x: float, y: float, r: float, anchor: str, dx: float, limit: int = 26) -> str:
    """One linked node: a dot coloured by depth and its label (the full title as tooltip)."""
    title = escape(ref.title)
    return (
        f'<a class="node" href="{escape(url)}"><title>{title} ({escape(ref.depth)}, {escape(ref.category)})</title>'
        f'<circle class="depth-{escape(ref.depth.lower())}" cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'
        f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{escape(_label(ref.title, limit))}</text></a>'
    )


def neighbourhood_svg(term: TermRef, related: list[TermRef], links: list[TermRef], linked_by: list[TermRef],
                      url) -> str:  # fmt: skip
    """The term in the middle, up to MAX_NEIGHBOURS neighbours around it; solid edges are
    `related`, dashed ones are links between definitions. `url(slug)` gives a term's page."""
    kinds: dict[str, tuple[TermRef, str]] = {}
    for refs, kind in ((related, "related"), (links, "mentions"), (linked_by, "mentions")):
        for ref in refs:
            if ref.slug != term.slug:
                kinds.setdefault(ref.slug, (ref, kind))
    around = list(kinds.values())[:MAX_NEIGHBOURS]
    if not around:
        return ""  # a lone dot says nothing: the page leaves the section out
    width, height, cx, cy = 640, 360, 320, 180
    edges, nodes = [], []
    for i, (ref, kind) in enumerate(around):
        # Start at the top and go clockwise; labels sit outside the ellipse, away from the centre.
        angle = -math.pi / 2 + 2 * math.pi * i / len(around)
        x, y = cx + 215 * math.cos(angle), cy + 135 * math.sin(angle)
        right = math.cos(angle) >= -1e-9
        edges.append(f'<line class="edge-{kind}" x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}"/>')
        nodes.append(_node(url(ref.slug), ref, x, y, 6, "start" if right else "end", 10 if right else -10))
    centre = (f'<g class="centre"><circle class="depth-{escape(term.depth.lower())}" cx="{cx}" cy="{cy}" r="10"/>'
              f'<text x="{cx}" y="{cy + 28}" text-anchor="middle">{escape(_label(term.title, 40))}</text></g>')  # fmt: skip
    return (
        f'<svg class="term-graph" viewBox="0 0 {width} {height}" role="group" '
        f'aria-label="{escape(term.title)} and {len(around)} neighbouring terms">'
        f'<g class="edges">{"".join(edges)}</g>{centre}<g class="nodes">{"".join(nodes)}</g></svg>'
    )


COLUMN, ROW, COLUMNS, HEADER = 166, 20, 4, 34
"""Four columns fit the theme's 42rem text column (672 px) without sideways scrolling."""


def glossary_svg(groups: list[tuple[str, list[TermRef]]], related: dict[str, tuple[str, ...]], url,
                 category_url) -> str:  # fmt: skip
    """Every term, clustered by category: one panel per category (a linked heading, then its
    terms in up to COLUMNS columns, sorted by title), related terms joined by faint arcs.
    Labels never overlap because every node has its own cell; 1,000 terms make a tall page,
    not an unreadable hairball."""
    where: dict[str, tuple[float, float]] = {}
    panels, nodes = [], []
    y = 0
    for name, terms in groups:
        rows = math.ceil(len(terms) / COLUMNS) if terms else 1
        panels.append(f'<a class="cluster" href="{escape(category_url(name))}"><text x="4" y="{y + 22}">'
                      f'{escape(name)} ({len(terms)})</text></a>')  # fmt: skip
        for i, ref in enumerate(terms):
            col, row = divmod(i, rows)  # fill columns top to bottom, so A-Z reads down
            x, ny = 10 + col * COLUMN, y + HEADER + row * ROW
            where[ref.slug] = (x, ny)
            nodes.append(_node(url(ref.slug), ref, x, ny, 4.5, "start", 9, limit=21))
        y += HEADER + rows * ROW + 12
    edges = []
    for a, targets in sorted(related.items()):
        for b in targets:
            if a < b and a in where and b in where:
                (x1, y1), (x2, y2) = where[a], where[b]
                # Bow each arc sideways so edges between terms of one column do not hide on it.
                bend = 30 + abs(y2 - y1) * 0.15
                edges.append(f'<path d="M{x1:.0f} {y1:.0f} Q{(x1 + x2) / 2 + bend:.0f} {(y1 + y2) / 2:.0f} '
                             f'{x2:.0f} {y2:.0f}"/>')  # fmt: skip
    width = COLUMNS * COLUMN
    count = sum(len(t) for _, t in groups)
    return (
        f'<svg class="glossary-graph" viewBox="0 0 {width} {max(y, 1)}" width="{width}" height="{max(y, 1)}" '
        f'role="group" aria-label="All {count} terms by category">'
        f'<g class="edges edge-related">{"".join(edges)}</g><g class="clusters">{"".join(panels)}</g>'
        f'<g class="nodes">{"".join(nodes)}</g></svg>'
    )
