"""`build` after edits of existing articles or terms takes the edit path (the saved state, a
few pages, one atomic exchange) and publishes exactly what a clean build would."""

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import in_ci, make_site, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import BASE, apply, article_text, build, operation, term_text, tree

import glossary_site.build.pipeline as pipeline
from glossary_site.build.cache import CACHE_DIR, BuildCache, open_store
from glossary_site.build.cache_store import BLOB
from glossary_site.build.edit_path import PUBLISHED

_clock = iter(range(10**9))


def age(site: Path, paths=None) -> None:
    """Inputs written in the past, each edit a second after the last (outside the racy window)."""
    stamp = time.time() - 10_000 + next(_clock)
    for path in paths if paths is not None else [p for p in site.rglob("*") if CACHE_DIR not in p.parts]:
        if Path(path).exists():
            os.utime(path, (stamp, stamp))


@pytest.fixture
def full_builds(monkeypatch):
    calls = []
    real = pipeline.build_site
    monkeypatch.setattr(pipeline, "build_site", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def cli_build(capsys, site: Path) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "build", site, "--output", site.parent / "out", "--jobs", "1")
    return code, out + err


def assert_equals_clean(site: Path, label) -> None:
    clean = site.parent / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build(site, clean, BuildCache())
    assert tree(site.parent / "out") == tree(clean), label


def _site(tmp_path, capsys, files=BASE) -> Path:
    site = make_site(tmp_path / "site", files)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    return site


@settings(max_examples=20 if in_ci() else 15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=6))
def test_build_after_any_edits_equals_a_clean_build(tmp_path_factory, capsys, ops):
    root = tmp_path_factory.mktemp("edits")
    site = _site(root, capsys)
    real, calls = pipeline.build_site, []
    pipeline.build_site = lambda *a, **k: calls.append(1) or real(*a, **k)
    try:
        for step, op in enumerate(ops):
            existed = (site / f"content/{op[1]}.md").exists()
            age(site, [site / rel for rel in apply(site, op)])
            before = len(calls)
            code, _ = cli_build(capsys, site)
            if code == 0:
                assert_equals_clean(site, ops[: step + 1])
            if op[0] in ("edit-body", "reword") and existed:
                assert len(calls) == before, f"a body edit ({op[0]}) took the full build"
    finally:
        pipeline.build_site = real


def test_article_and_summary_edits_take_the_edit_path(tmp_path, capsys, full_builds):
    site = _site(tmp_path, capsys)
    full_builds.clear()
    edits = [
        ("content/a.md", article_text("Alpha", "2026-01-01", "The KV cache sits in memory, once more.")),
        ("content/c.md", article_text("Gamma", "2026-01-03", "Now a token and the GPU appear.")),  # links change
        ("terms/gpu.md", term_text("GPU", "A processor of many small cores.")),  # previewed on a and c
        ("content/a.md", article_text("Alpha", "2026-01-01", "Nothing linked any more.")),
    ]
    for rel, text in edits:
        (site / rel).write_text(text)
        age(site, [site / rel])
        code, output = cli_build(capsys, site)
        assert code == 0 and full_builds == [] and "1 edited file applied to the last build" in output, output
        assert_equals_clean(site, rel)
    assert "A processor of many small cores." in (tmp_path / "out/_glossary/previews.json").read_text()
    assert "A processor of many small cores." not in (tmp_path / "out/articles/c/index.html").read_text()
    code, output = cli_build(capsys, site)
    assert code == 0 and "up to date" in output  # the edit path recorded what it built


def test_edits_the_edit_path_cannot_take_run_the_full_build(tmp_path, capsys, full_builds):
    site = _site(tmp_path, capsys)
    full_builds.clear()
    for rel, text in [
        ("content/a.md", article_text("A new title", "2026-01-01", "The GPU.")),  # other pages show the title
        ("terms/gpu.md", term_text("GPU", "Same.", aliases=["graphics card"])),  # where links go
    ]:
        (site / rel).write_text(text)
        age(site, [site / rel])
        before = len(full_builds)
        assert cli_build(capsys, site)[0] == 0
        assert len(full_builds) == before + 1
        assert_equals_clean(site, rel)


def test_a_build_killed_while_staging_is_never_trusted_by_the_next_edit(tmp_path, capsys, full_builds):
    """A full build may leave anything in the staging directory; until one succeeds, the
    store holds no account of it, and the edit path re-clones it rather than trusting it."""
    site = _site(tmp_path, capsys)
    full_builds.clear()
    (site / "content/a.md").write_text(article_text("Alpha", "2026-01-01", "The GPU, edited."))
    age(site, [site / "content/a.md"])
    assert cli_build(capsys, site)[0] == 0 and full_builds == []
    store = open_store(site / CACHE_DIR)
    assert "articles/a/index.html" in store.get(PUBLISHED, BLOB)  # what the exchange changed
    staging = tmp_path / ".out.staging"
    (staging / "articles/b/index.html").unlink()  # a hard link to the published page: never written through
    (staging / "articles/b/index.html").write_text("junk a killed build left")  # as if killed mid-build
    store.write({PUBLISHED: ({}, [BLOB])})  # which is how the full build leaves the store until it succeeds
    (site / "content/c.md").write_text(article_text("Gamma", "2026-01-03", "A token, edited."))
    age(site, [site / "content/c.md"])
    assert cli_build(capsys, site)[0] == 0 and full_builds == []
    assert_equals_clean(site, "after a re-clone")
    (site / "content/a.md").write_text(article_text("Alpha", "2026-01-01", "The GPU, edited again."))
    age(site, [site / "content/a.md"])
    assert cli_build(capsys, site)[0] == 0 and full_builds == []
    assert_equals_clean(site, "after the next exchange")  # the junk never reached the output


def test_an_output_page_deleted_by_hand_takes_the_full_build(tmp_path, capsys, full_builds):
    site = _site(tmp_path, capsys)
    full_builds.clear()
    (tmp_path / "out/terms/gpu/index.html").unlink()
    (site / "content/a.md").write_text(article_text("Alpha", "2026-01-01", "The GPU, edited."))
    age(site, [site / "content/a.md"])
    assert cli_build(capsys, site)[0] == 0 and len(full_builds) == 1
    assert_equals_clean(site, "restored")
