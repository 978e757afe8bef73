"""The repository's own example site, the seeds' long Hugo article, and the CLI entry points."""

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, SHARED, in_ci, run_cli

from glossary_site.build.pipeline import read_site
from glossary_site.commands.link_check import broken_links
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics

SEED_ARTICLE = SHARED / "seeds" / "long-article-hugo.md"


def copy_example(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for name in ("site.yaml", "terms", "content", "templates", "static"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        elif source.is_file():
            shutil.copy(source, site / name)
    return site


def test_example_site_meets_the_content_contract():
    diags = Diagnostics()
    corpus, graph, _ = read_site(load_config(REPO, diags), diags)
    assert not diags.has_errors
    assert len(graph.terms) >= 40 and len(corpus.articles) >= 6
    assert {"inspiration", "whitepaper", "booklet"} <= {a.kind for a in corpus.articles}
    assert {t.depth for t in graph.terms.values()} == {"basics", "deeper", "deepest"}
    assert set(graph.categories) == set(load_config(REPO, diags).categories)
    assert any(t.aliases for t in graph.terms.values()) and any(graph.related.values())
    assert max(len(a.body.split()) for a in corpus.articles) >= 2000
    assert any(a.source.endswith(".md") and a.params.get("ShowToc") for a in corpus.articles)


def test_example_site_builds_without_problems_and_every_link_resolves(tmp_path, capsys):
    code, _, err = run_cli(capsys, "build", REPO, "--output", tmp_path / "out")
    assert code == 0, err
    assert ": error:" not in err and ": warning:" not in err
    assert broken_links(tmp_path / "out") == []


def test_example_site_under_a_subpath(tmp_path, capsys):
    code, _, err = run_cli(capsys, "build", REPO, "--output", tmp_path / "out", "--base-url", "/my-repo/")
    assert code == 0, err
    assert broken_links(tmp_path / "out", "/my-repo/") == []


def test_example_site_builds_are_byte_identical(tmp_path, capsys):
    trees = []
    for name in ("one", "two"):
        assert run_cli(capsys, "build", REPO, "--output", tmp_path / name)[0] == 0
        trees.append({p.relative_to(tmp_path / name): p.read_bytes() for p in sorted((tmp_path / name).rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]


def test_seed_long_article_builds_unchanged_and_is_linked(tmp_path, capsys):
    if not SEED_ARTICLE.exists():
        if in_ci():
            pytest.fail(f"{SEED_ARTICLE} is missing in CI")
        pytest.skip(f"{SEED_ARTICLE} not present beside this checkout")
    site = copy_example(tmp_path)
    shutil.copy(SEED_ARTICLE, site / "content" / "ai-stack.md")
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 0, err
    html = (tmp_path / "out/articles/ai-stack/index.html").read_text()
    for slug in ("kv-cache", "moe", "gguf", "awq", "quantization", "rag", "mcp", "tensor-parallelism",
                 "memory-bandwidth", "llm"):
        assert f'data-term="{slug}"' in html, slug
    assert 'class="toc"' in html and "min read" in html and 'class="breadcrumbs"' in html
    assert "_glossary/copy.js" in html
    assert broken_links(tmp_path / "out") == []
    used_by = (tmp_path / "out/terms/kv-cache/index.html").read_text()
    assert 'href="/articles/ai-stack/"' in used_by


def test_python_dash_m_and_build_py_behave_like_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "glossary_site", "build", str(REPO), "--output", str(tmp_path / "a")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--output", str(tmp_path / "b")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b/terms/kv-cache/index.html").read_bytes() == (tmp_path / "a/terms/kv-cache/index.html").read_bytes()


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        run_cli(capsys, "build", "--no-such-flag")
    assert exc.value.code == 2
    assert run_cli(capsys, "build", tmp_path / "missing")[0] == 2


def test_init_creates_a_site_that_builds_with_the_packaged_theme(tmp_path, capsys):
    site = tmp_path / "mysite"
    assert run_cli(capsys, "init", site)[0] == 0
    code, _, err = run_cli(capsys, "build", site)
    assert code == 0, err
    assert 'data-term="token"' in (site / "public/articles/hello/index.html").read_text()
    assert broken_links(site / "public") == []
    code, _, err = run_cli(capsys, "init", site)
    assert code == 1 and "refusing to overwrite" in err


def test_check_writes_nothing_and_passes_on_the_example(capsys, tmp_path):
    site = copy_example(tmp_path)
    code, _, err = run_cli(capsys, "check", site)
    assert code == 0, err
    assert not (site / "public").exists()
