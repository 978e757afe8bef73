"""The files a build publishes besides its pages: the theme's assets, the site's static/ at the
root (as Hugo publishes it), the other files of leaf bundles beside their pages, a redirect
page at each alias, and the highlighting CSS."""

from __future__ import annotations

import html

from ..content.config import SiteConfig
from ..content.documents import Corpus
from ..content.urls import alias_path, article_rel, href, page_file
from ..pages.render import OutputFile
from ..pages.templates import THEME

THEME_ASSETS = "_glossary/"
"""Where the theme's own files are published: a site's static/ is published at the root, as
Hugo does, so the theme keeps out of its way (a site may still replace one of them by
shipping static/_glossary/<name>)."""


def static_files(config: SiteConfig) -> list[OutputFile]:
    """Theme assets, then the site's static/ (at the site's root, over them), then the highlighting CSS."""
    files: dict[str, OutputFile] = {}
    for base, label, prefix in ((THEME / "static", "theme/static", THEME_ASSETS), (config.root / "static", "static", "")):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    rel = path.relative_to(base).as_posix()
                    files[prefix + rel] = OutputFile(prefix + rel, path.read_bytes(), f"{label}/{rel}")
    css = THEME_ASSETS + "pygments.css"
    files.setdefault(css, OutputFile(css, pygments_css(), "theme"))
    return list(files.values())


def alias_files(config: SiteConfig, articles, terms=()) -> list[OutputFile]:
    """A small redirect page at each old URL an article lists in `aliases`, or a term as an
    alias starting with '/' (as Hugo writes them: a refresh, a canonical link, noindex); no
    listing or sitemap names them."""
    files = []
    pages = [(article_rel(a.slug), a.aliases, a.source) for a in articles]
    pages += [(f"terms/{t.slug}/", t.redirects, t.source) for t in terms if not t.fallback]
    for target, aliases, source in pages:
        absolute = (config.absolute_base or config.base_path) + href(target)
        for alias in aliases:
            rel = alias_path(alias, target)
            if rel:
                files.append(OutputFile(page_file(rel), redirect_page(absolute, config.language), source))
    return files


def redirect_page(url: str, language: str) -> bytes:
    href = html.escape(url, quote=True)
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n<title>{href}</title>\n'
            f'<link rel="canonical" href="{href}">\n<meta name="robots" content="noindex">\n<meta charset="utf-8">\n'
            f'<meta http-equiv="refresh" content="0; url={href}">\n</head>\n</html>\n').encode()


def bundle_files(config: SiteConfig, corpus: Corpus) -> list[OutputFile]:
    """The other files of each published leaf bundle, beside its page (relative links work)."""
    pages = {a.source: article_rel(a.slug) for a in corpus.articles}
    files = []
    for rel, owner in corpus.resources:
        if rel.endswith(".md"):
            continue  # Markdown in a bundle is the page's to use, never published as it is (as in Hugo)
        folder = pages.get(owner)
        if folder is None or not folder.endswith("/"):
            continue  # its page is a draft, not due yet, or published as a single file
        inside = rel[len(owner.rsplit("/", 1)[0]) + 1 :]
        try:
            files.append(OutputFile(folder + inside, (config.root / rel).read_bytes(), rel))
        except OSError:
            continue  # gone since it was listed: the next build does not list it
    return files


def pygments_css() -> bytes:
    """Highlighting colours for light and dark themes, following the system setting."""
    from pygments.formatters.html import HtmlFormatter

    light = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    # friendly's comments (#60a0b0) and numbers (#40a070) fall below WCAG AA contrast on the
    # code background (axe-core flags them): darker shades of the same hues.
    light += ("\n.highlight .c, .highlight .ch, .highlight .cm, .highlight .cp, .highlight .cpf, .highlight .c1,"
              " .highlight .cs { color: #3d6b78 }\n.highlight .m, .highlight .mb, .highlight .mf, .highlight .mh,"
              " .highlight .mi, .highlight .mo, .highlight .il { color: #22744a }")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n".encode("utf-8")



