"""PARSE: SourceFile -> Term | Article, with validated fields and their positions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos, did_you_mean
from .frontmatter import FrontMatter, parse_front_matter
from .languages import translation_key
from .sources import SourceFile
from .urls import article_path, place, unsafe


@dataclass(frozen=True)
class Term:
    slug: str
    title: str
    summary: str
    category: str
    depth: str
    aliases: tuple[str, ...]
    related: tuple[tuple[str, SourcePos], ...]
    """Related references as written (slug, title or alias) with their positions."""
    autolink: bool
    case_sensitive: bool | None
    """None: the default per-word rule decides; True/False: the term's override."""
    body: str
    body_line: int
    source: str
    """Source path relative to the site root."""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    translation_key: str = ""
    """What its translations share (languages.translation_key); multilingual sites only."""
    fallback: str = ""
    """The language this entry is written in when it stands in, untranslated, for a term of
    another language's glossary ('' : it is in the page's language)."""
    derive: bool = True
    """Names derived from the title and aliases link too ("API" of "Application Programming
    Interface (API)", "container" of "Containers": linking/derived.py); `derive: false` turns them off."""
    disambiguate: tuple[str, ...] = ()
    """Lower-cased labels (`disambiguate: {category: ..., tags: [...]}`): where another term claims
    one of its derived names, an article whose tags or categories hold one of them links it here."""
    redirects: tuple[str, ...] = ()
    """Old URLs of the term (the `aliases` that start with '/', as Hugo's aliases are): each a
    redirect page to it; `[[old-slug]]` of one still resolves, with a warning."""

    def pos(self, key: str = "") -> SourcePos:
        return SourcePos(self.source, self.lines.get(key, 1))


