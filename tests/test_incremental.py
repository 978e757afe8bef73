"""Incremental and parallel builds produce exactly the bytes of a clean one-process build."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import in_ci, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary_site.build.cache import BuildCache
from glossary_site.build.fast_paths import apply_edits
from glossary_site.build.pipeline import build_site
from glossary_site.build.workers import THRESHOLD as PARALLEL_THRESHOLD
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics

NAMES = ["KV cache", "GPU", "OOM", "token", "prompt engineering", "LoRA", "RAG", "embedding"]
WORDS = ["the", "fast", "memory", "model", "runs", "on", "a", "small", "box", "tokens", "GPUs", "kv cache"]


def term_text(title, summary, aliases=(), depth="basics"):
    alias_line = f"aliases: [{', '.join(aliases)}]\n" if aliases else ""
    return f"---\ntitle: {title}\nsummary: {summary}\ncategory: General\ndepth: {depth}\n{alias_line}---\n{summary} More words.\n"


def article_text(title, date, body, tags=("notes",)):
    return f"---\ntitle: {title}\ndate: {date}\nsummary: About {title}.\ntags: [{', '.join(tags)}]\n---\n{body}\n"


# Search off here: Pagefind re-indexes every term and article page after each step, which made
# these loops three times slower; tests/test_search.py runs both paths with search on.
BASE = {
    "site.yaml": "search: false\n",
    "terms/kv-cache.md": term_text("KV cache", "Keys and values kept between steps on the GPU."),
    "terms/gpu.md": term_text("GPU", "A parallel processor for the maths."),
    "terms/token.md": term_text("token", "A piece of text a model reads."),
    "content/a.md": article_text("Alpha", "2026-01-01", "The KV cache sits on the GPU."),
    "content/b.md": article_text("Beta", "2026-01-02", "Every token costs memory."),
    "content/c.md": article_text("Gamma", "2026-01-03", "Nothing to link here."),
}

slug_of = {name: name.lower().replace(" ", "-") for name in NAMES}
REWORDINGS = ["Indeed, {}", "{} indeed", "Sometimes {} too", "{}. Then more", "Oh! {}"]
"""Edits that change only the sentences around the mentions (the same terms, in the same order):
no word here is, or makes with its neighbour, a term's name."""
sentence = st.lists(st.sampled_from(WORDS + NAMES), min_size=1, max_size=12).map(" ".join)
operation = st.one_of(
    st.tuples(st.just("edit-article"), st.sampled_from("abcde"), sentence),
    st.tuples(st.just("edit-body"), st.sampled_from("abcde"), sentence),
    st.tuples(st.just("reword"), st.sampled_from("abcde"), st.sampled_from(REWORDINGS)),
    st.tuples(st.just("reword-term"), st.sampled_from(["KV cache", "GPU", "token"]), st.sampled_from(REWORDINGS)),
    st.tuples(st.just("retitle-article"), st.sampled_from("abcde"), st.sampled_from(["Alpha", "Zeta", "Omega"])),
    st.tuples(st.just("delete-article"), st.sampled_from("abcde"), st.just("")),
    st.tuples(st.just("edit-summary"), st.sampled_from(NAMES), sentence),
    st.tuples(st.just("edit-summary"), st.sampled_from(["GPU", "token"]), sentence),  # terms that others link
    st.tuples(st.just("add-alias"), st.sampled_from(NAMES), st.sampled_from(["graphics card", "key-value cache", "adapter"])),
    st.tuples(st.just("delete-term"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("move-term"), st.sampled_from(["GPU", "token", "KV cache"]), st.sampled_from(["basics", "deeper"])),
    st.tuples(st.just("edit-template"), st.just("footer.html"), sentence),
    st.tuples(st.just("policy"), st.sampled_from(["first-per-article", "every"]), st.just("")),
)


def apply(site: Path, op) -> list[str]:
    """Make the edit; returns the site-relative paths it touched (what the watcher would report)."""
    kind, target, text = op
    if kind in ("edit-article", "edit-body", "reword", "retitle-article", "delete-article"):
        touched = [f"content/{target}.md"]
    elif kind in ("edit-summary", "add-alias", "delete-term", "move-term", "reword-term"):
        touched = [f"terms/{slug_of[target]}.md"]
    else:
        touched = ["templates/footer.html" if kind == "edit-template" else "site.yaml"]
    _apply(site, op)
    return touched


def _apply(site: Path, op) -> None:
    kind, target, text = op
    if kind == "edit-body":
        path = site / f"content/{target}.md"
        if path.exists():
            front = path.read_text().split("---\n", 2)[1]
            path.write_text(f"---\n{front}---\n{text}\n")
    elif kind == "reword":  # the sentence around each mention changes, and nothing else
        path = site / f"content/{target}.md"
        if path.exists():
            _, front, body = path.read_text().split("---\n", 2)
            path.write_text(f"---\n{front}---\n{text.format(body.strip())}\n")
    elif kind == "reword-term":  # the sentence of each mention in its summary (its first) changes
        path = site / f"terms/{slug_of[target]}.md"
        if path.exists():
            old = path.read_text()
            summary = old.split("summary: ", 1)[1].split("\n", 1)[0]
            aliases = old.split("aliases: [", 1)[1].split("]", 1)[0].split(", ") if "aliases: [" in old else ()
            depth = old.split("depth: ", 1)[1].split("\n", 1)[0]
            path.write_text(term_text(target, text.format(summary), aliases, depth=depth))
    elif kind == "edit-article":
        (site / f"content/{target}.md").write_text(article_text(f"Post {target}", f"2026-02-0{'abcde'.index(target) + 1}", text))
    elif kind == "retitle-article":
        path = site / f"content/{target}.md"
        if path.exists():
            body = path.read_text().split("---\n", 2)[2]
            path.write_text(article_text(text, "2026-03-01", body.strip(), tags=("renamed",)))
    elif kind == "delete-article":
        (site / f"content/{target}.md").unlink(missing_ok=True)
    elif kind == "edit-summary":
        (site / f"terms/{slug_of[target]}.md").write_text(term_text(target, text + "."))
    elif kind == "add-alias":
        path = site / f"terms/{slug_of[target]}.md"
        others = [p for p in (site / "terms").glob("*.md") if p != path and text in p.read_text()]
        if not others:
            path.write_text(term_text(target, f"{target} summary.", aliases=[text]))
    elif kind == "delete-term":
        (site / f"terms/{slug_of[target]}.md").unlink(missing_ok=True)
    elif kind == "move-term":  # another depth: what article pages show of the term (its label) changes
        path = site / f"terms/{slug_of[target]}.md"
        if path.exists():
            old = path.read_text()
            summary = old.split("summary: ", 1)[1].split("\n", 1)[0]
            aliases = old.split("aliases: [", 1)[1].split("]", 1)[0].split(", ") if "aliases: [" in old else ()
            path.write_text(term_text(target, summary, aliases, depth=text))
    elif kind == "edit-template":
        (site / "templates").mkdir(exist_ok=True)
        (site / "templates/footer.html").write_text(f"<footer>{text}</footer>\n")
    elif kind == "policy":
        (site / "site.yaml").write_text(f"search: false\nlink_policy: {target}\n")


def build(site: Path, output: Path, cache: BuildCache, jobs: int = 1, keep_bodies: bool = False) -> bool:
    diags = Diagnostics()
    config = load_config(site, diags, output=output)
    return build_site(config, diags, cache=cache, jobs=jobs, keep_bodies=keep_bodies).ok


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_routes_equal_clean(root: Path, site: Path, ops, apply_op) -> None:
    """After each of `ops` (applied by `apply_op(site, op)`, which returns the touched paths), the
    incremental build and the dev server's route (edits applied to the live build, else a full
    build) give the tree of a clean build, and succeed or fail with it."""
    inc, live = BuildCache(), BuildCache()
    assert build(site, root / "inc", inc)
    assert build(site, root / "live", live, keep_bodies=True)
    for step, op in enumerate(ops):
        changed = apply_op(site, op)
        ok = build(site, root / "inc", inc)
        diags = Diagnostics()
        config = load_config(site, diags, output=root / "live")
        result = apply_edits(live.live, live, changed) or build_site(config, diags, cache=live, keep_bodies=True)
        clean = root / f"clean{step}"
        assert build(site, clean, BuildCache()) == ok == result.ok
        if ok:
            assert tree(root / "inc") == tree(clean) == tree(root / "live"), f"after {ops[: step + 1]}"
        shutil.rmtree(clean, ignore_errors=True)


@settings(max_examples=60 if in_ci() else 25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=6))
def test_incremental_build_equals_clean_build_after_any_edits(tmp_path_factory, ops):
    root = tmp_path_factory.mktemp("inc")
    site = make_site(root / "site", BASE)
    cache = BuildCache()
    assert build(site, root / "inc", cache)
    for step, op in enumerate(ops):
        apply(site, op)
        ok = build(site, root / "inc", cache)
        clean_out = root / f"clean{step}"
        assert build(site, clean_out, BuildCache()) == ok
        if ok:
            assert tree(root / "inc") == tree(clean_out), f"after {ops[: step + 1]}"
        shutil.rmtree(clean_out, ignore_errors=True)


