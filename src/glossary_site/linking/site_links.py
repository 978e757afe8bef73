"""A markdown-it plugin: root-relative links and images (`/img/logo.png`) get the site's base
path, so a site served under a sub-path (`/docs/`) still finds them.

Hugo leaves such links as written, and they break under a sub-path unless a theme's render
hook fixes them. A link that already starts with the base path, or is protocol-relative
(`//host/x`), is left alone.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def with_base(path: str, base_path: str) -> str:
    """`path` with the site's base path when it is root-relative and does not have it yet."""
    if path.startswith("/") and not path.startswith("//") and not path.startswith(base_path):
        return base_path.rstrip("/") + path
    return path


def site_links_plugin(md: MarkdownIt, base_path: str) -> None:
    if base_path == "/":
        return

    def rebase(state) -> None:
        for block in state.tokens:
            for token in block.children or ():
                name = "href" if token.type == "link_open" else "src" if token.type == "image" else None
                if name is None:
                    continue
                value = str(token.attrGet(name) or "")
                rebased = with_base(value, base_path)
                if rebased != value:
                    token.attrSet(name, rebased)

    md.core.ruler.push("site_links", rebase)