@dataclass(frozen=True)
class Article:
    slug: str
    """The article's key in the site, unique: its slug when it is published at
    /articles/<slug>/, else its URL path ('/posts/my-post/'); urls.article_rel maps it back."""
    title: str
    date: dt.datetime | None
    summary: str
    kind: str
    tags: tuple[str, ...]
    autolink: bool
    body: str
    body_line: int
    source: str
    publish_date: dt.datetime | None = None
    """Hugo's `publishDate`: not published before it (nor before `date`), unless --future."""
    expiry_date: dt.datetime | None = None
    """Hugo's `expiryDate`: not published from then on, unless --expired."""
    weight: int = 0
    """Listing order before the date: lower first; 0 (unset) after every weighted article."""
    heading_line: int = 0
    """The file line of the `# heading` that became the title (left out of the body), or 0."""
    aliases: tuple[str, ...] = ()
    """Hugo's `aliases`: old URLs of the article, each published as a redirect to it."""
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Every front matter key, including unknown ones (Hugo's ShowToc and friends)."""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    translation_key: str = ""
    """What its translations share (languages.translation_key); multilingual sites only."""
    path: str = ""
    """In a multilingual site, `source` without its language folder or suffix ('' : the same):
    its section and URL come from it."""

    @property
    def logical(self) -> str:
        return self.path or self.source


@dataclass(frozen=True)
class Section:
    """An `_index.md`: the introduction of its folder's listing page (the home page's, at the top)."""

    folder: str
    """Its folder under content/ ('posts', 'docs/guide'; '' for the home page)."""
    title: str
    body: str
    body_line: int
    source: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Corpus:
    terms: tuple[Term, ...]
    articles: tuple[Article, ...]
    broken_terms: frozenset[str] = frozenset()
    """Slugs of term files that failed to parse: references to them are not reported twice."""
    next_change: dt.datetime | None = None
    """When an article set aside as future or expired changes that (publishing.published)."""
    resources: tuple[tuple[str, str], ...] = ()
    """(file, the index.md of its leaf bundle) for every other file of a bundle in content/."""
    sections: tuple[Section, ...] = ()


TERM_KEYS = (
    "title", "summary", "category", "depth", "aliases", "related",
    "autolink", "case_sensitive", "draft", "slug", "translationKey", "derive", "disambiguate",
)  # fmt: skip
TERM_REQUIRED = ("title", "summary", "category", "depth")
ARTICLE_KEYS = ("title", "date", "summary", "description", "kind", "tags", "draft", "slug", "autolink",
                "publishDate", "expiryDate", "weight", "url", "aliases", "translationKey")  # fmt: skip

RESERVED_SLUGS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
"""Device names Windows cannot create as files or folders: a site must build anywhere."""


def slugify(text: str) -> str:
    """Words of letters, digits and marks of every script, lower-cased where the script has case,
    joined by '-', as Hugo keeps them in URLs: 'KV cache' -> 'kv-cache', 'Café' -> 'café',
    'コンセプト' -> 'コンセプト', 'हिन्दी भाषा' -> 'हिन्दी-भाषा'. Safe as one path segment, never '..'.

    By hand, not python-slugify: its Unicode mode drops combining marks, so Devanagari,
    Arabic with vowel marks and Hebrew with points come out in pieces ('ह-न-द')."""
    if text.isascii():
        return _NOT_ASCII_WORD.sub("-", text.lower()).strip("-")
    text = unicodedata.normalize("NFKC", text)
    kept = [_lower_one(c) if c.isalnum() or unicodedata.category(c)[0] == "M" else "-" for c in text]
    return _DASHES.sub("-", "".join(kept)).strip("-")


_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_DASHES = re.compile(r"-+")


def _lower_one(c: str) -> str:
    """One character lower-cased to one, as Go's unicode.ToLower (Hugo): 'İ' -> 'i', not 'i̇'."""
    lowered = c.lower()
    return lowered if len(lowered) == 1 else lowered[0]


def parse_source(source: SourceFile, config: SiteConfig, diags: Diagnostics) -> tuple[Term | Article | None, bool]:
    """(document, ok): a draft gives (None, True), a file with errors (None, False)."""
    if not source.text.strip():
        needs = "title, summary, category and depth" if source.kind == "term" else "at least a title"
        diags.error(SourcePos(source.rel, 1), "file is empty",
                    f"Add front matter between '---' lines with {needs}, or delete the file.")  # fmt: skip
        return None, False
    fm = parse_front_matter(source.text, source.rel, diags)
    if not fm.ok:
        return None, False
    if fm.data.get("draft") is True and not config.drafts:
        return None, True
    if source.kind == "article" and not _rendered(fm.data):
        return None, True
    if source.kind == "section":
        doc = parse_section(source, fm, diags)
    elif source.kind == "term":
        doc = parse_term(source, fm, config, diags)
    else:
        doc = parse_article(source, fm, config, diags)
    return doc, doc is not None


def _rendered(data: dict) -> bool:
    """Hugo's build options (`build`, or the older `_build`): `render: never` (or `link`: a
    permalink without a page, which no listing here could use) publishes no page, as in Hugo."""
    for key, options in data.items():  # Hugo's front matter keys are case-insensitive
        if str(key).lower() in ("build", "_build") and isinstance(options, dict):
            render = next((value for name, value in options.items() if str(name).lower() == "render"), "always")
            if render is False or (isinstance(render, str) and render.lower() in ("never", "link")):
                return False
    return True


def assemble_corpus(parsed: list[tuple[SourceFile, Term | Article | Section | None, bool]]) -> Corpus:
    terms = tuple(doc for _, doc, _ in parsed if isinstance(doc, Term))
    articles = tuple(doc for _, doc, _ in parsed if isinstance(doc, Article))
    sections = tuple(doc for _, doc, _ in parsed if isinstance(doc, Section))
    broken = frozenset(
        slugify(PurePosixPath(source.logical).stem) for source, _, ok in parsed if source.kind == "term" and not ok
    )
    return Corpus(terms, articles, broken, sections=sections)


def parse_corpus(sources: list[SourceFile], config: SiteConfig, diags: Diagnostics) -> Corpus:
    return assemble_corpus([(source, *parse_source(source, config, diags)) for source in sources])


class _Fields:
    """Typed access to front matter values; each problem is reported at its key's line."""

    def __init__(self, source: str, fm: FrontMatter, diags: Diagnostics, known: tuple[str, ...]):
        self.source, self.fm, self.diags, self.known = source, fm, diags, known
        self.ok = True
        self.claimed: set[str] = set()
        """Unknown keys already explained as a misspelt required field."""

    def pos(self, key: str) -> SourcePos:
        return SourcePos(self.source, self.fm.lines.get(key, self.fm.fence_line))

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.diags.error(self.pos(key), message, hint)
        self.ok = False

    def required_str(self, key: str) -> str:
        value = self.fm.data.get(key)
        if value is None:
            near = [k for k in self.fm.data if k not in self.known]
            close = did_you_mean(key, near).split("'")[1::2] if near else []
            if close:
                self.claimed.add(close[0])
                self.error(close[0], f"missing required field '{key}' (found '{close[0]}')",
                           f"Did you mean '{key}'?")
            else:
                self.error(key, f"missing required field '{key}'")
            return ""
        return self.text(key, value)

    def text(self, key: str, value: Any) -> str:
        if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, not {_kind(value)}")
            return ""
        if not value.strip():
            self.error(key, f"'{key}' must not be empty")
        return value.strip()

    def optional_str(self, key: str, default: str = "") -> str:
        value = self.fm.data.get(key)
        return default if value is None else self.text(key, value)

    def str_list(self, key: str, single: bool = False) -> tuple[str, ...]:
        """A list of texts; `single`: one text stands for a list of one, as Hugo reads `tags: go`."""
        value = self.fm.data.get(key)
        if value is None:
            return ()
        if single and isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list, not {_kind(value)}", f"Write {key}: [{value}]")
            return ()
        items = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int, float)) or isinstance(item, bool) or not str(item).strip():
                self.diags.error(self._item_pos(key, i), f"'{key}' entries must be non-empty text")
                self.ok = False
                continue
            items.append(str(item).strip())
        return tuple(items)

    def _item_pos(self, key: str, i: int) -> SourcePos:
        return SourcePos(self.source, self.fm.lines.get(f"{key}[{i}]", self.pos(key).line))

    def flag(self, key: str, default: bool | None) -> bool | None:
        value = self.fm.data.get(key, default)
        if value is not None and not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {_kind(value)}")
            return default
        return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text ('{value}')" if isinstance(value, str) else type(value).__name__


