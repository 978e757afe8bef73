"""LastBuild: what the last successful build computed, which the fast paths apply edits to.

The dev server keeps it in memory; `build` saves it with the cache and, when the files it
finds changed are edits of existing articles or terms, applies them to it (edit_path.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..content.config import SiteConfig
from ..content.graph import TermGraph
from ..content.refs import ArticleRef
from ..pages.indexes import Backlinks
from ..pages.render import TermDoc
from .article_pages import ArticleRenderer, UnitInputs
from .cache import article_contexts
from .cache_store import BLOB, NameRows, Rows, Store


@dataclass
class LastBuild:
    """What the last successful build computed."""

    config: SiteConfig
    parse_key: str
    graph: TermGraph
    term_docs: dict[str, TermDoc]
    inputs: UnitInputs
    env: Any
    templates: dict[str, str]
    config_key: str
    articles: dict[str, ArticleRef]
    """Source path -> what other pages show of that article (bodies are not kept)."""
    article_order: list[str]
    """Article slugs, newest first."""
    backlinks: Backlinks
    entries: dict[str, Any]
    entry_keys: dict[str, str]
    pages: int
    names: str
    """names_key() of the glossary: where links go."""
    article_refs: list[ArticleRef]
    """In listing order (newest first)."""
    articles_key: str
    """digest(article_refs), the key part of the pages that list every article."""
    tags: list
    """by_tag(article_refs)."""
    term_sources: dict[str, str]
    """Term source path -> slug."""
    article_sources: dict[str, str] | None = None
    """Article slug -> source path."""
    renderer: ArticleRenderer | None = None
    home_intro: str = ""
    """content/_index.md as HTML: the home page, which a term edit renders again, shows it."""


# --- saved for `build`'s edit path ---------------------------------------------------------
# Blobs are read whole when first used; the per-article parts are rows, read one at a time:
# an article edit reads the head (link context, term previews) and the edited article's rows.
_BLOBS = {
    "live.head": ("config", "parse_key", "config_key", "names", "templates", "pages", "term_sources", "inputs",
                  "articles_key", "article_order", "article_sources", "home_intro"),
    "live.graph": ("graph", "term_docs"),
    "live.lists": ("article_refs", "tags"),
}  # fmt: skip
_ROWS = {"articles": "live.articles", "entry_keys": "live.entry_keys"}
_BACKLINK_ROWS = {"articles": "live.used_by", "article_terms": "live.article_terms"}
_COUNTS = "live.counts"
"""Term slug -> how many articles use it (graph.json), apart from the lists themselves."""
_WHERE = {name: section for section, names in _BLOBS.items() for name in names}


class StoredLastBuild(LastBuild):
    """A LastBuild read from the cache's store as its attributes are used (never via __init__)."""

    @staticmethod
    def saved(store: Store) -> bool:
        """Whether the store holds a whole state (one saved by an older build may lack a part)."""
        return all(store.has(section, BLOB) for section in (*_BLOBS, _COUNTS))

    @classmethod
    def open(cls, store: Store, entries, docs) -> "StoredLastBuild | None":
        """`entries`, `docs`: the cache's sections of those names (BuildCache.entries, .docs)."""
        if not cls.saved(store):
            return None
        live = cls.__new__(cls)
        live.__dict__.update(_store=store, _loaded={}, _docs=docs, entries=entries, env=None, renderer=None,
                             articles=Rows(store, _ROWS["articles"]), entry_keys=Rows(store, _ROWS["entry_keys"]))  # fmt: skip
        return live

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "backlinks":
            head = self._blob("live.head")
            used_by = NameRows(self._store, _BACKLINK_ROWS["articles"])
            self.__dict__["backlinks"] = Backlinks(used_by, head["term_backlinks"],
                                                   NameRows(self._store, _BACKLINK_ROWS["article_terms"]),
                                                   self._store.get(_COUNTS, BLOB),
                                                   StoredContexts(used_by, self.article_sources, self._docs))  # fmt: skip
        elif name in _WHERE:
            self.__dict__.update({k: v for k, v in self._blob(_WHERE[name]).items() if k in _BLOBS[_WHERE[name]]})
        else:
            raise AttributeError(name)
        return self.__dict__[name]

    def _blob(self, section: str) -> dict:
        if section not in self._loaded:
            self._loaded[section] = self._store.get(section, BLOB)
        return self._loaded[section]


