"""A markdown-it plugin: root-relative links and images (`/img/logo.png`) get the site's base
path, so a site served under a sub-path (`/docs/`) still finds them.

Hugo leaves such links as written, and they break under a sub-path unless a theme's render
hook fixes them. A link that already starts with the base path, or is protocol-relative
(`//host/x`), is left alone.
"""

from __future__ import annotations

from markdown_it import MarkdownIt


def site_links_plugin(md: MarkdownIt, base_path: str) -> None:
    if base_path == "/":
        return
    prefix = base_path.rstrip("/")

    def rebase(state) -> None:
        for block in state.tokens:
            for token in block.children or ():
                name = "href" if token.type == "link_open" else "src" if token.type == "image" else None
                if name is None:
                    continue
                value = str(token.attrGet(name) or "")
                if value.startswith("/") and not value.startswith("//") and not value.startswith(base_path):
                    token.attrSet(name, prefix + value)

    md.core.ruler.push("site_links", rebase)