def parse_term(source: SourceFile, fm: FrontMatter, config: SiteConfig, diags: Diagnostics) -> Term | None:
    f = _Fields(source.rel, fm, diags, TERM_KEYS)
    title, summary = f.required_str("title"), f.required_str("summary")
    category, depth = f.required_str("category"), f.required_str("depth")
    for key in fm.data:
        if key not in TERM_KEYS and key not in f.claimed:
            diags.warning(f.pos(key), f"unknown key '{key}' in term front matter", did_you_mean(key, TERM_KEYS))
    if depth and depth not in config.depths:
        f.error("depth", f"unknown depth '{depth}'",
                did_you_mean(depth, config.depths) or f"Use one of: {', '.join(config.depths)}.")
    if category and config.categories and category not in config.categories:
        f.error("category", f"unknown category '{category}'",
                did_you_mean(category, config.categories) or "Add it to 'categories' in site.yaml.")
    aliases, related = f.str_list("aliases"), f.str_list("related")
    # An alias is another name of the term; one that starts with '/' is an old URL of it (a rename).
    redirects = tuple(a for a in aliases if a.startswith("/"))
    aliases = tuple(a for a in aliases if not a.startswith("/"))
    autolink, case_sensitive = f.flag("autolink", True), f.flag("case_sensitive", None)
    derive, disambiguate = f.flag("derive", True), _disambiguate(f)
    f.flag("draft", False)  # drafts are set aside before parsing; this only checks the type
    written, key = f.optional_str("slug"), f.optional_str("translationKey")
    slug = slugify(written or PurePosixPath(source.logical).stem)
    if written and not slug:
        f.error("slug", f"slug '{written}' has no letters or digits", "Write a slug such as: slug: my-term")
    elif not slug:
        f.error("", f"file name '{PurePosixPath(source.rel).name}' gives an empty slug (it has no letters or digits)",
                f"Set one in its front matter, e.g. slug: {slugify(title or '') or 'my-term'}")
    elif slug in RESERVED_SLUGS:
        f.error("slug" if written else "", f"'{slug}' is a reserved name on Windows and cannot be a slug",
                f"Write slug: {slug}-term")
    if not f.ok:
        return None
    return Term(
        slug=slug, title=title, summary=summary, category=category, depth=depth,
        aliases=aliases,
        related=tuple((r, f._item_pos("related", i)) for i, r in enumerate(related)),
        autolink=bool(autolink), case_sensitive=case_sensitive, derive=bool(derive), disambiguate=disambiguate,
        body=fm.body, body_line=fm.body_line, source=source.rel, lines=dict(fm.lines),
        translation_key=translation_key(source.logical, key) if source.path else "", redirects=redirects,
    )  # fmt: skip


