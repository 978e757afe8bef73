"""SiteConfig: site.yaml merged with command-line flags, validated once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .diagnostics import Diagnostics, SourcePos, did_you_mean
from .frontmatter import UniqueKeyLoader
from .hugo_config import HUGO_NAMES, find_hugo_config, read_hugo_config, read_mapping
from .languages import Language, language_prefix, primary_subtag, read_languages
from .urls import TOKENS, href, unknown_tokens

LINK_POLICIES = ("first-per-article", "first-per-section", "every")


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    """The site directory (holds site.yaml, terms/, content/, templates/, static/)."""
    output: Path
    """Where the built site goes; replaced whole on success."""
    title: str = "Glossary"
    description: str = ""
    base_url: str = "/"
    """Either a path ('/my-repo/') or an absolute URL ('https://x.org/my-repo/')."""
    language: str = "en"
    depths: tuple[str, ...] = ("basics", "deeper", "deepest")
    categories: tuple[str, ...] = ()
    """Declared category order; when non-empty, other categories are errors."""
    link_policy: str = "first-per-article"
    link_common_terms: bool = True
    """False: a common term (mentioned on more than `common_share` of the articles) is linked only
    in an article about it: mentioned `salient_mentions` times, or in a heading, or in its title."""
    common_share: float = 0.15
    salient_mentions: int = 3
    max_links_per_paragraph: int = 0
    """At most this many automatic term links in one paragraph (0: no cap)."""
    stemming: bool = False
    """English sites: a word whose Snowball stem is the stem of a term name's last word links to
    the term too ('scalable' -> Scalability; linking/stems.py). Off: names and their derived forms only."""
    unsafe_html: bool = False
    """Pass raw HTML in Markdown through (off by default, as in Hugo)."""
    drafts: bool = False
    future: bool = False
    expired: bool = False
    """Publish drafts, articles dated in the future, and articles past their expiryDate (the
    flags --drafts, --future and --expired: Hugo's --buildDrafts, --buildFuture, --buildExpired)."""
    show_toc: bool = False
    show_reading_time: bool = True
    show_breadcrumbs: bool = True
    show_code_copy_buttons: bool = True
    previews: bool = True
    """Term links open a preview (title, depth, category, summary) on hover, focus and tap."""
    search: bool = True
    """Full-text search with Pagefind: an index in pagefind/ and a search page."""
    search_shard_pages: int | None = None
    """Pages per search shard, on average; unset: 400, past 32 shards more, up to 1,500
    (pages/search_index.py shard_count). An edit re-indexes its shard (about 2 ms a page);
    Pagefind holds about 300 KB a page; more shards mean more files per query."""
    graph: bool = True
    """A neighbourhood graph (SVG) on each term page and a whole-glossary graph page."""
    math: bool = False
    """$...$, $$...$$, \\(...\\) and \\[...\\] are math, rendered to MathML at build time. Off by
    default, as in Hugo (where the passthrough extension turns it on): `$HOME/$USER` in prose
    stays text."""
    terms_dir: str = "terms"
    """Where the terms live: terms/, or a folder of content/ that already holds a glossary
    ('content/glossary'); its files are terms, not articles."""
    disable_kinds: tuple[str, ...] = ()
    """Hugo's `disableKinds`, lower-cased: 'taxonomy'/'term' (tag pages), 'rss' (feeds),
    'sitemap', 'robotstxt', '404', 'section' (section pages) are not published."""
    article_urls: str = "articles"
    """'articles': every article at /articles/<slug>/; 'hugo': at /<section>/<slug>/ as Hugo
    publishes it (the default for a site read from a Hugo config)."""
    permalinks: dict[str, str] = field(default_factory=dict)
    """Section -> a URL pattern with Hugo's tokens (`/:year/:month/:slug/`); '' for the
    articles at the top of content/."""
    params: dict[str, Any] = field(default_factory=dict)
    """Everything else in site.yaml, for templates."""
    languages: tuple[Language, ...] = ()
    """A multilingual site's languages, by weight ((): one language, `language`). Each is built
    as a site of its own (build/languages.py) with `language` set to it."""
    default_language: str = ""
    """In a multilingual site, the language published at the root, whose terms stand in for
    those not yet translated ('' : `language`)."""
    alternates: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """Page path ('terms/gpu/') -> (language, URL) of each language's version of it, this one's
    included: hreflang links and the language switcher."""
    originals: dict[str, str] = field(default_factory=dict)
    """Page path of a term standing in, untranslated, for another language's -> the URL of the
    original: its canonical link (the text is the same) and the switcher's way back."""

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def absolute_base(self) -> str:
        """base_url when it is absolute (for feeds and canonical links), else ''."""
        parts = urlsplit(self.base_url)
        if not parts.scheme:
            return ""
        return f"{parts.scheme}://{parts.netloc}{self.base_path}"

    @property
    def home_language(self) -> str:
        """The default language: the one at the root of the site."""
        return self.default_language or self.language

    def language_info(self, code: str | None = None) -> Language:
        code = code or self.language
        return next((lang for lang in self.languages if lang.code == code), Language(code, code))

    def language_home(self, code: str) -> str:
        """The home page of language `code` of a multilingual site, from any of its languages."""
        own = language_prefix(self.language, self.home_language)  # what this language's base path ends with
        return self.base_path[: len(self.base_path) - len(own)] + language_prefix(code, self.home_language)

    def publishes(self, kind: str) -> bool:
        """Whether pages of Hugo's `kind` are published (see disable_kinds)."""
        return kind not in self.disable_kinds

    @property
    def tag_pages(self) -> bool:
        return self.publishes("taxonomy") and self.publishes("term")

    def url(self, rel: str) -> str:
        """Site-internal URL for an output-relative path ('terms/oom/')."""
        return self.base_path + href(rel.lstrip("/"))


_KEYS = {
    "title": str,
    "description": str,
    "base_url": str,
    "language": str,
    "depths": list,
    "categories": list,
    "link_policy": str,
    "link_common_terms": bool,
    "common_share": (int, float),
    "salient_mentions": int,
    "max_links_per_paragraph": int,
    "stemming": bool,
    "unsafe_html": bool,
    "show_toc": bool,
    "show_reading_time": bool,
    "show_breadcrumbs": bool,
    "show_code_copy_buttons": bool,
    "previews": bool,
    "search": bool,
    "search_shard_pages": int,
    "graph": bool,
    "math": bool,
    "article_urls": str,
    "terms_dir": str,
    "disable_kinds": list,
    "permalinks": dict,
    "params": dict,
    "languages": dict,
}
ARTICLE_URLS = ("articles", "hugo")


def load_config(
    root: Path,
    diags: Diagnostics,
    output: Path | None = None,
    base_url: str | None = None,
    drafts: bool = False,
    future: bool = False,
    expired: bool = False,
) -> SiteConfig:
    """Read site.yaml (optional) and apply flags; problems go to `diags`."""
    config = SiteConfig(root=root, output=output or root / "public", drafts=drafts, future=future, expired=expired)
    where: dict[str, SourcePos] = {}  # each key applied -> where it was set
    hugo = find_hugo_config(root)
    if hugo is not None:  # a Hugo site: what maps from its configuration; site.yaml, if any, wins
        data, lines = read_hugo_config(root, hugo, diags)
        config = _apply(config, data, lines, hugo, diags, HUGO_NAMES, where)
    path = root / "site.yaml"
    if path.exists():
        config = _apply_file(config, path, diags, where)
    if base_url is not None:
        config = replace(config, base_url=base_url)
    config = _default_language(config, diags, "site.yaml" if path.exists() else hugo or "site.yaml")
    return _check_stemming(config, where.get("stemming"), diags)


def _check_stemming(config: SiteConfig, pos: SourcePos | None, diags: Diagnostics) -> SiteConfig:
    """`stemming: true` (set at `pos`) where it cannot work: no language of the site is English
    (the stemmer is English: a warning), or snowballstemmer cannot be imported (an error, and the
    option off, so that nothing goes on to import it)."""
    if not config.stemming or pos is None:
        return config
    codes = [lang.code for lang in config.languages] or [config.language]
    if not any(primary_subtag(code) == "en" for code in codes):
        said = f"languages are {', '.join(codes)}" if len(codes) > 1 else f"language is {codes[0]}"
        diags.warning(pos, f"'stemming' links English words only, and this site's {said}: it does nothing",
                      "Remove 'stemming: true': names and their derived forms link without it.")  # fmt: skip
        return config
    try:
        import snowballstemmer.english_stemmer  # noqa: F401  (what linking/stems.py stems with)
    except ImportError as exc:
        diags.error(pos, f"stemming is on, but snowballstemmer cannot be imported ({exc})",
                    "Run pip install snowballstemmer, or set 'stemming: false'.")  # fmt: skip
        return replace(config, stemming=False)
    return config


def _default_language(config: SiteConfig, diags: Diagnostics, rel: str) -> SiteConfig:
    """A multilingual site's default language: `language` when it is declared, else the first."""
    if not config.languages:
        return config
    codes = [lang.code for lang in config.languages]
    if config.language not in codes:
        if config.language != "en":  # set, and not declared: say so rather than guess
            diags.error(SourcePos(rel), f"language '{config.language}' is not one of the declared languages",
                        did_you_mean(config.language, codes) or f"Use one of: {', '.join(codes)}.")  # fmt: skip
        config = replace(config, language=codes[0])
    return replace(config, default_language=config.language)


def _apply_file(config: SiteConfig, path: Path, diags: Diagnostics, where: dict[str, SourcePos]) -> SiteConfig:
    rel = "site.yaml"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.error(SourcePos(rel), f"not valid UTF-8 (byte offset {exc.start})")
        return config
    data = read_mapping(text, rel, diags)
    if data is None:
        return config
    node = yaml.compose(text, Loader=UniqueKeyLoader)  # it parsed: now the line of each key
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if node else {}
    for key_node, value_node in node.value if node else ():  # nested keys of permalinks, for errors
        if str(key_node.value) in ("permalinks", "languages") and isinstance(value_node, yaml.MappingNode):
            for sub, sub_value in value_node.value:
                lines[f"{key_node.value}.{sub.value}"] = sub.start_mark.line + 1
                if isinstance(sub_value, yaml.MappingNode) and str(key_node.value) == "permalinks":
                    lines.update({f"permalinks.{k.value}": k.start_mark.line + 1 for k, _ in sub_value.value})
    return _apply(config, data, lines, rel, diags, where=where)


_TYPES = {str: "text", bool: "true or false", list: "a list", dict: "a mapping", int: "a number", float: "a number",
          (int, float): "a number"}


def _apply(config: SiteConfig, data: dict, lines: dict[str, int], rel: str, diags: Diagnostics,
           names: dict[str, str] | None = None, where: dict[str, SourcePos] | None = None) -> SiteConfig:  # fmt: skip
    """Apply checked `data` (site.yaml's keys) from the file `rel`; `names`: what the file calls
    them (Hugo's `baseURL` for `base_url`), for messages; `where` gets the position of each key applied."""
    names = names or {}
    values: dict[str, Any] = {}
    for key, value in data.items():
        pos = SourcePos(rel, lines.get(str(key), 0))
        expected = _KEYS.get(key)
        if expected is None:
            diags.warning(pos, f"unknown key '{key}' in {rel}", did_you_mean(str(key), _KEYS))
            continue
        if not isinstance(value, expected):
            diags.error(pos, f"'{names.get(key, key)}' must be {_TYPES[expected]}, not {_TYPES.get(type(value), type(value).__name__)}")
            continue
        if key in ("depths", "categories"):
            if not all(isinstance(v, str) and v.strip() for v in value) or not value and key == "depths":
                diags.error(pos, f"'{key}' must be a non-empty list of names")
                continue
            value = tuple(value)
        if key == "link_policy" and value not in LINK_POLICIES:
            diags.error(
                pos,
                f"unknown link_policy '{value}'",
                did_you_mean(value, LINK_POLICIES) or f"Use one of: {', '.join(LINK_POLICIES)}.",
            )
            continue
        if key == "article_urls" and value not in ARTICLE_URLS:
            diags.error(pos, f"unknown article_urls '{value}'", f"Use one of: {', '.join(ARTICLE_URLS)}.")
            continue
        if key == "terms_dir":
            value = value.strip("/")
            if value != "terms" and not value.startswith("content/"):
                diags.error(pos, f"terms_dir '{value}' must be terms or a folder inside content/",
                            "Write terms_dir: content/glossary")  # fmt: skip
                continue
        if key == "common_share" and (isinstance(value, bool) or not 0 < value <= 1):
            diags.error(pos, "'common_share' must be a share of the articles between 0 and 1", "Write common_share: 0.15")
            continue
        if key in ("salient_mentions", "max_links_per_paragraph") and (isinstance(value, bool) or value < 0):
            diags.error(pos, f"'{key}' must be a whole number, 0 or more", f"Write {key}: 3")
            continue
        if key == "search_shard_pages" and (isinstance(value, bool) or value < 1):
            diags.error(pos, "'search_shard_pages' must be a whole number of pages, 1 or more", "Write search_shard_pages: 400")
            continue
        if key == "disable_kinds":
            value = check_kinds(value, pos, diags)
        if key == "permalinks":
            value = check_permalinks(value, rel, lines, diags)
        if key == "languages":
            value = read_languages(value, rel, lines, diags)
        values[key] = value
        if where is not None:
            where[key] = pos
    return replace(config, **values)


KINDS = ("home", "page", "section", "taxonomy", "term", "rss", "sitemap", "robotstxt", "404")


def check_kinds(value: list, pos: SourcePos, diags: Diagnostics) -> tuple[str, ...]:
    kinds = []
    for kind in value:
        name = str(kind).lower()
        if name in ("home", "page"):
            diags.warning(pos, f"disable_kinds: '{kind}' pages are always published here")
        elif name not in KINDS:
            diags.error(pos, f"disable_kinds: unknown kind '{kind}'",
                        did_you_mean(name, KINDS) or f"Use some of: {', '.join(KINDS)}.")  # fmt: skip
        else:
            kinds.append(name)
    return tuple(sorted(set(kinds)))


def check_permalinks(value: dict, rel: str, lines: dict[str, int], diags: Diagnostics) -> dict[str, str]:
    """Section -> pattern, with Hugo's `page` sub-table read as the same; a pattern with a token
    this tool cannot expand is an error at its line."""
    pages = value.get("page") or {}
    if not isinstance(pages, dict):
        diags.error(SourcePos(rel, lines.get("permalinks.page", lines.get("permalinks", 0))),
                    "permalinks: 'page' must be a table of section = pattern")  # fmt: skip
        pages = {}
    # Hugo's section, term and taxonomy tables name the URLs of list pages: those stay as they are here.
    value = {**{k: v for k, v in value.items() if k not in ("page", "section", "term", "taxonomy")}, **pages}
    patterns = {}
    for section, pattern in value.items():
        pos = SourcePos(rel, lines.get(f"permalinks.{section}", lines.get("permalinks", 0)))
        if not isinstance(pattern, str):
            diags.error(pos, f"permalinks: the pattern of '{section}' must be text")
            continue
        for token in unknown_tokens(pattern):
            diags.error(pos, f"permalinks: unknown token ':{token}' in '{pattern}'",
                        did_you_mean(token, TOKENS) or f"Use one of: {', '.join(':' + t for t in TOKENS)}.")
        patterns["" if section in ("/", "_default") else str(section)] = pattern
    return patterns
