"""A multilingual site: each language built as a site of its own, then published as one.

As Hugo does, each language has its own glossary, term graph, linking, listings, feeds and
search, published under /<code>/ (the default language at the root). Each is built by the
ordinary pipeline into its own folder, with its own cache (SITE/.glossary-cache/languages/
<code>/), so an edit in one language re-renders only its pages there; the folders are then
hard-linked side by side into the staging directory and exchanged with the output in one
rename, so a failure in any language leaves the whole previous site in place.

Translations are found before any page is rendered: documents that share a translation key
(`translationKey`, else the path without the language) link to each other (hreflang and the
language switcher), through each language's `SiteConfig.alternates`.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from html import escape
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.languages import language_of, undeclared
from ..content.sources import load_sources
from ..content.urls import article_rel, href
from ..pages.render import OutputFile, term_rel
from .cache import CACHE_DIR, BuildCache
from .pipeline import BuildResult, build_site, check_site
from .publish import MARKER, OutputWriter, check_output_dir
from .read_stage import read_site

WORKSPACES = "languages"
"""SITE/.glossary-cache/languages/<code>/: a language's own cache and output."""


def language_configs(config: SiteConfig, workspace: Path) -> list[SiteConfig]:
    """One SiteConfig per language: its language, its URL prefix, its title; output in `workspace`."""
    base = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
    configs = []
    for lang in config.languages:
        prefix = "" if lang.code == config.home_language else f"{lang.code}/"
        configs.append(dataclasses.replace(
            config, language=lang.code, base_url=base + prefix, title=lang.title or config.title,
            description=lang.description or config.description, params={**config.params, **lang.params},
            output=workspace / lang.code / "public"))  # fmt: skip
    return configs


def prefix_of(config: SiteConfig, code: str) -> str:
    return "" if code == config.home_language else f"{code}/"


def check_language_folders(config: SiteConfig, diags: Diagnostics) -> None:
    """A folder or file suffix that names a language the site does not declare is an error:
    its pages would silently join the default language."""
    codes = tuple(lang.code for lang in config.languages)
    reported: set[str] = set()
    for source in load_sources(config.root, Diagnostics(), None, config.terms_dir):
        code = undeclared(source.rel, codes)
        where = source.rel.split("/")[0] + "/" + code if code and source.rel.split("/")[1] == code else code
        if code and where not in reported:
            reported.add(where)
            diags.error(SourcePos(source.rel, 1), f"'{code}' looks like a language, but the site does not declare it",
                        f"Add {code} to 'languages' in site.yaml (declared: {', '.join(codes)}), or rename the "
                        f"{'folder' if '/' in where else 'file'}.")  # fmt: skip


def check_languages(config: SiteConfig, diags: Diagnostics) -> bool:
    """`check` of every language: what `build` validates up to rendering; writes nothing."""
    check_language_folders(config, diags)
    seen: set[str] = set()
    for sub in language_configs(config, config.root / CACHE_DIR / WORKSPACES):
        local = Diagnostics()
        check_site(sub, local)
        diags.extend([item for item in local.items if str(item) not in seen and not seen.add(str(item))])
    return not diags.has_errors


def config_for(config: SiteConfig, rel: str) -> SiteConfig:
    """The language's own config for a source of a multilingual site (`explain` of one article)."""
    if not config.languages:
        return config
    code, _ = language_of(rel, tuple(lang.code for lang in config.languages), config.home_language)
    return next(sub for sub in language_configs(config, config.root / CACHE_DIR / WORKSPACES) if sub.language == code)


