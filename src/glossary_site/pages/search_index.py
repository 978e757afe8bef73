"""SEARCH: the Pagefind index of term and article pages, as output files.

Pagefind (the `pagefind[bin]` package) reads the finished HTML: the `data-pagefind-body`,
`-meta`, `-weight` and `-ignore` attributes in the theme decide what is indexed and shown.
Its bundle goes under `pagefind/` like any other output file, so the atomic publish, the
cache and `check`'s link checker treat it as theirs. The index is rebuilt only when an
indexed page's key changed; Pagefind has no incremental mode, so a rebuild reads them all.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.digests import digest
from .render import OutputFile

BUNDLE = "pagefind/"
_INDEXED = re.compile(r"(terms|articles)/[^/]+/index\.html")


def indexed(rels, articles: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The pages search finds: term and article pages (listings would only repeat them).
    `articles`: the article pages' paths, which Hugo's URLs put anywhere ('posts/x/index.html')."""
    return sorted(rel for rel in rels if rel in articles or _INDEXED.fullmatch(rel))


def index_key(pages: dict[str, str], config: SiteConfig, articles: frozenset[str] | set[str] = frozenset()) -> str:
    """Changes when an indexed page (by its cache key) or the URLs change."""
    return digest("pagefind-1", config.base_path, config.language,
                  [(rel, pages[rel]) for rel in indexed(pages, articles)])  # fmt: skip


def build_index(rels: list[str], read: Callable[[str], bytes], config: SiteConfig,
                diags: Diagnostics) -> list[OutputFile] | None:  # fmt: skip
    """Index the pages `read(rel)` returns; None (with an error reported) when Pagefind fails.

    Pagefind's command-line indexer over a scratch copy of just those pages: its Python
    service answers one message per 0.1 s poll, which made 70 pages take 7 s, against
    0.4 s for the whole run here. The pages sit under the site's base path inside the
    scratch site, so result URLs come out as the site serves them.
    """
    if not rels:
        return []
    if importlib.util.find_spec("pagefind_bin") is None:
        diags.error(SourcePos("site.yaml"), "search is on, but Pagefind is not installed",
                    "Run pip install 'pagefind[bin]', or set 'search: false' in site.yaml.")  # fmt: skip
        return None
    with tempfile.TemporaryDirectory(prefix="glossary-pagefind-") as tmp:
        site, bundle = Path(tmp, "site"), Path(tmp, "bundle")
        base = site.joinpath(*config.base_path.strip("/").split("/")) if config.base_path != "/" else site
        for rel in rels:
            target = base / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(read(rel))
        language = config.language.split("-")[0].lower() or "en"
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
                   "--force-language", language, "--silent"]  # fmt: skip
        run = subprocess.run(command, capture_output=True, text=True, errors="replace")
        if run.returncode != 0 and "not able to build an index" in run.stderr + run.stdout:
            # Templates of the site's own that leave no <body> (or no text) to index.
            diags.warning(SourcePos("site.yaml"), "search is on, but no term or article page had text to index",
                          "Check that the page templates write a <body>, or set 'search: false'.")  # fmt: skip
            return []
        if run.returncode != 0:
            detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            diags.error(SourcePos("site.yaml"), f"building the search index failed: {detail[0]}",
                        "Set 'search: false' in site.yaml to build without search.")  # fmt: skip
            return None
        files = sorted(p for p in bundle.rglob("*") if p.is_file())
        return [OutputFile(BUNDLE + p.relative_to(bundle).as_posix(), p.read_bytes(), "search index") for p in files]