@settings(max_examples=60 if in_ci() else 25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=6))
def test_dev_server_rebuilds_equal_clean_builds_after_any_edits(tmp_path_factory, ops):
    """What `serve` does: the article fast path when it applies, else a full warm rebuild."""
    root = tmp_path_factory.mktemp("serve")
    site = make_site(root / "site", BASE)
    cache = BuildCache()
    assert build(site, root / "inc", cache, keep_bodies=True)
    for step, op in enumerate(ops):
        changed = apply(site, op)
        diags = Diagnostics()
        config = load_config(site, diags, output=root / "inc")
        reword = op[0] == "reword" and (site / changed[0]).exists() and cache.live is not None
        fast = apply_edits(cache.live, cache, changed)
        assert fast is not None or not reword, f"a reword took the full rebuild after {ops[: step + 1]}"
        result = fast or build_site(config, diags, cache=cache, keep_bodies=True)
        clean_out = root / f"clean{step}"
        assert build(site, clean_out, BuildCache()) == result.ok
        if result.ok:
            assert tree(root / "inc") == tree(clean_out), f"after {ops[: step + 1]}"
        shutil.rmtree(clean_out, ignore_errors=True)


def _served_site(tmp_path):
    """The base site after a first build as `serve` does it (bodies kept for the fast paths)."""
    site = make_site(tmp_path / "site", BASE)
    cache = BuildCache()
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache, keep_bodies=True).ok
    return site, cache, config


