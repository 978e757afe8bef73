"""Crash safety: `build` killed with SIGKILL at any moment leaves the old site or the new one,
never a mix, and the next build completes normally from whatever cache is on disk."""

import shutil
import subprocess
import sys
import time
from pathlib import Path

from conftest import make_site

from glossary_site.build.cache import CACHE_DIR, BuildCache
from glossary_site.content.diagnostics import Diagnostics

TERMS = {f"terms/t{i}.md": f"---\ntitle: Term{i}\nsummary: Summary {i}.\ncategory: General\ndepth: basics\n---\nBody {i}.\n"
         for i in range(20)}  # fmt: skip


def article(i: int, extra: str = "") -> str:
    words = " ".join(f"Term{(i + k) % 20} runs on a small box." for k in range(60))
    return f"---\ntitle: Post {i}\ndate: 2026-01-{i % 28 + 1:02}\n---\n## Part\n\n{words}\n\n{extra}\n"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(site: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "glossary_site", "build", str(site), "--output", str(out), "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip


def test_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    site = make_site(tmp_path / "site", {**TERMS, **{f"content/p{i}.md": article(i) for i in range(150)}})
    out = tmp_path / "out"
    assert build(site, out).wait() == 0
    old, old_cache = tree(out), (site / CACHE_DIR / "cache.sqlite").read_bytes()
    for i in range(150):  # every article page and most term pages change
        (site / f"content/p{i}.md").write_text(article(i, "A new closing line."))
    started = time.perf_counter()
    assert build(site, tmp_path / "reference").wait() == 0  # the new site, built cleanly elsewhere
    duration = time.perf_counter() - started
    new = tree(tmp_path / "reference")
    assert new != old
    outcomes = []
    for trial in range(10):
        shutil.rmtree(out)
        _restore(out, old)
        (site / CACHE_DIR / "cache.sqlite").write_bytes(old_cache)
        process = build(site, out)
        time.sleep(duration * (0.3 + 0.08 * trial))  # from start-up to the last file
        process.kill()
        process.wait()
        now = tree(out)
        assert now in (old, new), f"trial {trial}: a mix of two sites"
        outcomes.append("new" if now == new else "old")
        diags = Diagnostics()
        BuildCache.load(site, diags)  # never raises; a damaged cache would be a note
        finish = build(site, out)
        assert finish.wait() == 0, finish.stderr.read().decode()
        assert tree(out) == new
    assert "old" in outcomes  # the kills did land during builds


def _restore(out: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)




def test_an_edit_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    """The edit path publishes through the staging directory too: a kill leaves the old site
    or the new one, and the next build (edit path or full) ends at the new one."""
    import os

    site = make_site(tmp_path / "site", {**TERMS, **{f"content/p{i}.md": article(i) for i in range(150)}})
    past = time.time() - 1000
    for path in site.rglob("*.md"):
        os.utime(path, (past, past))
    out = tmp_path / "out"
    assert build(site, out).wait() == 0
    old, old_state = tree(out), tree(site / CACHE_DIR)
    term = site / "terms/t3.md"
    term.write_text(TERMS["terms/t3.md"].replace("Summary 3.", "A new summary for three."))
    os.utime(term, (past + 10, past + 10))
    reference = tmp_path / "reference"
    shutil.copytree(site, reference / "site", ignore=shutil.ignore_patterns(CACHE_DIR))
    assert build(reference / "site", reference / "out").wait() == 0  # the new site, built cleanly
    new = tree(reference / "out")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "glossary_site", "build", str(site), "--output", str(out)],
                          capture_output=True, text=True)  # the edit path: Term3's page, the listings, the preview file
    duration = time.perf_counter() - started
    assert done.returncode == 0 and "1 edited file applied to the last build" in done.stdout, done.stdout + done.stderr
    assert tree(out) == new
    outcomes = []
    for trial in range(8):
        shutil.rmtree(out)
        _restore(out, old)
        shutil.rmtree(site / CACHE_DIR)
        _restore(site / CACHE_DIR, old_state)
        process = build(site, out)
        time.sleep(duration * (0.1 + 0.1 * trial) / 2)
        process.kill()
        process.wait()
        now = tree(out)
        assert now in (old, new), f"trial {trial}: a mix of two sites"
        outcomes.append("new" if now == new else "old")
        finish = build(site, out)
        assert finish.wait() == 0, finish.stderr.read().decode()
        assert tree(out) == new
    assert "old" in outcomes