def find_alternates(configs: list[SiteConfig], caches: dict[str, BuildCache],
                    jobs: int) -> dict[str, dict[str, tuple[tuple[str, str], ...]]]:  # fmt: skip
    """Language -> page path -> (language, URL) of every version of that page. Read (and
    parsed into each language's cache) before rendering; errors are left to the builds."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sub in configs:
        corpus, _, _ = read_site(sub, Diagnostics(), caches[sub.language], jobs)
        for term in corpus.terms:
            if not term.fallback:
                groups.setdefault(("term", term.translation_key), []).append((sub.language, term_rel(term.slug)))
        for article in corpus.articles:
            groups.setdefault(("article", article.translation_key), []).append((sub.language, article_rel(article.slug)))
    base = {sub.language: sub.absolute_base or sub.base_path for sub in configs}  # hreflang wants absolute URLs
    found: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {sub.language: {} for sub in configs}
    for versions in groups.values():
        codes = [code for code, _ in versions]
        if len(versions) < 2 or len(set(codes)) < len(codes):
            continue  # untranslated, or two pages of one language claim one key: no pairing to trust
        links = tuple((code, base[code] + href(rel)) for code, rel in versions)
        for code, rel in versions:
            found[code][rel] = links
    return found


def build_languages(config: SiteConfig, diags: Diagnostics, clean: bool = False, use_cache: bool = True,
                    jobs: int = 1, progress: Callable[[str], None] | None = None, strict: bool = False,
                    caches: dict[str, BuildCache] | None = None, workspace: Path | None = None) -> BuildResult:  # fmt: skip
    """Build every language, then publish them together into config.output. Each language's
    cache is loaded from and saved to its workspace folder, unless `caches` is given (the dev
    server keeps them in memory, with its own `workspace`) or `use_cache` is off (a throwaway
    workspace)."""
    check_language_folders(config, diags)
    if diags.has_errors or not check_output_dir(config, diags, clean):
        return BuildResult(False)
    scratch = tempfile.TemporaryDirectory(prefix="glossary-languages-") if workspace is None and not use_cache else None
    workspace = Path(scratch.name) if scratch else workspace or config.root / CACHE_DIR / WORKSPACES
    save = caches is None and use_cache
    caches = caches if caches is not None else {}
    try:
        configs = language_configs(config, workspace)
        for sub in configs:
            if sub.language not in caches:
                folder = workspace / sub.language
                folder.mkdir(parents=True, exist_ok=True)
                caches[sub.language] = BuildCache.load(folder, Diagnostics(), create=True) if save else BuildCache()
        alternates = find_alternates(configs, caches, jobs)
        results: dict[str, BuildResult] = {}
        seen: set[str] = set()
        for sub in configs:
            local = Diagnostics()
            sub = dataclasses.replace(sub, alternates=alternates[sub.language])
            results[sub.language] = build_site(sub, local, cache=caches[sub.language], jobs=jobs, progress=progress,
                                               strict=strict)  # fmt: skip
            for item in local.items:  # the default language's terms are read by every language
                if str(item) not in seen:
                    seen.add(str(item))
                    diags.extend([item])
            if results[sub.language].ok and save:
                caches[sub.language].save(workspace / sub.language)
        if not all(r.ok for r in results.values()) or diags.has_errors:
            return BuildResult(False)
        return _publish(config, configs, results, diags)
    finally:
        if scratch is not None:
            scratch.cleanup()


def _publish(config: SiteConfig, configs: list[SiteConfig], results: dict[str, BuildResult],
             diags: Diagnostics) -> BuildResult:  # fmt: skip
    """Every language's output side by side in the staging directory (hard links), exchanged
    with the output in one rename."""
    writer = OutputWriter(config.output, diags)
    writer.ensure_staging()
    merged = BuildResult(True, swapped=True)
    for sub in configs:
        prefix, result = prefix_of(config, sub.language), results[sub.language]
        for rel in _files(sub.output):
            # As Hugo: the default language's sitemap at /<code>/sitemap.xml, an index of them all at the root.
            target = f"{sub.language}/{rel}" if rel == "sitemap.xml" and not prefix else prefix + rel
            if not writer.claim(target, result.sources.get(rel, f"language {sub.language}"), written=True):
                continue
            _link(sub.output / rel, writer.staging / target)
        merged.pages += result.pages
        merged.rendered += [prefix + rel for rel in result.rendered]
        merged.removed += [prefix + rel for rel in result.removed]
        merged.sources.update({prefix + rel: source for rel, source in result.sources.items()})
        for stage, seconds in result.timings.items():
            merged.timings[stage] = merged.timings.get(stage, 0.0) + seconds
        if result.next_change and (merged.next_change is None or result.next_change < merged.next_change):
            merged.next_change = result.next_change
    if config.publishes("sitemap"):
        writer.write(sitemap_index(config, configs))
    if diags.has_errors:
        writer.abort()
        return BuildResult(False)
    writer.commit(keep_from=None, force=True)
    return merged


def sitemap_index(config: SiteConfig, configs: list[SiteConfig]) -> OutputFile:
    """`sitemap.xml` at the root: the index of every language's sitemap."""
    base = config.absolute_base or config.base_path
    entries = "".join(f"  <sitemap><loc>{escape(base + sub.language + '/sitemap.xml')}</loc></sitemap>\n" for sub in configs)
    text = ('<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n")
    return OutputFile("sitemap.xml", text.encode("utf-8"), "sitemap index")


def _files(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        found += [name if rel == "." else f"{rel}/{name}" for name in sorted(files) if not (rel == "." and name == MARKER)]
    return found


def _link(source: Path, target: Path) -> None:
    """`target` becomes a hard link to `source` (unless it is one already); never written in place."""
    try:
        if os.stat(target).st_ino == os.stat(source).st_ino:
            return
        os.unlink(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    os.link(source, target)
