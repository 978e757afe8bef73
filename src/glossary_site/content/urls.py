"""Where an article is published: `/articles/<slug>/`, Hugo's `/<section>/<slug>/`, a `url` of
its own, or a `permalinks` pattern with Hugo's tokens.

Paths are output-relative ('posts/my-post/'), made of segments cleaned the way Hugo cleans
them (lower case, spaces to '-', letters of every script, digits, '-', '_' and '.'), and can
never climb out of the output directory.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

TOKENS = ("year", "month", "day", "section", "sections", "slug", "filename", "title", "slugorfilename",
          "contentbasename")  # fmt: skip
"""The permalink tokens this tool expands (Hugo's, minus those about weekdays and output formats)."""
_TOKEN = re.compile(r":([a-z]+)")


def unknown_tokens(pattern: str) -> list[str]:
    """The `:tokens` of a permalinks pattern that this tool cannot expand."""
    return [name for name in _TOKEN.findall(pattern) if name not in TOKENS]


KEPT = "-_.+~@#%"
"""Besides letters and digits of every script, the characters Hugo keeps in a path segment."""


def segment(text: str) -> str:
    """One path segment as Hugo makes it from a name: 'My Post!' -> 'my-post', 'C++' -> 'c++'."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"\s+", "-", text)
    text = "".join(c for c in text if c.isalnum() or c in KEPT or unicodedata.category(c)[0] == "M")
    return "" if set(text) <= {"."} else text


_HREF_SAFE = "/:@!$&'()*+,;=-._~%#?"
"""What stays as written in an href: ASCII punctuation of URLs, and '%' (already encoded)."""


def href(path: str) -> str:
    """A path as it goes into an href, a sitemap or a feed: characters outside ASCII (and
    spaces) percent-encoded as UTF-8, as Hugo writes '/categories/%E3%83%A1.../'. Files keep
    their Unicode names; the server decodes the request to find them."""
    return path if path.isascii() and " " not in path else quote(path, safe=_HREF_SAFE)


def unsafe(path: str) -> bool:
    """Whether an output path could leave the output folder or name nothing: empty segments,
    '.' or '..', a backslash or NUL, or nothing at all."""
    parts = path[:-1].split("/") if path.endswith("/") else path.split("/")
    return not path or "\\" in path or "\0" in path or any(p in ("", ".", "..") for p in parts)


def place(rel: str) -> tuple[tuple[str, ...], str]:
    """(section folders, file name) of a source under content/: a leaf bundle
    (`posts/my-post/index.md`) is named by its folder, and that folder is not a section."""
    parts = PurePosixPath(rel).parts[1:]  # without content/
    folders, name = parts[:-1], PurePosixPath(parts[-1]).stem
    if name == "index" and folders:
        folders, name = folders[:-1], folders[-1]
    return tuple(folders), name


def article_path(rel: str, slug: str, title: str, date: dt.datetime | None, url: str,
                 permalinks: dict[str, str], hugo: bool, plain: str) -> str:  # fmt: skip
    """The output folder of the article at `rel` ('posts/my-post/'): its `url` if it has one,
    else its section's permalinks pattern, else Hugo's `<sections>/<slug>/` (when `hugo`),
    else `articles/<plain>/`. `slug` is the one written in front matter ('' if none), `plain`
    the slug the default layout uses."""
    folders, name = place(rel)
    if url:
        return clean_path(url)
    pattern = permalinks.get(folders[0] if folders else "")
    if pattern:
        return expand(pattern, folders, name, slug, title, date)
    last = segment(slug) or segment(name)
    if hugo:
        return "/".join([*(segment(f) for f in folders), last]) + "/"
    return f"articles/{plain}/"


def expand(pattern: str, folders: tuple[str, ...], name: str, slug: str, title: str, date: dt.datetime | None) -> str:
    values = {
        "year": f"{date.year:04d}" if date else "", "month": f"{date.month:02d}" if date else "",
        "day": f"{date.day:02d}" if date else "", "section": segment(folders[0]) if folders else "",
        "sections": "/".join(segment(f) for f in folders), "slug": segment(slug) or segment(title),
        "filename": segment(name), "contentbasename": segment(name), "title": segment(title),
        "slugorfilename": segment(slug) or segment(name),
    }  # fmt: skip
    return clean_path(_TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), pattern))


def article_rel(slug: str) -> str:
    """The output folder (or file) of the article whose key is `slug`: a plain slug is published
    at 'articles/<slug>/'; a key made from a path (it starts with '/') at that path."""
    return slug[1:] if slug.startswith("/") else f"articles/{slug}/"


def page_file(rel: str) -> str:
    """The file a page at `rel` is written to: 'posts/x/' -> 'posts/x/index.html'."""
    return rel + "index.html" if not rel or rel.endswith("/") else rel


def alias_path(alias: str, page_rel: str) -> str:
    """Where Hugo writes the redirect for `alias`: an absolute one at its path, a relative one
    beside the page's folder ('old' for posts/new/ -> posts/old/)."""
    if not alias.startswith("/"):
        parent = page_rel.rstrip("/").rpartition("/")[0]
        alias = f"/{parent}/{alias}" if parent else f"/{alias}"
    return clean_path(alias, files=(".html", ".htm"))  # Hugo writes other aliases as folders


def clean_path(url: str, files: tuple[str, ...] | None = None) -> str:
    """An output-relative folder from a URL path an author wrote ('/old/url' -> 'old/url/'):
    '.', '..' and empty segments are dropped, so it stays inside the output. It names a file
    when it does not end with '/' and its last segment has an extension (of `files`, if given)."""
    path = url.split("?")[0].split("#")[0]
    parts = [p for p in path.split("/") if p not in ("", ".", "..")]
    if not parts:
        return ""
    last = parts[-1]
    is_file = not path.endswith("/") and "." in last.lstrip(".") and (files is None or last.endswith(files))
    return "/".join(parts) if is_file else "/".join(parts) + "/"