def _assert_published_equals_clean(site, cache, config, tmp_path):
    assert build_site(config, Diagnostics(), cache=cache).rendered == []  # the cache agrees with what was published
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_body_edit_takes_the_fast_path_and_renders_only_what_shows_it(tmp_path):
    site, cache, config = _served_site(tmp_path)
    apply(site, ("edit-body", "c", "Now about a GPU."))
    result = apply_edits(cache.live, cache, ["content/c.md"])
    assert result is not None and result.ok
    # The article now uses a term of category "General": that category's feed lists it.
    assert result.rendered == ["articles/c/index.html", "categories/general/feed.xml", "graph.json",
                               "terms/gpu/index.html"]
    assert "/articles/c/" in (tmp_path / "out/terms/gpu/index.html").read_text()
    _assert_published_equals_clean(site, cache, config, tmp_path)
    # a retitle changes what listings show: the fast path declines and a full rebuild runs
    apply(site, ("retitle-article", "c", "Omega"))
    assert apply_edits(cache.live, cache, ["content/c.md"]) is None


def test_summary_edit_takes_the_fast_path_and_updates_every_page_showing_it(tmp_path):
    site, cache, config = _served_site(tmp_path)
    before = tree(tmp_path / "out")
    apply(site, ("edit-summary", "token", "Now a different summary"))
    result = apply_edits(cache.live, cache, ["terms/token.md"])
    assert result is not None and result.ok
    # The term's page, the listings that print its summary, graph.json and the preview file;
    # no article page: they show the term's label, and previews take the summary from the file.
    assert result.rendered == ["_glossary/previews.json", "a-z/index.html", "categories/general/index.html",
                               "depth/basics/index.html", "graph.json", "terms/index.html", "terms/token/index.html"]
    assert json.loads((tmp_path / "out/_glossary/previews.json").read_text())["token"] == "Now a different summary."
    assert tree(tmp_path / "out")["articles/b/index.html"] == before["articles/b/index.html"]  # links token
    _assert_published_equals_clean(site, cache, config, tmp_path)
    apply(site, ("add-alias", "token", "adapter"))  # a new name changes where links go: full rebuild
    assert apply_edits(cache.live, cache, ["terms/token.md"]) is None


