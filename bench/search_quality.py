"""What sharded search costs a reader, against ONE Pagefind index of the same pages.

    python -m glossary_site build SITE --output OUT          # sharded by default
    python bench/search_quality.py --site SITE --out OUT --work DIR [--label TEXT] [--results FILE]

Builds a single Pagefind index of the pages OUT's shards index (pages/search_index.py's own
`indexed()` and `build_shards()`, with the site's configuration, as one shard) into
WORK/one/pagefind/, beside symlinks to every other top-level entry of OUT, and records its
Pagefind wall time and peak RSS. Then, for a fixed set of ~20 queries taken from the corpus
(common words, every Nth term title, rare words, two-word queries, prefixes), it serves both
trees on 127.0.0.1 and, for each query and tree, in a fresh browser context (empty cache):
opens /search/, calls `window.glossarySearch(q)` (theme/static/search.js's find(), what the
page runs) and loads `data()` of the first 20 results (what the page shows). The server
counts the bytes of every response under pagefind/ (the main thread's and Pagefind's web
worker's alike). Reported per query: bytes sharded / one, and the results compared: the
full id sets (same? extra and missing), the top-1 URL, the overlap of the top-10 URLs, and
Kendall's tau over the URLs both top-20s share. Issue 18's target: a query downloads at
most 1.5x the bytes a single index would.

Prints a markdown report and writes it to --results (default bench/results-search.md), with
the command, date, commit, corpus size and shard count; the raw figures go to
WORK/search-quality.json. Chromium: $CHROMIUM or /usr/bin/chromium, through Playwright.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import functools
import http.server
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.pages.search_index import BUNDLE, build_shards, indexed, manifest, shard_of

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]  # fmt: skip
SHOWN = 20  # results whose data() the search page loads
TARGET = 1.5  # issue 18: bytes of a query, sharded / one index

# One query, as the search page runs it: find() and then data() of the results it shows.
RUN_QUERY = """async ([query, shown]) => {
  while (!window.glossarySearch) await new Promise((r) => setTimeout(r, 10));
  const started = performance.now();
  const found = await window.glossarySearch(query);
  const data = await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
  return {ids: found.results.map((r) => r.id), scores: found.results.slice(0, shown).map((r) => r.score),
          urls: data.map((d) => d.url), ms: performance.now() - started};
}"""


# ---------------------------------------------------------------- the single index


def indexed_pages(out: Path) -> list[str]:
    """The pages the build indexes: term pages, and the article pages (pipeline.publish_search
    passes the rendered articles' paths; here, every page outside terms/ that the theme marks
    `data-pagefind-body`, which it does on term and article pages only)."""
    rels = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if not p.is_relative_to(out / BUNDLE))
    articles = {rel for rel in rels if not rel.startswith("terms/") and b"data-pagefind-body" in (out / rel).read_bytes()}
    return indexed(rels, articles)


def build_one(site: Path, out: Path, tree: Path) -> dict:
    """WORK/one: OUT's files but pagefind/, which holds one index of the same pages."""
    diags = Diagnostics()
    config = load_config(site, diags, output=out)
    if diags.has_errors:
        raise SystemExit("\n".join(str(d) for d in diags.sorted()))
    rels = indexed_pages(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    files = build_shards({0: rels}, lambda rel: (out / rel).read_bytes(), config, diags, jobs=1, count=1)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child so far
    if files is None:
        raise SystemExit("\n".join(str(d) for d in diags.sorted()))
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    for entry in sorted(out.iterdir()):
        if entry.name != BUNDLE.rstrip("/"):
            (tree / entry.name).symlink_to(entry.resolve())
    for file in [*files, manifest(("one",))]:
        target = tree / file.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.data)
    return {"pages": len(rels), "wall": wall, "peak_mb": peak / 1024 if peak > before else None,
            "bytes": sum(len(f.data) for f in files), "base_path": config.base_path}  # fmt: skip


def bundle_pages(tree: Path) -> list[int]:
    """Pages per shard, from each bundle's pagefind-entry.json."""
    shards = json.loads((tree / BUNDLE / "shards.json").read_text())["shards"]
    return [sum(lang["page_count"] for lang in json.loads((tree / BUNDLE / s / "pagefind-entry.json").read_text())["languages"].values())
            for s in shards]  # fmt: skip


# ---------------------------------------------------------------- the queries

