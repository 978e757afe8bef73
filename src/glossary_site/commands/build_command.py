"""The `build` and `check` commands: the up-to-date check, then the edit path or the full build;
problems printed as text, JSON or GitHub annotations; the summary line and the exit code.

Exit codes: 0 success, 1 content problems, 2 usage error (argparse) or a bug in the tool.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from ..build import up_to_date
from ..build.cache import CACHE_DIR, BuildCache
from ..content.config import load_config
from ..content.diagnostics import Diagnostics, as_github, as_json
from ..content.digests import digest
from .arguments import default_jobs

# The pipeline (Jinja, markdown-it, Pygments) is imported by the commands that run it:
# a `build` whose output is up to date finishes in the time those imports would take.


def print_diagnostics(diags: Diagnostics, fmt: str = "text") -> None:
    if fmt == "json":
        print(as_json(diags.sorted()))  # to stdout: the machine-readable result
        return
    for diagnostic in diags.sorted():
        print(as_github(diagnostic) if fmt == "github" else diagnostic, file=sys.stdout if fmt == "github" else sys.stderr)


def run_build(args) -> int:
    """`build` or `check` of a parsed command line, in this process (the site's daemon calls
    this in its own)."""
    root = Path(args.site)
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{root}' does not exist", file=sys.stderr)
        return 2
    diags = Diagnostics()
    if args.command == "check":
        from ..build.pipeline import check_site

        config = load_config(root, diags, drafts=args.drafts, future=args.future, expired=args.expired,
                             base_url=args.base_url)  # fmt: skip
        from ..build.languages import check_languages

        checker = check_languages if config.languages else check_site  # a multilingual site: each language
        ok = not diags.has_errors and checker(config, diags) and _check_links(config, diags)
        ok = ok and not (args.strict and diags.warnings)
        print_diagnostics(diags, args.format)
        print(f"checked {root}: {'ok' if ok else 'problems found'}", file=sys.stderr)
        return 0 if ok else 1
    started = time.perf_counter()
    output = Path(args.output) if args.output else None
    config = load_config(root, diags, output=output, base_url=args.base_url, drafts=args.drafts, future=args.future,
                         expired=args.expired)  # fmt: skip
    if diags.has_errors:
        print_diagnostics(diags)
        return 1
    config_key = digest(config, args.clean, args.strict)
    folder = root / CACHE_DIR
    verdict = None if args.no_cache else up_to_date.compare(folder, root, config.output, config_key)
    if verdict is not None and not verdict.changed:
        return _done(diags, args, config, started, verdict.manifest.pages, [], [], verdict.manifest.diagnostics, " up to date")
    jobs = args.jobs or default_jobs()
    if not args.no_cache:
        up_to_date.forget(folder)
    if verdict is not None and not config.languages:  # only edits of existing terms or articles: try the edit path
        from ..build.edit_path import build_from_edits

        try:
            result = build_from_edits(config, verdict.changed, jobs)
        except Exception:  # a cache this version cannot use (or a bug): the full build is always right
            result = None
        if result is not None:
            kept = [d for d in verdict.manifest.diagnostics if d.pos.path not in verdict.changed]
            outputs = (set(verdict.manifest.outputs) - set(result.removed)) | set(result.rendered)
            up_to_date.record(folder, config_key, verdict.snapshot, outputs, result.pages, kept,
                              verdict.manifest.valid_until)  # fmt: skip
            files = len(result.applied)
            note = f" {files} edited file{'s' if files != 1 else ''} applied to the last build" if files else " up to date"
            return _done(diags, args, config, started, result.pages, result.rendered, result.removed, kept, note)
    return _full_build(args, root, config, config_key, diags, started, jobs)




def _full_build(args, root: Path, config, config_key: str, diags: Diagnostics, started: float, jobs: int) -> int:
    from ..build.edit_path import forget_staging, save_full_build
    from ..build.pipeline import build_site

    inputs = up_to_date.snapshot(root)
    folder = root / CACHE_DIR
    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if sys.stderr.isatty() else None
    if config.languages:  # each language a site of its own, with its own cache (no edit path)
        from ..build.languages import build_languages

        cache = None
        result = build_languages(config, diags, clean=args.clean, use_cache=not args.no_cache, jobs=jobs,
                                 progress=progress, strict=args.strict)  # fmt: skip
    else:
        cache = BuildCache() if args.no_cache else BuildCache.load(root, diags, create=True)
        staged = forget_staging(folder, cache)  # this build may change the staging directory
        result = build_site(config, diags, clean=args.clean, cache=cache, jobs=jobs, progress=progress,
                            strict=args.strict)  # fmt: skip
    if not result.ok:
        print_diagnostics(diags, args.format)
        why = " (--strict: warnings count as errors)" if args.strict and not diags.has_errors else ""
        print(f"build failed{why}; the previous output was left untouched", file=sys.stderr)
        return 1
    if cache is not None and cache.store is not None:
        save_full_build(cache, result, staged)
    if not args.no_cache and (cache is None or cache.store is not None):
        until = result.next_change.timestamp() if result.next_change is not None else None
        up_to_date.record(folder, config_key, inputs, result.sources, result.pages, diags.items, until)
    code = _done(diags, args, config, started, result.pages, result.rendered, result.removed, [], "")
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<20} {seconds * 1000:8.1f} ms")
    return code


def _done(diags: Diagnostics, args, config, started: float, pages: int, rendered, removed, kept, note: str) -> int:
    diags.extend(kept)
    print_diagnostics(diags, args.format)
    elapsed = (time.perf_counter() - started) * 1000
    note = f";{note}" if note else ""
    print(f"built {pages} pages into {config.output} in {elapsed:.0f} ms ({len(rendered)} written, {len(removed)} removed{note})")
    return 0


def _check_links(config, diags: Diagnostics) -> bool:
    """Build into a temporary directory (the real output is not touched) and check every link."""
    from ..build.pipeline import build_site
    from .link_check import report_broken

    with tempfile.TemporaryDirectory(prefix="glossary-check-") as tmp:
        out = Path(tmp) / "site"
        if config.languages:
            from ..build.languages import build_languages

            result = build_languages(dataclasses.replace(config, output=out), diags, use_cache=False, jobs=default_jobs())
        else:
            result = build_site(dataclasses.replace(config, output=out), diags, jobs=default_jobs())
        if result.ok:
            report_broken(out, config.base_path, result.sources, config.root, diags)
    return result.ok and not diags.has_errors