def test_no_change_rebuild_writes_nothing(tmp_path):
    site = make_site(tmp_path / "site", BASE)
    cache = BuildCache()
    diags = Diagnostics()
    config = load_config(site, diags, output=tmp_path / "out")
    assert build_site(config, diags, cache=cache).ok
    again = build_site(config, diags, cache=cache)
    assert again.ok and again.rendered == [] and again.removed == []


def test_article_edit_renders_only_what_shows_it(tmp_path):
    site = make_site(tmp_path / "site", BASE)
    cache = BuildCache()
    diags = Diagnostics()
    config = load_config(site, diags, output=tmp_path / "out")
    assert build_site(config, diags, cache=cache).ok
    (site / "content/c.md").write_text(article_text("Gamma", "2026-01-03", "Now about a GPU."))
    result = build_site(config, diags, cache=cache)
    # the article, the term page that gains a backlink, the pages listing articles, graph.json
    assert "articles/c/index.html" in result.rendered and "terms/gpu/index.html" in result.rendered
    assert "terms/token/index.html" not in result.rendered and "articles/a/index.html" not in result.rendered


def test_term_summary_edit_renders_no_article_page_and_a_depth_edit_renders_those_linking_it(tmp_path):
    site = make_site(tmp_path / "site", BASE)
    cache = BuildCache()
    diags = Diagnostics()
    config = load_config(site, diags, output=tmp_path / "out")
    assert build_site(config, diags, cache=cache).ok
    (site / "terms/token.md").write_text(term_text("token", "A new summary of a token."))
    result = build_site(config, diags, cache=cache)
    assert "terms/token/index.html" in result.rendered and "_glossary/previews.json" in result.rendered
    assert not [rel for rel in result.rendered if rel.startswith("articles/")]  # none shows a summary
    assert "A new summary of a token." not in (tmp_path / "out/articles/b/index.html").read_text()
    (site / "terms/token.md").write_text(term_text("token", "A new summary of a token.", depth="deeper"))
    result = build_site(config, diags, cache=cache)
    assert "articles/b/index.html" in result.rendered  # links token: its entry shows the depth
    assert "articles/a/index.html" not in result.rendered  # does not mention token
    assert 'class="depth depth-deeper">deeper</span>' in (tmp_path / "out/articles/b/index.html").read_text()


def test_corrupt_cache_is_ignored_with_a_note(tmp_path):
    site = make_site(tmp_path / "site", BASE)
    (site / ".glossary-cache").mkdir()
    (site / ".glossary-cache/cache.sqlite").write_bytes(b"not a database, not at all" * 40)
    diags = Diagnostics()
    cache = BuildCache.load(site, diags)
    assert cache.pages == {} and "ignoring an unreadable build cache" in str(diags.items[0])


