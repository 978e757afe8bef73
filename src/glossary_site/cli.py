"""Command line: parse arguments, run the pipeline, print diagnostics, set the exit code.

Exit codes: 0 success, 1 content problems, 2 usage error (argparse) or a bug in the tool.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from . import uptodate
from .arguments import default_jobs, parser
from .cache import CACHE_DIR, BuildCache, digest
from .config import load_config
from .diagnostics import Diagnostics, as_github, as_json

# The pipeline (Jinja, markdown-it, Pygments) is imported by the commands that run it:
# a `build` whose output is up to date finishes in the time those imports would take.


def _print(diags: Diagnostics, fmt: str = "text") -> None:
    if fmt == "json":
        print(as_json(diags.sorted()))  # to stdout: the machine-readable result
        return
    for diagnostic in diags.sorted():
        print(as_github(diagnostic) if fmt == "github" else diagnostic, file=sys.stdout if fmt == "github" else sys.stderr)


def main(argv: list[str] | None = None) -> int:
    return run(parser().parse_args(argv))


def run(args) -> int:
    """Run a parsed command line in this process (client.py may instead hand a `build` to the
    site's daemon, which calls this in its own)."""
    if args.command == "init":
        return _init(Path(args.directory))
    if args.command == "new":
        return _new(args)
    if args.command == "explain":
        return _explain(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "daemon":
        from .daemon import run_daemon

        return run_daemon(Path(args.site))
    root = Path(args.site)
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{root}' does not exist", file=sys.stderr)
        return 2
    diags = Diagnostics()
    if args.command == "check":
        from .pipeline import check_site

        config = load_config(root, diags, drafts=args.drafts, base_url=args.base_url)
        ok = not diags.has_errors and check_site(config, diags) and _check_links(config, diags)
        ok = ok and not (args.strict and diags.warnings)
        _print(diags, args.format)
        print(f"checked {root}: {'ok' if ok else 'problems found'}", file=sys.stderr)
        return 0 if ok else 1
    started = time.perf_counter()
    output = Path(args.output) if args.output else None
    config = load_config(root, diags, output=output, base_url=args.base_url, drafts=args.drafts)
    if diags.has_errors:
        _print(diags)
        return 1
    config_key = digest(config, args.clean, args.strict)
    folder = root / CACHE_DIR
    verdict = None if args.no_cache else uptodate.compare(folder, root, config.output, config_key)
    if verdict is not None and not verdict.changed:
        return _done(diags, args, config, started, verdict.manifest.pages, [], [], verdict.manifest.diagnostics, " up to date")
    jobs = args.jobs or default_jobs()
    if not args.no_cache:
        uptodate.forget(folder)
    if verdict is not None:  # only edits of existing terms or articles: try the edit path
        from .edit_build import edit_build

        try:
            result = edit_build(config, verdict.changed, jobs)
        except Exception:  # a cache this version cannot use (or a bug): the full build is always right
            result = None
        if result is not None:
            kept = [d for d in verdict.manifest.diagnostics if d.pos.path not in verdict.changed]
            outputs = (set(verdict.manifest.outputs) - set(result.removed)) | set(result.rendered)
            uptodate.record(folder, config_key, verdict.snapshot, outputs, result.pages, kept)
            files = len(result.applied)
            note = f" {files} edited file{'s' if files != 1 else ''} applied to the last build" if files else " up to date"
            return _done(diags, args, config, started, result.pages, result.rendered, result.removed, kept, note)
    return _full_build(args, root, config, config_key, diags, started, jobs)


def _full_build(args, root: Path, config, config_key: str, diags: Diagnostics, started: float, jobs: int) -> int:
    from .edit_build import forget_staging, save_full_build
    from .pipeline import build_site

    inputs = uptodate.snapshot(root)
    folder = root / CACHE_DIR
    cache = BuildCache() if args.no_cache else BuildCache.load(root, diags, create=True)
    staged = forget_staging(folder, cache)  # this build may change the staging directory
    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if sys.stderr.isatty() else None
    result = build_site(config, diags, clean=args.clean, cache=cache, jobs=jobs, progress=progress,
                        strict=args.strict)  # fmt: skip
    if not result.ok:
        _print(diags, args.format)
        why = " (--strict: warnings count as errors)" if args.strict and not diags.has_errors else ""
        print(f"build failed{why}; the previous output was left untouched", file=sys.stderr)
        return 1
    if cache.store is not None:
        save_full_build(cache, result, staged)
        uptodate.record(folder, config_key, inputs, result.sources, result.pages, diags.items)
    code = _done(diags, args, config, started, result.pages, result.rendered, result.removed, [], "")
    if args.profile:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<20} {seconds * 1000:8.1f} ms")
    return code


def _done(diags: Diagnostics, args, config, started: float, pages: int, rendered, removed, kept, note: str) -> int:
    diags.extend(kept)
    _print(diags, args.format)
    elapsed = (time.perf_counter() - started) * 1000
    note = f";{note}" if note else ""
    print(f"built {pages} pages into {config.output} in {elapsed:.0f} ms ({len(rendered)} written, {len(removed)} removed{note})")
    return 0


def _check_links(config, diags: Diagnostics) -> bool:
    """Build into a temporary directory (the real output is not touched) and check every link."""
    from .linkcheck import report_broken
    from .pipeline import build_site

    with tempfile.TemporaryDirectory(prefix="glossary-check-") as tmp:
        out = Path(tmp) / "site"
        result = build_site(dataclasses.replace(config, output=out), diags, jobs=default_jobs())
        if result.ok:
            report_broken(out, config.base_path, result.sources, config.root, diags)
    return result.ok and not diags.has_errors


def _init(directory: Path) -> int:
    from .scaffold import init_site  # each command imports what only it needs: `build` starts faster

    diags = Diagnostics()
    init_site(directory, diags)
    _print(diags)
    if diags.has_errors:
        return 1
    print(f"created a new site in {directory}; build it with: glossary-site build {directory}")
    return 0


def _new(args) -> int:
    from .scaffold import new_document

    diags = Diagnostics()
    root = Path(args.site)
    config = load_config(root, diags)
    path = new_document(root, config, args.kind, args.title, diags, category=args.category,
                        depth=args.depth, kind_label=args.article_kind)
    _print(diags)
    if path is None:
        return 1
    print(f"created {path}")
    return 0


def _explain(args) -> int:
    from .explain import explain_article

    diags = Diagnostics()
    root = Path(args.site)
    config = load_config(root, diags)
    lines = explain_article(config, Path(args.article), diags)
    _print(diags)
    if lines is None:
        return 1
    print("\n".join(lines))
    return 0


def _serve(args) -> int:
    from .serve import DevServer, describe_bind

    root = Path(args.site)
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{root}' does not exist", file=sys.stderr)
        return 2
    diags = Diagnostics()
    config = load_config(root, diags, drafts=args.drafts)
    _print(diags)
    warning = describe_bind(args.bind)
    if warning:
        print(warning, file=sys.stderr)
    try:
        server = DevServer(config, bind=args.bind, port=args.port)
    except OSError as exc:
        print(f"glossary-site: error: cannot listen on {args.bind}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    server.start()
    print(f"serving {root} at {server.url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0
