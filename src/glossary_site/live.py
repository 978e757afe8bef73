"""Live: what the last successful build in this process computed, for the dev server's fast paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .article_unit import ArticleRenderer, UnitInputs
from .config import SiteConfig
from .graph import TermGraph
from .indexes import Backlinks
from .refs import ArticleRef
from .render import TermDoc


@dataclass
class Live:
    """What the last successful build in this process computed; never written to disk."""

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
    renderer: ArticleRenderer | None = None