def _disambiguate(f: _Fields) -> tuple[str, ...]:
    """`disambiguate: {category: Networking, tags: [kubernetes, k8s]}` -> its labels, lower-cased
    (a text or a list for either key); a problem is reported at the key's line."""
    value = f.fm.data.get("disambiguate")
    if value is None:
        return ()
    hint = "Write disambiguate: {category: Networking, tags: [kubernetes]}"
    if not isinstance(value, dict) or not value or set(value) - {"category", "tags"}:
        f.error("disambiguate", f"'disambiguate' must be a mapping with 'category' and/or 'tags', not {_kind(value)}"
                if not isinstance(value, dict) else "'disambiguate' takes only 'category' and 'tags'", hint)  # fmt: skip
        return ()
    labels: list[str] = []
    for key in ("category", "tags"):
        items = value.get(key, [])
        items = [items] if isinstance(items, str) else items
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            f.error("disambiguate", f"'disambiguate' {key} must be text or a list of texts", hint)
            return ()
        labels += [i.strip().lower() for i in items]
    return tuple(dict.fromkeys(labels))


def parse_article(source: SourceFile, fm: FrontMatter, config: SiteConfig, diags: Diagnostics) -> Article | None:
    f = _Fields(source.rel, fm, diags, ARTICLE_KEYS)
    title, heading_line = f.optional_str("title"), 0
    if not title and fm.data.get("title") is None:  # as Hugo and MkDocs: the first heading, else the file name
        title, heading_line = _title_from(fm.body, fm.body_line, source.logical)
    summary = f.optional_str("summary") or f.optional_str("description")
    kind = f.optional_str("kind")
    tags = f.str_list("tags", single=True)
    autolink = f.flag("autolink", True)
    f.flag("draft", False)  # drafts are set aside before parsing; this only checks the type
    date, publish_date, expiry_date = _date(f, "date"), _date(f, "publishDate"), _date(f, "expiryDate")
    aliases = f.str_list("aliases", single=True)
    weight = f.fm.data.get("weight", 0)
    if isinstance(weight, str) and weight.strip().lstrip("-").isdigit():
        weight = int(weight)  # Hugo reads weight: "5" as 5
    if isinstance(weight, bool) or not isinstance(weight, int):
        f.error("weight", f"'weight' must be a whole number, not {_kind(weight)}", "Write weight: 10")
    written, url, key = f.optional_str("slug"), f.optional_str("url"), f.optional_str("translationKey")
    slug = slugify(written or _file_name(source.logical))
    path = article_path(source.logical, written, title, date, url, config.permalinks, config.article_urls == "hugo", slug)
    if path != f"articles/{slug}/" and unsafe(path):
        key = "url" if url else "slug"
        f.error(key, f"this article's URL '/{path}' has an empty or unsafe part",
                f"Give it a {key} made of letters or digits, e.g. {key}: {'/posts/my-post/' if url else 'my-post'}")
    elif path != f"articles/{slug}/":  # published where Hugo would: the path is its key
        slug = "/" + path
    elif not slug:
        f.error("slug", "slug is empty after removing unsafe characters", "Use letters, digits and '-'.")
    elif slug in RESERVED_SLUGS:
        f.error("slug", f"slug '{slug}' is a reserved name on Windows", f"Write slug: {slug}-article")
    elif written and written != slug:
        # Never a path: '..', '/', backslash and NUL cannot survive slugify, so nothing escapes the output.
        diags.warning(f.pos("slug"), f"slug {written!r} is used as '{slug}'", f"Write slug: {slug}")
    if not f.ok:
        return None
    return Article(
        slug=slug, title=title, date=date, summary=summary, kind=kind, tags=tags,
        autolink=bool(autolink), body=without_line(fm.body, heading_line - fm.body_line), body_line=fm.body_line,
        source=source.rel, publish_date=publish_date, expiry_date=expiry_date, weight=weight, heading_line=heading_line,
        aliases=aliases,
        params=dict(fm.data), lines=dict(fm.lines),
        translation_key=translation_key(source.logical, key) if source.path else "",
        path=source.path if source.path != source.rel else "",
    )  # fmt: skip