def test_parallel_build_is_byte_identical_to_one_process(tmp_path):
    # Enough articles and terms that both article units and term pages go to worker processes.
    files = dict(BASE)
    for i in range(PARALLEL_THRESHOLD + 20):
        files[f"content/p{i:03}.md"] = article_text(f"Post {i}", f"2026-01-{i % 28 + 1:02}",
                                                    f"A GPU and a token, number {i}, and widget {i % 7}.")
        files[f"terms/widget-{i}.md"] = term_text(f"Widget {i}", f"Widget number {i}, a part of a GPU.")
    site = make_site(tmp_path / "site", files)
    assert build(site, tmp_path / "one", BuildCache(), jobs=1)
    assert build(site, tmp_path / "two", BuildCache(), jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def _cli_build(site: Path, out: Path) -> BuildCache:
    """What `glossary-site build` does: load the cache from disk, build, save it."""
    diags = Diagnostics()
    cache = BuildCache.load(site, diags)
    assert build_site(load_config(site, diags, output=out), diags, cache=cache).ok, diags.items
    cache.save(site)
    return cache


def test_build_reassembles_pages_around_bodies_kept_on_disk(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", BASE)
    _cli_build(site, tmp_path / "out")
    kept = {p.name for p in (site / ".glossary-cache/bodies").iterdir() if not p.name.startswith(".")}
    assert len(kept) == 3  # one body per article
    (site / "terms/token.md").write_text(term_text("token", "A piece of text a model reads.", depth="deeper"))
    calls = []
    import glossary_site.build.article_pages as unit

    monkeypatch.setattr(unit, "render_markdown", lambda *a: calls.append(a) or pytest.fail("re-rendered a kept body"))
    _cli_build(site, tmp_path / "out")  # a new process would find the same files
    assert calls == []  # b shows token's entry: its page was put together again around its kept body
    assert 'class="depth depth-deeper">deeper</span>' in (tmp_path / "out/articles/b/index.html").read_text()
    monkeypatch.undo()
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_damaged_or_stale_kept_bodies_are_rendered_again(tmp_path):
    site = make_site(tmp_path / "site", BASE)
    _cli_build(site, tmp_path / "out")
    bodies = site / ".glossary-cache/bodies"
    for path in bodies.iterdir():
        path.write_bytes(b"damaged")
    (site / "terms/token.md").write_text(term_text("token", "A new summary of a token.", depth="deeper"))
    (site / "content/a.md").write_text(article_text("Alpha", "2026-01-01", "Now the GPU alone."))
    before = {p.name for p in bodies.iterdir()}
    cache = _cli_build(site, tmp_path / "out")
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    after = {p.name for p in bodies.iterdir() if not p.name.startswith(".")}
    assert after == set(cache.bodies.index.values()) and len(after - before) == 1  # the old body of a.md was swept


def test_a_template_cache_removed_under_a_build_costs_a_compile_not_the_build(tmp_path):
    """Jinja's bytecode cache folder deleted while a build runs (`rm -rf .glossary-cache`,
    `git clean -fdX`, a CI cache step): the templates compile again and the build goes on."""
    from glossary_site.build.cache import CACHE_DIR, COMPILED
    from glossary_site.pages.templates import make_environment

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "plain.html").write_text("<p>{{ word }}</p>")
    compiled = tmp_path / CACHE_DIR / COMPILED
    env = make_environment(tmp_path, compiled)
    shutil.rmtree(tmp_path / CACHE_DIR)
    assert env.get_template("plain.html").render(word="kept") == "<p>kept</p>"  # its cache write failed
    assert not compiled.exists()
    env = make_environment(tmp_path, compiled)
    assert env.get_template("plain.html").render(word="again") == "<p>again</p>" and list(compiled.iterdir())
