"""When Hugo would publish an article (drafts aside, which never reach the corpus): not before
its date or publishDate, not from its expiryDate on; and the Hugo front-matter keys that are
recognised here but not acted on, reported once per key per build."""

from __future__ import annotations

import datetime as dt

from .diagnostics import Diagnostics, SourcePos
from .documents import Article

HUGO_UNSUPPORTED = ("layout", "type", "outputs", "cascade", "build", "_build", "headless", "resources", "markup",
                    "menu", "menus", "sitemap", "series", "linkTitle")  # fmt: skip
"""Hugo front matter keys this tool recognises but does not act on: one warning per key per build
(unsupported_keys). Every other unknown key is kept in `params` silently, as Hugo keeps them.
(Of `build`, `render: never` or `link` is acted on: such an article is not published at all.)"""


def published(article: Article, now: dt.datetime, future: bool = False, expired: bool = False) -> bool:
    """Whether Hugo would publish the article at `now`: not before its date or publishDate
    (unless `future`), not from its expiryDate on (unless `expired`)."""
    start = article.publish_date or article.date
    if not future and start is not None and _utc(start) > now:
        return False
    return expired or article.expiry_date is None or _utc(article.expiry_date) > now


def next_change(articles, now: dt.datetime) -> dt.datetime | None:
    """The first moment after `now` at which an article is published or expires: until then,
    a build of the same inputs gives the same site."""
    moments = [_utc(w) for a in articles for w in (a.publish_date or a.date, a.expiry_date) if w is not None]
    later = [m for m in moments if m > now]
    return min(later) if later else None


def _utc(when: dt.datetime) -> dt.datetime:
    """Comparable: an aware time in UTC; a naive one is taken as UTC (as Hugo does by default)."""
    return when.astimezone(dt.timezone.utc) if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def unsupported_keys(articles, diags: Diagnostics) -> None:
    """One warning per Hugo key this tool does not act on, at its first use, with a count."""
    uses: dict[str, list[Article]] = {}
    for article in articles:
        for key in article.params:
            if key in HUGO_UNSUPPORTED:
                uses.setdefault(key, []).append(article)
    for key, users in sorted(uses.items()):
        first = users[0]
        others = f" (and {len(users) - 1} more file{'s' if len(users) > 2 else ''})" if len(users) > 1 else ""
        diags.warning(SourcePos(first.source, first.lines.get(key, 1)),
                      f"Hugo's '{key}' is not supported here: it is kept in params and otherwise ignored{others}")  # fmt: skip
