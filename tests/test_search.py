"""Search on: the Pagefind bundle is built, kept while no indexed page changes, rebuilt by
both the build and the dev server's fast paths exactly as a clean build would make it."""

from conftest import make_site
from test_incremental import BASE, apply, build, tree

from glossary_site.build.cache import BuildCache
from glossary_site.build.fast_paths import apply_edits
from glossary_site.build.pipeline import build_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics

SEARCH_ON = {**BASE, "site.yaml": "search: true\n"}


def _bundle(root):
    return {rel: data for rel, data in tree(root).items() if rel.startswith("pagefind/")}


def test_search_bundle_is_built_kept_and_rebuilt_like_a_clean_build(tmp_path):
    site = make_site(tmp_path / "site", SEARCH_ON)
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache)
    first = _bundle(tmp_path / "out")
    assert "pagefind/pagefind.js" in first and "pagefind/pagefind-entry.json" in first
    assert any(rel.startswith("pagefind/fragment/") for rel in first)
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache).rendered == []  # nothing changed: bundle kept
    apply(site, ("edit-body", "c", "Now about a GPU and zebras."))
    rendered = build_site(config, Diagnostics(), cache=cache).rendered
    assert "articles/c/index.html" in rendered and any(r.startswith("pagefind/") for r in rendered)
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    assert _bundle(tmp_path / "out") != first


def test_dev_server_fast_paths_rebuild_the_search_bundle(tmp_path):
    site = make_site(tmp_path / "site", SEARCH_ON)
    cache = BuildCache()
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache, keep_bodies=True).ok
    for op, path in ((("edit-body", "a", "The KV cache holds zebras."), "content/a.md"),
                     (("edit-summary", "GPU", "A card that draws giraffes"), "terms/gpu.md")):  # fmt: skip
        apply(site, op)
        result = apply_edits(cache.live, cache, [path])
        assert result is not None and result.ok, op  # the fast path ran, search and all
        clean = tmp_path / f"clean-{path.replace('/', '-')}"
        assert build(site, clean, BuildCache())
        assert tree(tmp_path / "out") == tree(clean), op
        assert build_site(config, Diagnostics(), cache=cache).rendered == []  # the cache agrees


def test_search_off_leaves_no_bundle_page_or_link(tmp_path):
    site = make_site(tmp_path / "site", {**BASE, "site.yaml": "search: false\n"})
    assert build(site, tmp_path / "out", BuildCache())
    files = tree(tmp_path / "out")
    assert not any(rel.startswith(("pagefind/", "search/")) for rel in files)
    assert b"/search/" not in files["index.html"]


def test_a_site_whose_templates_leave_nothing_to_index_warns_and_builds(tmp_path):
    site = make_site(tmp_path / "site", {**SEARCH_ON, "templates/article.html": "{{ article.title }}\n",
                                         "templates/term.html": "{{ term.title }}\n"})  # fmt: skip
    diags = Diagnostics()
    config = load_config(site, diags, output=tmp_path / "out")
    assert build_site(config, diags, cache=BuildCache()).ok
    assert any("no term or article page had text to index" in str(d) for d in diags.items)
