"""Check that every internal link and asset reference in a built site resolves.

Used by the tests and by `check`; works for a site hosted under a sub-path by stripping
the base path before looking a URL up in the output directory. `check` reports each
broken link at the line of the source that holds it, when the source holds it.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..content.diagnostics import Diagnostics, SourcePos


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src") and not (tag == "link" and ("rel", "canonical") in attrs):
                self.refs.append(value)
            elif name == "id":
                self.ids.add(value)


def _parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(output: Path, base_path: str, url_path: str) -> Path | None:
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path) :])
    target = output / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target


def _from_page(page: str, base_path: str, ref: str) -> str:
    """A relative reference (a leaf bundle's `photo.png`) as the root-relative path a browser
    resolves it to from `page`."""
    folder = base_path + page.rpartition("/")[0]
    joined = posixpath.normpath(posixpath.join(folder, ref))
    return joined + "/" if ref.endswith("/") and not joined.endswith("/") else joined


def broken_links(output: Path, base_path: str = "/") -> list[str]:
    """'page.html: href' for every internal reference (and #fragment) that does not resolve."""
    problems: list[str] = []
    parsed: dict[Path, _Refs] = {}
    for page in sorted(output.rglob("*.html")):
        refs = parsed.setdefault(page, _parse(page))
        for ref in refs.refs:
            url = urlsplit(ref)
            if url.scheme or url.netloc or ref.startswith(("mailto:", "data:")):
                continue  # external: not ours to check offline
            if not url.path:
                if url.fragment and url.fragment not in refs.ids:
                    problems.append(f"{page.relative_to(output)}: {ref}")
                continue
            path = url.path if url.path.startswith("/") else _from_page(page.relative_to(output).as_posix(), base_path, url.path)
            target = _target(output, base_path, path)
            if target is None or not target.is_file():
                problems.append(f"{page.relative_to(output)}: {ref}")
            elif url.fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, _parse(target)).ids
                if url.fragment not in ids:
                    problems.append(f"{page.relative_to(output)}: {ref} (missing anchor)")
    return problems


def report_broken(output: Path, base_path: str, sources: dict[str, str], root: Path, diags: Diagnostics) -> None:
    """Each broken link as an error at its source: the Markdown file and line that wrote it,
    else the page (a template's link)."""
    for problem in broken_links(output, base_path):
        page, _, rest = problem.partition(": ")
        href = rest.split(" (")[0]
        source = sources.get(page, "")
        path = root / source
        line = 0
        if source.endswith(".md") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            # As written: the link itself, or without the base path that root-relative links get.
            needles = [href] + ([href[len(base_path) - 1 :]] if base_path != "/" and href.startswith(base_path) else [])
            for number, content in enumerate(text.splitlines(), start=1):
                if any(needle and needle in content for needle in needles):
                    line = number
                    break
        where = SourcePos(source, line) if source.endswith(".md") else SourcePos(f"(output) {page}")
        reason = "missing anchor" if "(missing anchor)" in rest else "no such page or file"
        diags.error(where, f"broken link '{href}' in {page}: {reason}",
                    "Link to a page that exists (terms/<slug>/, articles/<slug>/) or fix the #anchor.")