def title_from_name(name: str) -> str:
    """A file or folder name as a title, as MkDocs makes one: 'first-steps' -> 'First steps'."""
    words = re.sub(r"[-_]+", " ", name).strip() or "Untitled"
    return words[:1].upper() + words[1:]


def page_info(title: str, url: str, source: str, date=None, params: dict | None = None) -> dict:
    """What a shortcode may know of the page it is in (Hugo's .Page): title, url, date, params,
    and the page's folder in content/ (where a relative `ref` starts)."""
    folder = source[len("content/") :].rpartition("/")[0] if source.startswith("content/") else ""
    return {"title": title, "url": url, "date": date, "params": params or {}, "folder": folder}


def parse_section(source: SourceFile, fm: FrontMatter, diags: Diagnostics) -> Section | None:
    f = _Fields(source.rel, fm, diags, ())
    folder = source.logical[len("content/"):].rpartition("/")[0]
    title = f.optional_str("title") or title_from_name(folder.rsplit("/", 1)[-1])
    if not f.ok:
        return None
    return Section(folder, title, fm.body, fm.body_line, source.rel, dict(fm.data), dict(fm.lines))


def _file_name(rel: str) -> str:
    """The name an article's URL and default title come from: a leaf bundle's folder name."""
    return place(rel)[1]


_HEADING = re.compile(r"#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def _title_from(body: str, body_line: int, rel: str) -> tuple[str, int]:
    """(title, file line of the heading or 0): a first line `# Title` (after blank lines)
    becomes the title; else the file name, as words."""
    for i, line in enumerate(body.split("\n")):
        if not line.strip():
            continue
        match = _HEADING.fullmatch(line.strip()) if not line.startswith((" " * 4, "\t")) else None
        if match:
            return match.group(1).strip(), body_line + i
        break
    return title_from_name(_file_name(rel)), 0


def without_line(body: str, index: int) -> str:
    """`body` with its line `index` (0-based) blank, so that every later line keeps its number;
    `body` itself for a negative index."""
    if index < 0:
        return body
    lines = body.split("\n")
    lines[index] = ""
    return "\n".join(lines)


def _date(f: _Fields, key: str) -> dt.datetime | None:
    value = f.fm.data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    f.error(key, f"'{key}' is not a date: {value!r}", "Write it as 2026-03-01 or 2026-03-01T09:30:00Z.")
    return None
