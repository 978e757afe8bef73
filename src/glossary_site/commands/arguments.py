"""The command line's grammar and defaults, apart from what runs it: the client (entry_point.py) parses a
`build` with it before deciding where the build runs, and imports nothing else."""

from __future__ import annotations

import argparse
import os


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glossary-site", description="Build a glossary and the articles that use it.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the site into the output directory")
    build.add_argument("site", nargs="?", default=".", help="site directory (default: .)")
    build.add_argument("--output", "-o", help="output directory (default: SITE/public)")
    build.add_argument("--drafts", action="store_true", help="include drafts")
    build.add_argument("--future", action="store_true", help="include articles dated in the future")
    build.add_argument("--expired", action="store_true", help="include articles past their expiryDate")
    build.add_argument("--base-url", help="base URL or path, e.g. /my-repo/")
    build.add_argument("--clean", action="store_true", help="replace an output directory this tool did not write")
    build.add_argument("--profile", action="store_true", help="print the time taken by each stage")
    build.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: one per core)")
    build.add_argument("--no-cache", action="store_true", help="ignore and do not write the build cache")
    build.add_argument("--strict", action="store_true", help="warnings fail the build (nothing is published)")
    build.add_argument("--format", choices=["text", "github"], default="text", help="how problems are printed")
    check = sub.add_parser("check", help="validate and build in a temporary directory, check every link; write nothing")
    check.add_argument("site", nargs="?", default=".")
    check.add_argument("--drafts", action="store_true")
    check.add_argument("--future", action="store_true")
    check.add_argument("--expired", action="store_true")
    check.add_argument("--base-url", help="check links as served under this base URL or path, e.g. /my-repo/")
    check.add_argument("--strict", action="store_true", help="warnings fail the check")
    check.add_argument("--format", choices=["text", "json", "github"], default="text", help="how problems are printed")
    init = sub.add_parser("init", help="create a new site with an example term and article")
    init.add_argument("directory")
    serve = sub.add_parser("serve", help="build, serve and rebuild on change with live reload")
    serve.add_argument("site", nargs="?", default=".")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: loopback only)")
    serve.add_argument("--drafts", action="store_true")
    serve.add_argument("--future", action="store_true")
    serve.add_argument("--expired", action="store_true")
    daemon = sub.add_parser("daemon", help="stay running and do every `build` of this site: edits build without start-up cost")
    daemon.add_argument("site", nargs="?", default=".")
    new = sub.add_parser("new", help="create a term or an article with complete front matter")
    new.add_argument("kind", choices=["term", "article"])
    new.add_argument("title")
    new.add_argument("--site", default=".")
    new.add_argument("--category", default="")
    new.add_argument("--depth", default="")
    new.add_argument("--kind", dest="article_kind", default="")
    explain = sub.add_parser("explain", help="show why each mention in an article was linked or not")
    explain.add_argument("article", help="path of the article, e.g. content/post.md")
    explain.add_argument("--site", default=".")
    report = sub.add_parser("report", help="glossary upkeep: unmentioned and unlinked terms, missing terms, orphan articles")
    report.add_argument("site", nargs="?", default=".", help="site directory (default: .)")
    report.add_argument("--drafts", action="store_true")
    report.add_argument("--future", action="store_true")
    report.add_argument("--expired", action="store_true")
    report.add_argument("--format", choices=["text", "json"], default="text", help="how the report is printed")
    return parser


def default_jobs() -> int:
    """`--jobs` when not given: the cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
