"""The command line: parse the arguments and run the command they name in this process.

`build` and `check` are in build_command.py; every other command imports what only it needs,
so a `build` whose output is up to date starts no more than it must.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..content.config import load_config
from ..content.diagnostics import Diagnostics
from .arguments import parser
from .build_command import print_diagnostics, run_build


def main(argv: list[str] | None = None) -> int:
    return run(parser().parse_args(argv))


def run(args) -> int:
    """Run a parsed command line in this process (entry_point.py may instead hand a `build` to
    the site's daemon, which runs it with build_command.run_build)."""
    if args.command == "init":
        return _init(Path(args.directory))
    if args.command == "new":
        return _new(args)
    if args.command == "explain":
        return _explain(args)
    if args.command == "report":
        return _report(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "daemon":
        from .daemon import run_daemon

        return run_daemon(Path(args.site))
    return run_build(args)


def _init(directory: Path) -> int:
    from .scaffold import init_site  # each command imports what only it needs: `build` starts faster

    diags = Diagnostics()
    init_site(directory, diags)
    print_diagnostics(diags)
    if diags.has_errors:
        return 1
    print(f"created a new site in {directory}; build it with: glossary-site build {directory}")
    return 0


def _new(args) -> int:
    from .scaffold import new_document

    def create(root: Path, config, diags: Diagnostics) -> str | None:
        path = new_document(root, config, args.kind, args.title, diags, category=args.category,
                            depth=args.depth, kind_label=args.article_kind)  # fmt: skip
        return None if path is None else f"created {path}"

    return _on_site(Path(args.site), create)


def _explain(args) -> int:
    from .explain import explain_article

    def explain(root: Path, config, diags: Diagnostics) -> str | None:
        lines = explain_article(config, Path(args.article), diags)
        return None if lines is None else "\n".join(lines)

    return _on_site(Path(args.site), explain)


def _report(args) -> int:
    """Exit 0 with findings (a report is not a failure); 1 when the content has errors."""
    from .report import as_json, as_text, site_report

    loaded = _load_site(args)
    if loaded is None:
        return 2
    config, diags = loaded
    reports = None if diags.has_errors else site_report(config, diags)
    print_diagnostics(diags)
    if reports is None:
        return 1
    print(as_json(reports) if args.format == "json" else as_text(reports))
    return 0


def _load_site(args):
    """(config, diags) of the site the command line names, with its publishing flags; None
    (reported) when the folder does not exist."""
    root = Path(args.site)
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{root}' does not exist", file=sys.stderr)
        return None
    diags = Diagnostics()
    return load_config(root, diags, drafts=args.drafts, future=args.future, expired=args.expired), diags


def _on_site(root: Path, act) -> int:
    """Run `act(root, config, diags)` on the site's config; print the problems, then what it
    returned, or fail when it returned None."""
    diags = Diagnostics()
    result = act(root, load_config(root, diags), diags)
    print_diagnostics(diags)
    if result is None:
        return 1
    print(result)
    return 0


def _serve(args) -> int:
    from .dev_server import DevServer, describe_bind

    loaded = _load_site(args)
    if loaded is None:
        return 2
    config, diags = loaded
    print_diagnostics(diags)
    warning = describe_bind(args.bind)
    if warning:
        print(warning, file=sys.stderr)
    try:
        server = DevServer(config, bind=args.bind, port=args.port)
    except OSError as exc:
        print(f"glossary-site: error: cannot listen on {args.bind}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    server.start()
    print(f"serving {config.root} at {server.url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0