class StoredContexts(Mapping):
    """Backlinks.contexts of a saved state: each term's sentences, read from the rows of the
    articles in its "used by" list (BuildCache.docs: each article's terms and the sentence of
    each), which hold them anyway. Kept per term as well, they doubled the cache (160 MB more
    on the large bench corpus, and as much written by every full build) for the edit path's
    sake, which renders a few term pages. An edit's new sentences go into those rows
    (BuildCache.remember_article), so setting a term's here only leaves it to them."""

    def __init__(self, used_by, sources: dict[str, str], docs):
        self.used_by, self.sources, self.docs = used_by, sources, docs
        self._found: dict[str, tuple] = {}

    def __getitem__(self, term: str) -> tuple:
        if term not in self._found:
            self.fetch([term])
        return self._found[term]

    def fetch(self, terms) -> None:
        """Read these terms' sentences in a few queries, keeping only them: a popular term's
        page needs a sentence from each of a thousand rows of a hundred."""
        terms = [term for term in terms if term not in self._found]
        lists = {term: self.used_by.get(term, ()) for term in terms}
        wanted = {self.sources[slug] for users in lists.values() for slug in users if slug in self.sources}

        def pick(source: str, row) -> dict[str, str]:
            return {term: context for term, context in zip(row[1], article_contexts(row)) if term in lists}

        rows = self.docs.peek(sorted(wanted), pick) if hasattr(self.docs, "peek") else \
            {source: pick(source, self.docs[source]) for source in wanted if source in self.docs}  # fmt: skip
        for term, users in lists.items():
            if users:
                self._found[term] = tuple(rows.get(self.sources.get(slug, ""), {}).get(term) for slug in users)

    def __contains__(self, term) -> bool:
        return bool(self.used_by.get(term))

    def __iter__(self):
        return iter(self.used_by)

    def __len__(self) -> int:
        return len(self.used_by)

    def __setitem__(self, term: str, sentences: tuple) -> None:
        self._found.pop(term, None)

    def pop(self, term: str, default=None):
        self._found.pop(term, None)
        return default


def last_build_changes(live: LastBuild, store: Store, base: StoredLastBuild | None = None) -> dict:
    """The store changes that save `live`. `base`: the StoredLastBuild an edit started from; then
    only the blobs holding an object the edit replaced, and the rows it set, are written."""
    changes = {}
    for section, names in _BLOBS.items():
        old = base._loaded.get(section) if base is not None else None
        if base is not None and old is None:
            continue  # never read, so nothing in it replaced (and not to be read now)
        value = {name: getattr(live, name) for name in names}
        if section == "live.head":
            value["term_backlinks"] = live.backlinks.terms
        if old is not None and all(old.get(k) is v for k, v in value.items()):
            continue  # nothing in it replaced
        if section == "live.head":  # where this build kept bodies is not state
            value = {**value, "inputs": dataclasses.replace(live.inputs, keep_bodies=False, body_dir=None)}
        changes[section] = ({BLOB: value}, ())
    used_by = live.backlinks.articles
    if not isinstance(used_by, Rows):  # a full build's
        changes[_COUNTS] = ({BLOB: {slug: len(users) for slug, users in used_by.items()}}, ())
    elif (used_by.changed or used_by.deleted) and live.backlinks.counts is not None:  # kept up to date by the edit
        changes[_COUNTS] = ({BLOB: dict(live.backlinks.counts)}, ())
    mappings = {_ROWS[k]: (getattr(live, k), Rows) for k in _ROWS}
    mappings.update({section: (getattr(live.backlinks, k), NameRows) for k, section in _BACKLINK_ROWS.items()})
    for section, (mapping, kind) in mappings.items():
        if isinstance(mapping, Rows):
            changes[section] = mapping.changes()
        else:
            changes[section] = store.sync(section, {key: kind.encode(value) for key, value in mapping.items()})
    return changes
