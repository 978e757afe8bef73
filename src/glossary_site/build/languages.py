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
import shutil
import tempfile
from html import escape
from pathlib import Path
from typing import Callable

from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..content.languages import language_of, language_prefix, undeclared
from ..content.sources import markdown_paths
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
    return [dataclasses.replace(
        config, language=lang.code, base_url=base + language_prefix(lang.code, config.home_language),
        title=lang.title or config.title, description=lang.description or config.description,
        params={**config.params, **lang.params}, output=workspace / lang.code / "public",
    ) for lang in config.languages]  # fmt: skip


def check_language_folders(config: SiteConfig, diags: Diagnostics) -> None:
    """A folder or file suffix that names a language the site does not declare is an error:
    its pages would silently join the default language."""
    codes = tuple(lang.code for lang in config.languages)
    reported: set[str] = set()
    paths = markdown_paths(config.root)
    present = set(paths)
    for rel in paths:
        code = undeclared(rel, codes, present.__contains__)
        where = rel.split("/")[0] + "/" + code if code and rel.split("/")[1] == code else code
        if code and where not in reported:
            reported.add(where)
            diags.error(SourcePos(rel, 1), f"'{code}' looks like a language, but the site does not declare it",
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


LISTINGS = ("", "articles/", "terms/", "a-z/", "categories/", "depth/", "graph/", "search/")
"""Pages every language has: each one's versions are each other's translations."""

Alternates = dict[str, dict[str, tuple[tuple[str, str], ...]]]


def find_alternates(configs: list[SiteConfig], caches: dict[str, BuildCache], jobs: int) -> tuple[Alternates, dict]:
    """(language -> page path -> (language, URL) of every version of that page; language ->
    page path of a stand-in term -> the original's URL). Read (and parsed into each language's
    cache) before rendering; errors are left to the builds."""
    base = {sub.language: sub.absolute_base or sub.base_path for sub in configs}  # hreflang wants absolute URLs
    home = configs[0].home_language
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {("page", rel): [(sub.language, rel) for sub in configs]
                                                            for rel in LISTINGS}  # fmt: skip
    originals: dict[str, dict[str, str]] = {sub.language: {} for sub in configs}
    stand_ins: list[tuple[str, str, str]] = []
    for sub in configs:
        corpus, _, _ = read_site(sub, Diagnostics(), caches[sub.language], jobs)
        for term in corpus.terms:
            if term.fallback:  # the same text as the default language's page: that one is canonical
                originals[sub.language][term_rel(term.slug)] = base[home] + href(term_rel(term.slug))
                stand_ins.append((sub.language, term_rel(term.slug), term.translation_key))
            else:
                groups.setdefault(("term", term.translation_key), []).append((sub.language, term_rel(term.slug)))
        for article in corpus.articles:
            groups.setdefault(("article", article.translation_key), []).append((sub.language, article_rel(article.slug)))
    found: Alternates = {sub.language: {} for sub in configs}
    for versions in groups.values():
        codes = [code for code, _ in versions]
        if len(versions) < 2 or len(set(codes)) < len(codes):
            continue  # untranslated, or two pages of one language claim one key (an error of the build)
        links = tuple((code, base[code] + href(rel)) for code, rel in versions)
        for code, rel in versions:
            found[code][rel] = links
    for code, rel, key in stand_ins:  # the switcher leads to the original and its translations
        versions = groups.get(("term", key), [])
        found[code][rel] = tuple((c, base[c] + href(r)) for c, r in versions) or ((home, originals[code][rel]),)
    return found, originals


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
        alternates, originals = find_alternates(configs, caches, jobs)
        results: dict[str, BuildResult] = {}
        seen: set[str] = set()
        for sub in configs:
            local = Diagnostics()
            sub = dataclasses.replace(sub, alternates=alternates[sub.language], originals=originals[sub.language])
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
    with the output in one rename. What it reports written and removed is against the output
    as it was, not each language's own folder."""
    before = set(_files(config.output)) if config.output.is_dir() else set()
    writer = OutputWriter(config.output, diags)
    writer.ensure_staging()
    merged = BuildResult(True, swapped=True)
    for sub in configs:
        prefix, result = language_prefix(sub.language, config.home_language), results[sub.language]
        for rel in _files(sub.output):
            # As Hugo: the default language's sitemap at /<code>/sitemap.xml, an index of them all at the root.
            target = f"{sub.language.lower()}/{rel}" if rel == "sitemap.xml" and not prefix else prefix + rel
            source = result.sources.get(rel, f"language {sub.language}")
            if not writer.claim(target, source, written=True):
                continue
            merged.sources[target] = source
            if _link(sub.output / rel, writer.staging / target, config.output / target):
                merged.rendered.append(target)
        merged.pages += result.pages
        for stage, seconds in result.timings.items():
            merged.timings[stage] = merged.timings.get(stage, 0.0) + seconds
        if result.next_change and (merged.next_change is None or result.next_change < merged.next_change):
            merged.next_change = result.next_change
    if config.publishes("sitemap"):
        index = sitemap_index(config, configs)
        writer.write(index)
        merged.sources[index.rel] = index.source
        merged.rendered.append(index.rel)
    if diags.has_errors:
        writer.abort()
        return BuildResult(False)
    merged.removed = sorted(before - set(writer.owners))
    writer.commit(keep_from=None, force=True)
    merged.rendered.sort()
    return merged


def sitemap_index(config: SiteConfig, configs: list[SiteConfig]) -> OutputFile:
    """`sitemap.xml` at the root: the index of every language's sitemap."""
    base = config.absolute_base or config.base_path
    entries = "".join(f"  <sitemap><loc>{escape(base + sub.language.lower() + '/sitemap.xml')}</loc></sitemap>\n"
                      for sub in configs)  # fmt: skip
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


def _link(source: Path, target: Path, published: Path) -> bool:
    """`target` (in staging) becomes a hard link to `source` unless it is one already, never
    written in place; a copy where the two are on different file systems. True when the
    published file (`published`) was not this one."""
    try:
        if os.stat(target).st_ino == os.stat(source).st_ino:
            return not _same_file(published, source)
        os.unlink(target)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system (an output on a tmpfs, a workspace in $TMPDIR)
        shutil.copy2(source, target)
    return not _same_file(published, source)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_ino == os.stat(b).st_ino
    except FileNotFoundError:
        return False
