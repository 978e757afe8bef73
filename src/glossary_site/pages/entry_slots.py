"""Article pages as text with slots: a term's summary edit re-fills them instead of rendering.

An article page shows each linked term's entry ("Terms in this article", render.term_items).
Every other byte of the page depends on the article alone. So the page is rendered once
with a marker in place of each entry (`markers`), and the markers are then filled with the
entries (`fill`). What `fill` returns is the page; it also returns the page's *slots*: the
length of each text between runs of entries, and which terms fill each run.

When a term's summary changes, the pages showing it differ only in that entry. With the
slots, the published page is checked piece by piece against the entries it was built with
and the new entries put in (`splice`): a read and a write instead of unpacking the kept
body and running the template (1.3 ms a page; a hot term is shown by over a thousand).

Both paths produce the same bytes by construction: a clean build also renders the
markers and fills them, so a template never sees an entry, only its marker (a Markup
string it should print as it is; the default theme does).
"""

from __future__ import annotations

from markupsafe import Markup

MARK = b"\0"
"""Markdown-it turns NUL into U+FFFD, so NUL does not occur in a rendered body; where it
could occur (front matter strings), a page whose markers do not read back exactly as
placed gets no slots and is rendered with its entries instead (`fill` returns None)."""

Slots = tuple[tuple[int, ...], tuple[str, ...]]
"""(the length of each text between runs of entries, the term slugs of each run joined by
spaces). The entries of one depth group are printed together: a page has a few runs, not a
hundred entries to check one by one; and a few strings, not a hundred, to keep (slugs are
[a-z0-9-]: ten thousand pages' slots held 80 MB as tuples of slugs)."""


def markers(slugs) -> dict[str, Markup]:
    return {slug: Markup(f"\0{slug}\0") for slug in slugs}


def placed(groups) -> list[str]:
    """The slugs of the markers in article_spec's `terms_by_depth`, in order."""
    return [slug for _, group in groups for slug in group.split("\0")[1::2]]


def encoded(items: dict[str, str]) -> dict[str, bytes]:
    return {slug: item.encode("utf-8") for slug, item in items.items()}


def fill(page: bytes, expected: list[str], entries: dict[str, bytes]) -> tuple[bytes, Slots] | None:
    """The page rendered with markers, made whole; None unless its markers are exactly
    `expected` (the slugs in the order the template was given them: `placed`)."""
    parts = page.split(MARK)
    slugs = [part.decode("utf-8", "replace") for part in parts[1::2]]
    if len(parts) % 2 == 0 or slugs != expected:
        return None
    texts, runs = [parts[0]], []
    for slug, text in zip(slugs, parts[2::2]):
        if runs and not texts[-1]:  # no text since the last entry: the same run
            texts.pop()
            runs[-1].append(slug)
        else:
            runs.append([slug])
        texts.append(text)
    whole = [texts[0]]
    for run, text in zip(runs, texts[1:]):
        whole += (b"".join(entries[slug] for slug in run), text)
    return b"".join(whole), (tuple(map(len, texts)), tuple(" ".join(run) for run in runs))


def splice(page: bytes, slots: Slots, old: dict[str, bytes], new: dict[str, bytes]) -> bytes | None:
    """The page with each entry of `old` replaced by the same term's entry in `new`; None
    when the page is not, byte for byte where it shows entries, the one `slots` describe."""
    lengths, runs = slots
    out = [page[:lengths[0]]]
    at = lengths[0]
    try:
        for joined, length in zip(runs, lengths[1:]):
            run = joined.split(" ")
            entries = b"".join([old[slug] for slug in run])
            if page[at:at + len(entries)] != entries:
                return None
            at += len(entries)
            out += (b"".join([new[slug] for slug in run]), page[at:at + length])
            at += length
    except KeyError:  # a term the page shows is gone: not a page these entries describe
        return None
    return b"".join(out) if at == len(page) else None
