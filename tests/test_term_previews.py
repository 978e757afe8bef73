"""Term previews without a summary on every page: a page that links a term shows its label (title,
depth, category) and the summaries are kept once, in _glossary/previews.json, which previews.js
fetches. So article pages stay small, and a term's summary edit renders none of them."""

import json
import re

from conftest import make_site, run_cli
from test_edit_path import _site, age, assert_equals_clean, cli_build
from test_incremental import BASE, article_text, term_text

import glossary_site.build.article_pages as article_unit

SUMMARIES = {"kv-cache": "Keys and values kept between steps on the GPU.", "gpu": "A parallel processor for the maths.",
             "token": "A piece of text a model reads."}  # fmt: skip


def _rendered(monkeypatch, log):
    """Record the slug of every article page rendered, in whichever process renders it."""
    real = article_unit.ArticleRenderer.run

    def run(self, article, *rest):
        with open(log, "a") as out:
            out.write(article.slug + "\n")
        return real(self, article, *rest)

    monkeypatch.setattr(article_unit.ArticleRenderer, "run", run)


def test_pages_show_labels_and_the_preview_file_holds_every_summary_once(tmp_path, capsys):
    _site(tmp_path, capsys)
    out = tmp_path / "out"
    data = (out / "_glossary/previews.json").read_bytes()
    assert json.loads(data) == SUMMARIES and list(json.loads(data)) == sorted(SUMMARIES)  # sorted: deterministic
    page = (out / "articles/a/index.html").read_text()
    assert not [summary for summary in SUMMARIES.values() if summary in page]
    assert ('<li id="term-tip-gpu"><a href="/terms/gpu/">GPU</a> <span class="depth depth-basics">basics</span> '
            '<span class="category">General</span></li>') in page  # fmt: skip
    assert 'aria-describedby="term-tip-gpu"' in page  # the link is described by its entry
    assert 'data-previews="/_glossary/previews.json"' in page
    term = (out / "terms/kv-cache/index.html").read_text()  # "Terms used in this definition": labels too
    assert 'id="term-tip-gpu"' in term and SUMMARIES["gpu"] not in term


def test_a_base_path_reaches_the_preview_file_address(tmp_path, capsys):
    site = make_site(tmp_path / "site", {**BASE, "site.yaml": "search: false\nbase_url: /docs/\n"})
    assert run_cli(capsys, "build", site, "--output", tmp_path / "out")[0] == 0
    page = (tmp_path / "out/articles/a/index.html").read_text()
    assert 'src="/docs/_glossary/previews.js" data-previews="/docs/_glossary/previews.json"' in page


def test_without_previews_there_is_no_preview_file_nor_script(tmp_path, capsys):
    site = make_site(tmp_path / "site", {**BASE, "site.yaml": "search: false\npreviews: false\n"})
    assert run_cli(capsys, "build", site, "--output", tmp_path / "out")[0] == 0
    assert not (tmp_path / "out/_glossary/previews.json").exists()
    page = (tmp_path / "out/articles/a/index.html").read_text()
    assert "previews.js" not in page and "aria-describedby" not in page
    assert 'id="term-tip-gpu"' in page  # "Terms in this article" lists the labels all the same


def test_a_summary_edit_renders_no_article_page(tmp_path, capsys, monkeypatch):
    site = _site(tmp_path, capsys)
    before = {p: p.read_bytes() for p in (tmp_path / "out/articles").rglob("*.html")}
    log = tmp_path / "rendered"
    _rendered(monkeypatch, log)
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    code, output = cli_build(capsys, site)
    assert code == 0 and "1 edited file applied to the last build" in output, output
    assert not log.exists()
    assert {p: p.read_bytes() for p in (tmp_path / "out/articles").rglob("*.html")} == before
    assert json.loads((tmp_path / "out/_glossary/previews.json").read_text())["gpu"] == "A processor of many small cores."
    assert_equals_clean(site, "summary edit")


def test_a_summary_linked_by_many_articles_writes_a_few_files(tmp_path, capsys, monkeypatch):
    files = dict(BASE)
    files.update({f"content/n{i:02}.md": article_text(f"Note {i}", "2026-02-01", f"The GPU, note {i}.")
                  for i in range(80)})  # fmt: skip
    site = make_site(tmp_path / "site", files)
    age(site)
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out", "--jobs", "2")
    assert code == 0, err
    log = tmp_path / "rendered"
    _rendered(monkeypatch, log)
    (site / "terms/gpu.md").write_text(term_text("GPU", "A processor of many small cores."))
    age(site, [site / "terms/gpu.md"])
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out", "--jobs", "2")
    assert code == 0 and "1 edited file applied" in out + err, out + err
    assert not log.exists()
    # its page, the glossary, A-Z, its category and depth pages, graph.json and the preview file
    assert re.search(r"\(7 written, 0 removed; 1 edited file applied", out + err), out + err
    assert_equals_clean(site, "a summary 82 articles link")


def test_a_term_page_linking_an_edited_term_is_left_alone(tmp_path, capsys):
    files = {**BASE, "terms/gpu.md": term_text("GPU", "A parallel processor for the maths.") + "Runs a KV cache.\n"}
    site = make_site(tmp_path / "site", files)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    page = tmp_path / "out/terms/gpu/index.html"
    before = page.read_bytes()
    # (its sentence that mentions the GPU stays: the GPU's page shows it under "Terms that mention it")
    (site / "terms/kv-cache.md").write_text(term_text("KV cache", "Keys and values kept between steps on the GPU. They grow."))
    age(site, [site / "terms/kv-cache.md"])
    code, output = cli_build(capsys, site)
    assert code == 0 and "1 edited file applied" in output, output
    assert page.read_bytes() == before and 'id="term-tip-kv-cache"' in before.decode()
    assert_equals_clean(site, "a term page that links the edited one")


def test_an_entry_template_cannot_show_a_summary(tmp_path, capsys):
    """A site's own macros.html gets labels: an entry printing a summary is an error, never a page
    that would go stale when the summary changes (its key does not hold the summary)."""
    macros = ('{% macro article_term(term) %}<li id="term-tip-{{ term.slug }}">{{ term.title }}: {{ term.summary }}</li>'
              '{% endmacro %}\n{% macro article_entry(article) %}<li>{{ article.title }}</li>{% endmacro %}\n'
              '{% macro term_entry(term, show_category=true) %}<li>{{ term.title }}</li>{% endmacro %}\n'
              '{% macro depth_badge(depth) %}{{ depth }}{% endmacro %}\n'
              '{% macro breadcrumbs(items) %}{% endmacro %}\n')  # fmt: skip
    site = make_site(tmp_path / "site", {**BASE, "templates/macros.html": macros})
    code, out, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1 and "macros.html" in out + err and "summary" in out + err, out + err