WORD = re.compile(r"[a-z0-9]+")


def _front_and_body(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        _, front, body = (text.split("---\n", 2) + ["", ""])[:3]
        return front, body
    return "", text


def _title(front: str) -> str:
    match = re.search(r"^title:\s*(.*)$", front, re.MULTILINE)
    return match.group(1).strip().strip("\"'") if match else ""


def corpus_words(site: Path) -> tuple[list[str], collections.Counter, int]:
    """Term titles (sorted), and each word's document frequency over terms and articles (the
    title and the visible text: no front matter, link targets or code blocks)."""
    titles, df, docs = [], collections.Counter(), 0
    sources = sorted((site / "terms").glob("*.md")) + sorted((site / "content").rglob("*.md"))
    for path in sources:
        front, body = _front_and_body(path.read_text(encoding="utf-8"))
        title = _title(front)
        if path.parent == site / "terms" and title:
            titles.append(title)
        body = re.sub(r"```.*?```", " ", body, flags=re.DOTALL)
        body = re.sub(r"\]\([^)]*\)", "]", body)
        df.update(set(WORD.findall(f"{title} {body}".lower())))
        docs += 1
    return sorted(titles, key=str.lower), df, docs


def every_nth(items: list, count: int) -> list:
    step = max(1, len(items) // count)
    return items[step // 2 :: step][:count]


def pick_queries(site: Path) -> tuple[list[tuple[str, str]], int]:
    """~20 (kind, query), the same for the same corpus."""
    titles, df, docs = corpus_words(site)
    by_df = sorted(df, key=lambda w: (-df[w], w))
    common = [w for w in by_df if len(w) >= 4 and not w.isdigit()][:12:3]  # 4 of the 12 most common words
    named = every_nth(titles, 6)
    words = [w for w in sorted(df, key=lambda w: (df[w], w)) if not w.isdigit() and len(w) >= 3]
    rare = words[:2]  # the least frequent words
    numbers = every_nth(sorted((w for w in df if w.isdigit() and df[w] == 1), key=int), 2)  # in one page each
    title_words = [t.split()[0].lower() for t in named]
    pairs = [f"{common[0]} {common[1]}", f"{title_words[0]} {common[2]}", f"{rare[0]} {common[3]}",
             f"{title_words[1]} {title_words[2]}"]  # fmt: skip
    prefixes = [title_words[3][:4], common[1][:4]]
    queries = ([("common", w) for w in common] + [("term title", t) for t in named] + [("rare", w) for w in rare]
               + [("rare (one page)", w) for w in numbers] + [("two words", p) for p in pairs]
               + [("prefix", p) for p in prefixes])  # fmt: skip
    seen, unique = set(), []
    for kind, query in queries:
        if query.lower() not in seen:
            seen.add(query.lower())
            unique.append((kind, query))
    return unique, docs


# ---------------------------------------------------------------- serving and measuring


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a tree at the site's base path and logs (path, body bytes) of every response."""

    base_path = "/"
    log: list

    def translate_path(self, path):
        if self.base_path != "/" and path.startswith(self.base_path):
            path = "/" + path[len(self.base_path) :]
        return super().translate_path(path)

    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        self.log.append((urllib.parse.urlsplit(self.path).path, source.tell() - start))

    def log_message(self, *args):
        pass


def serve(tree: Path, base_path: str):
    log: list = []
    handler = type("Handler", (CountingHandler,), {"base_path": base_path, "log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(tree)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{base_path}", log


def kind_of(rel: str) -> str:
    """What a pagefind/ file is, for the breakdown."""
    name = rel.rsplit("/", 1)[-1]
    if "/index/" in rel:
        return "index chunks"
    if "/fragment/" in rel:
        return "fragments"
    if "/filter/" in rel:
        return "filters"
    if name.endswith(".js") or name.startswith("wasm."):
        return "runtime (js, wasm)"
    return "metadata"


KINDS = ["runtime (js, wasm)", "metadata", "index chunks", "fragments", "filters"]


def run_query(browser, url: str, log: list, bundle: str, query: str) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "search/")
        log.clear()  # the page itself (HTML, CSS, scripts) is not search's cost
        found = page.evaluate(RUN_QUERY, [query, SHOWN])
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    fetched = [(path, size) for path, size in list(log) if path.startswith(bundle)]
    if len({path for path, _ in fetched}) != len(fetched):
        print(f"  note: {query!r} fetched a file twice: {sorted(p for p, n in collections.Counter(p for p, _ in fetched).items() if n > 1)}")
    kinds = collections.Counter()
    for path, size in fetched:
        kinds[kind_of(path)] += size
    return {**found, "bytes": sum(size for _, size in fetched), "requests": len(fetched), "kinds": dict(kinds)}


def page_rel(url: str, base_path: str) -> str:
    """A result's URL as the output path its shard was chosen by."""
    path = urllib.parse.urlsplit(url).path
    path = path[len(base_path) :] if path.startswith(base_path) else path.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def kendall_tau(first: list[str], second: list[str]) -> float | None:
    """Kendall's tau of the order of the URLs both lists hold (None when fewer than two)."""
    shared = [u for u in first if u in set(second)]
    if len(shared) < 2:
        return None
    rank = {u: i for i, u in enumerate(second)}
    pairs = [(rank[a] < rank[b]) for i, a in enumerate(shared) for b in shared[i + 1 :]]
    return (2 * sum(pairs) - len(pairs)) / len(pairs)


def _rank(first: list[str], ids: list[str]) -> int | None:
    return ids.index(first[0]) + 1 if first and first[0] in ids else None


def compare(one: dict, sharded: dict) -> dict:
    ids_one, ids_sharded = set(one["ids"]), set(sharded["ids"])
    top_one, top_sharded = one["urls"][:10], sharded["urls"][:10]
    tops = min(len(top_one), len(top_sharded))
    return {
        "same_set": ids_one == ids_sharded,
        "extra": len(ids_sharded - ids_one),
        "missing": len(ids_one - ids_sharded),
        "same_top1": bool(one["urls"]) and one["urls"][:1] == sharded["urls"][:1],
        # Where each side's first result ranks on the other (1-based, by id; None: not found there).
        "top1_rank_in_sharded": _rank(one["ids"][:1], sharded["ids"]),
        "top1_rank_in_one": _rank(sharded["ids"][:1], one["ids"]),
        "top10_overlap": len(set(top_one) & set(top_sharded)) / tops if tops else None,
        "tau_top20": kendall_tau(one["urls"][:SHOWN], sharded["urls"][:SHOWN]),
        "ratio": sharded["bytes"] / one["bytes"] if one["bytes"] else None,
    }


# ---------------------------------------------------------------- report


def kb(n: float) -> str:
    return f"{n / 1024:,.0f}"


def fmt(value, spec=".2f", none="–") -> str:
    return none if value is None else format(value, spec)


def report(meta: dict, rows: list[dict]) -> str:
    ratios = [r["cmp"]["ratio"] for r in rows if r["cmp"]["ratio"] is not None]
    total_one, total_sharded = sum(r["one"]["bytes"] for r in rows), sum(r["sharded"]["bytes"] for r in rows)
    worst = max(ratios)
    lines = [
        "# Search: sharded index against one index",
        "",
        *([f"**{meta['label']}**", ""] if meta.get("label") else []),
        f"- Command: `{meta['command']}`",
        f"- Date: {meta['date']}; commit {meta['commit']}",
        f"- Corpus: {meta['terms']:,} terms, {meta['articles']:,} articles ({meta['markdown_mb']:.1f} MB of Markdown); "
        f"{meta['pages']:,} indexed pages",
        f"- Sharded: {meta['shards']} shards (`search_shard_pages: {meta['per_shard']}`; pages per shard "
        f"{', '.join(map(str, meta['shard_pages']))}), {meta['sharded_mb']:.1f} MB under pagefind/",
        f"- One index: {meta['one_pages']:,} pages, {meta['one_mb']:.1f} MB under pagefind/; Pagefind over them took "
        f"{meta['one_wall']:.1f} s" + (f", peak {meta['one_peak_mb']:,.0f} MB" if meta["one_peak_mb"] else ""),
        f"- Each query in a fresh browser context (empty cache): `glossarySearch(q)`, then `data()` of the first "
        f"{SHOWN} results. KB: bodies of every response under pagefind/ (shards.json, Pagefind's runtime, metadata, "
        "index chunks, fragments, filters), counted by the server. ms: in the page, indicative only. Results "
        "are compared by id (a hash of the page's indexed content) and URL: extra = found by the shards only, "
        "missing = by one index only; #1 ranks: one index's first result in the shards' order / the shards' "
        "first in one index's order; tau: Kendall's tau over the URLs both top-20s hold; shards in top-20: how many "
        "shards the 20 pages shown come from (one index's / the shards').",
        "",
        "| query | kind | results one / sharded | same set | extra / missing | top-1 same | #1 ranks on the other side "
        "| top-10 overlap | tau top-20 | shards in top-20 | KB one | KB sharded | ratio | ms one / sharded |",
        "|---|---|---:|:-:|---:|:-:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c = r["cmp"]
        lines.append(
            f"| `{r['query']}` | {r['kind']} | {len(r['one']['ids'])} / {len(r['sharded']['ids'])} "
            f"| {'yes' if c['same_set'] else 'no'} | {c['extra']} / {c['missing']} | {'yes' if c['same_top1'] else 'no'} "
            f"| {fmt(c['top1_rank_in_sharded'], 'd')} / {fmt(c['top1_rank_in_one'], 'd')} | {fmt(c['top10_overlap'], '.0%')} | {fmt(c['tau_top20'])} "
            f"| {r['one']['shards_shown']} / {r['sharded']['shards_shown']} | {kb(r['one']['bytes'])} "
            f"| {kb(r['sharded']['bytes'])} | {fmt(c['ratio'])}x | {r['one']['ms']:.0f} / {r['sharded']['ms']:.0f} |"
        )
    breakdown = {tree: collections.Counter() for tree in ("one", "sharded")}
    for r in rows:
        for tree in breakdown:
            breakdown[tree].update(r[tree]["kinds"])
    n = len(rows)
    overlaps = [r["cmp"]["top10_overlap"] for r in rows if r["cmp"]["top10_overlap"] is not None]
    taus = [r["cmp"]["tau_top20"] for r in rows if r["cmp"]["tau_top20"] is not None]
    verdict = "PASS" if worst <= TARGET else "FAIL"
    lines += [
        "",
        "## Summary",
        "",
        f"- Bytes, sharded / one: median {statistics.median(ratios):.2f}x, total {total_sharded / total_one:.2f}x "
        f"({kb(total_sharded)} KB against {kb(total_one)} KB over {n} queries), largest {worst:.2f}x "
        f"(`{max(rows, key=lambda r: r['cmp']['ratio'] or 0)['query']}`), smallest {min(ratios):.2f}x.",
        f"- Target (issue 18, at 10,000 articles): every query at most {TARGET}x: {verdict} on this corpus "
        f"({sum(x <= TARGET for x in ratios)} of {len(ratios)} queries within it).",
        f"- Same result set: {sum(r['cmp']['same_set'] for r in rows)} of {n} queries; pages the shards find and one "
        f"index does not: {sum(r['cmp']['extra'] for r in rows)} in all; pages one index finds and the shards miss: "
        f"{sum(r['cmp']['missing'] for r in rows)}.",
        f"- Same top result: {sum(r['cmp']['same_top1'] for r in rows)} of {n} (where not, one index's first "
        f"result ranks {', '.join(fmt(r['cmp']['top1_rank_in_sharded'], 'd') for r in rows if not r['cmp']['same_top1'])} "
        f"in the shards' order); top-10 overlap: median "
        f"{fmt(statistics.median(overlaps) if overlaps else None, '.0%')}, lowest {fmt(min(overlaps) if overlaps else None, '.0%')}; "
        f"Kendall's tau over the shared top-20: median {fmt(statistics.median(taus) if taus else None)}, "
        f"lowest {fmt(min(taus) if taus else None)}.",
        f"- Time in the page (indicative): median {statistics.median(r['one']['ms'] for r in rows):.0f} ms one, "
        f"{statistics.median(r['sharded']['ms'] for r in rows):.0f} ms sharded; requests per query: median "
        f"{statistics.median(r['one']['requests'] for r in rows):.0f} one, "
        f"{statistics.median(r['sharded']['requests'] for r in rows):.0f} sharded.",
        "",
        "Where the bytes go (KB, all queries):",
        "",
        "| tree | " + " | ".join(KINDS) + " | total |",
        "|---|" + "---:|" * (len(KINDS) + 1),
    ]
    for tree, counts in breakdown.items():
        lines.append(f"| {tree} | " + " | ".join(kb(counts[k]) for k in KINDS) + f" | {kb(sum(counts.values()))} |")
    return "\n".join(lines) + "\n"


def git(*args: str) -> str:
    run = subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True)
    return run.stdout.strip() if run.returncode == 0 else "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="the site's sources (site.yaml, terms/, content/)")
    parser.add_argument("--out", type=Path, required=True, help="its sharded build (`build SITE --output OUT`)")
    parser.add_argument("--work", type=Path, required=True, help="scratch: WORK/one, WORK/search-quality.json")
    parser.add_argument("--results", type=Path, default=HERE / "results-search.md", help="the markdown report")
    parser.add_argument("--label", default="", help="a line at the top of the report (e.g. 'Trial: 300 x 3,000')")
    args = parser.parse_args()
    site, out, work = args.site.resolve(), args.out.resolve(), args.work.resolve()
    if not (out / BUNDLE / "shards.json").is_file():
        raise SystemExit(f"{out} has no {BUNDLE}shards.json: build the site with search on first")
    from playwright.sync_api import sync_playwright  # only now: --help works without it

    work.mkdir(parents=True, exist_ok=True)
    print("indexing the same pages as one Pagefind index ...", flush=True)
    one = build_one(site, out, work / "one")  # first: RUSAGE_CHILDREN then sees only Pagefind
    queries, docs = pick_queries(site)
    shard_pages = bundle_pages(out)
    if sum(shard_pages) != sum(bundle_pages(work / "one")):
        raise SystemExit(f"the shards index {sum(shard_pages)} pages, the single index {sum(bundle_pages(work / 'one'))}")
    config_text = (site / "site.yaml").read_text() if (site / "site.yaml").is_file() else ""
    per_shard = re.search(r"^search_shard_pages:\s*(\d+)", config_text, re.MULTILINE)
    terms = len(list((site / "terms").glob("*.md")))
    meta = {
        "label": args.label,
        "command": shlex.join(["python", "bench/search_quality.py", *sys.argv[1:]]),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "commit": git("rev-parse", "--short", "HEAD") + (" (uncommitted changes in the tree)" if git("status", "--porcelain", "--untracked-files=no") else ""),
        "terms": terms,
        "articles": docs - terms,
        "markdown_mb": sum(p.stat().st_size for p in site.rglob("*.md")) / 1e6,
        "pages": one["pages"],
        "shards": len(shard_pages),
        "shard_pages": shard_pages,
        "per_shard": per_shard.group(1) if per_shard else "unset (the default: 400 a shard, up to 32 shards)",
        "sharded_mb": sum(p.stat().st_size for p in (out / BUNDLE).rglob("*") if p.is_file()) / 1e6,
        "one_pages": sum(bundle_pages(work / "one")),
        "one_mb": one["bytes"] / 1e6,
        "one_wall": one["wall"],
        "one_peak_mb": one["peak_mb"],
    }  # fmt: skip
    bundle = one["base_path"] + BUNDLE
    servers = {tree: serve(path, one["base_path"]) for tree, path in (("one", work / "one"), ("sharded", out))}
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            for kind, query in queries:
                row = {"query": query, "kind": kind}
                for tree in ("one", "sharded"):
                    _, url, log = servers[tree]
                    row[tree] = run_query(browser, url, log, bundle, query)
                row["cmp"] = compare(row["one"], row["sharded"])
                for tree in ("one", "sharded"):  # how many shards the pages shown come from
                    row[tree]["shards_shown"] = len({shard_of(page_rel(u, one["base_path"]), len(shard_pages))
                                                     for u in row[tree]["urls"]})  # fmt: skip
                rows.append(row)
                c = row["cmp"]
                print(f"  {query!r:28} {len(row['one']['ids']):5} / {len(row['sharded']['ids']):5} results, "
                      f"{kb(row['one']['bytes']):>6} / {kb(row['sharded']['bytes']):>6} KB ({fmt(c['ratio'])}x), "
                      f"top-10 overlap {fmt(c['top10_overlap'], '.0%')}", flush=True)  # fmt: skip
            browser.close()
    finally:
        for server, _, _ in servers.values():
            server.shutdown()
    text = report(meta, rows)
    (work / "search-quality.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    args.results.write_text(text)
    print()
    print(text)
    print(f"written: {args.results}, {work / 'search-quality.json'}")


if __name__ == "__main__":
    main()
