"""Search on: the Pagefind bundle is built, kept while no indexed page changes, rebuilt by
both the build and the dev server's fast paths exactly as a clean build would make it."""

import importlib.metadata
import itertools
import json
import os
import shutil
import string
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO, make_site
from test_incremental import BASE, apply, article_text, build, tree

from glossary_site.build import search_update
from glossary_site.build.cache import BuildCache
from glossary_site.build.fast_paths import apply_edits
from glossary_site.build.pipeline import build_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.pages import search_index
from glossary_site.pages.search_index import indexed, shard_count, shard_of

SEARCH_ON = {**BASE, "site.yaml": "search: true\n"}


def _bundle(root):
    return {rel: data for rel, data in tree(root).items() if rel.startswith("pagefind/")}


def test_search_bundle_is_built_kept_and_rebuilt_like_a_clean_build(tmp_path):
    site = make_site(tmp_path / "site", SEARCH_ON)
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache)
    first = _bundle(tmp_path / "out")
    assert "pagefind/0/pagefind.js" in first and "pagefind/0/pagefind-entry.json" in first
    assert any(rel.startswith("pagefind/0/fragment/") for rel in first)
    assert json.loads(first["pagefind/shards.json"]) == {"shards": ["0/"], "stale": False}
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


def test_a_site_whose_templates_leave_nothing_to_index_warns_and_builds(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", {**SEARCH_ON, "templates/article.html": "{{ article.title }}\n",
                                         "templates/term.html": "{{ term.title }}\n"})  # fmt: skip
    diags = Diagnostics()
    config = load_config(site, diags, output=tmp_path / "out")
    cache = BuildCache()
    assert build_site(config, diags, cache=cache).ok
    assert any("no term or article page had text to index" in str(d) for d in diags.items)
    assert json.loads((tmp_path / "out" / "pagefind" / "shards.json").read_text())["shards"] == []
    monkeypatch.setattr(search_index, "_index_shard", lambda *args: pytest.fail("indexed again"))
    assert build_site(config, Diagnostics(), cache=cache).rendered == []  # an empty shard is not tried again


def test_the_first_listed_shard_need_not_be_shard_0(tmp_path):
    """Any shard can come first in the manifest: each keeps Pagefind's script and WebAssembly."""
    names = [n for n in range(40) if shard_of(f"articles/y{n}/index.html", 2) == 1][:2]
    site = make_site(tmp_path / "site", {"site.yaml": "search: true\nsearch_shard_pages: 1\n",
                                         **{f"content/y{n}.md": article_text(f"Y {n}", "2026-01-01", "Zebras.")
                                            for n in names}})  # fmt: skip
    assert build(site, tmp_path / "out", BuildCache())
    assert json.loads((tmp_path / "out" / "pagefind" / "shards.json").read_text())["shards"] == ["1/"]
    assert (tmp_path / "out" / "pagefind" / "1" / "pagefind.js").is_file()
    assert (tmp_path / "out" / "pagefind" / "1" / "wasm.en.pagefind").is_file()


def test_a_new_pagefind_version_re_indexes_every_shard(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", SHARDED)
    cache = BuildCache()
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache).ok
    monkeypatch.setattr(search_index, "_pagefind_version", lambda: "1.99.0")
    indexed_now, real = [], search_index._index_shard
    monkeypatch.setattr(search_index, "_index_shard", lambda number, *a: indexed_now.append(number) or real(number, *a))
    rendered = build_site(config, Diagnostics(), cache=cache).rendered
    assert sorted(indexed_now) == list(range(6))
    # The same Pagefind in truth: every file came back the same, so none was written again.
    assert [rel for rel in rendered if rel.startswith("pagefind/")] == []


def test_no_word_start_of_three_letters_is_split_over_two_chunks(tmp_path):
    """Pagefind looks for a query's last word and the words it starts in one chunk: chunks
    are joined where a boundary falls inside a group sharing three letters ('cgz' | 'cgzs')."""
    triples = ["".join(t) for t in itertools.product("abcdefgh", repeat=3)]
    words = " ".join(f"{t} {t}s {t}ing" for t in triples)  # 1,536 words in 512 groups
    pages = {"content/big.md": article_text("Big", "2026-01-01", words),
             **{f"content/s{n}.md": article_text(f"S {n}", "2026-01-01", "Zebras.") for n in range(9)}}
    site = make_site(tmp_path / "site", {"site.yaml": "search: true\nsearch_shard_pages: 1\n", **pages})
    assert build(site, tmp_path / "out", BuildCache())
    shard = tmp_path / "out" / "pagefind" / str(shard_of("articles/big/index.html", shard_count(10, 1)))
    [meta] = [search_index._decoded(p.read_bytes()) for p in shard.glob("pagefind.*.pf_meta")]
    chunks = meta[2]  # [first word, last word, name], boundary words shortened as Pagefind does
    assert len(chunks) >= 2  # still split, only not inside a group
    assert all(len(os.path.commonprefix([a[1], b[0]])) < 3 for a, b in zip(chunks, chunks[1:]))
    indexed_words = [word for *_, name in chunks
                     for word, *_ in search_index._decoded((shard / "index" / f"{name}.pf_index").read_bytes())[0]]
    assert indexed_words == sorted(indexed_words) and len(indexed_words) == len(set(indexed_words))


def test_chunks_split_inside_a_word_start_are_joined_word_for_word():
    def chunk(words):
        return search_index._encoded([[[word, [[0, [1], []]]] for word in words]], "en_0")[0]

    files = {"index/en_1.pf_index": chunk(["a", "cgz"]), "index/en_2.pf_index": chunk(["cgzs", "cgzx"]),
             "index/en_3.pf_index": chunk(["d", "e"])}  # fmt: skip
    chunks = search_index._joined_chunks([["a", "cgz", "en_1"], ["cgzs", "cgzx", "en_2"], ["d", "e", "en_3"]], files)
    assert [c[:2] for c in chunks] == [["a", "cgzx"], ["d", "e"]] and chunks[1][2] == "en_3"
    assert sorted(files) == sorted([f"index/{chunks[0][2]}.pf_index", "index/en_3.pf_index"])
    joined = search_index._decoded(files[f"index/{chunks[0][2]}.pf_index"])
    assert joined == [[[word, [[0, [1], []]]] for word in ("a", "cgz", "cgzs", "cgzx")]]
    # 30 words: a CBOR count past 23 takes a second byte
    many = {f"index/en_{n}.pf_index": chunk([f"cgz{n:02}{m}" for m in "abc"]) for n in range(10)}
    joined = search_index._joined_chunks([[f"cgz{n:02}a", f"cgz{n:02}c", f"en_{n}"] for n in range(10)], many)
    assert len(joined) == 1 and len(search_index._decoded(many[f"index/{joined[0][2]}.pf_index"])[0]) == 30


def test_a_build_crossing_a_shard_count_boundary_gives_a_clean_build(tmp_path):
    """One page more makes one shard more: every shard is indexed again (its key holds the
    count), kept files are still right, and the tree is the one a clean build makes."""
    site = make_site(tmp_path / "site", SHARDED)
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache)
    assert len(json.loads((tmp_path / "out" / "pagefind" / "shards.json").read_text())["shards"]) == 6
    (site / "content" / "x9.md").write_text(article_text("Extra 9", "2026-02-01", "Zebra number 9."))
    assert build(site, tmp_path / "out", cache)
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    assert len(json.loads((tmp_path / "out" / "pagefind" / "shards.json").read_text())["shards"]) == 7


def test_pagefind_settings_of_the_environment_do_not_reach_the_index(tmp_path, monkeypatch):
    """Only the shard key's inputs shape the index: not the caller's PAGEFIND_* variables,
    nor a pagefind.yml where the build was started."""
    site = make_site(tmp_path / "site", SEARCH_ON)
    assert build(site, tmp_path / "plain", BuildCache())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pagefind.yml").write_text("exclude_selectors:\n  - p\n")
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "h1, p, li")
    assert build(site, tmp_path / "configured", BuildCache())
    assert _bundle(tmp_path / "configured") == _bundle(tmp_path / "plain")


def _chunks(shard) -> int:
    return len(list(shard.glob("index/*.pf_index")))


def test_each_of_many_shards_splits_its_words_into_smaller_chunks(tmp_path):
    """A query fetches one index chunk per shard and word: with N shards each chunk holds 1/N
    of Pagefind's own size, so that they add up to about what one index would fetch."""
    # ~3,000 postings (one chunk at Pagefind's size), no two words starting alike (else joined)
    words = " ".join("".join(t) + "o" for t in list(itertools.product(string.ascii_lowercase, repeat=3))[::5][:3000])
    pages = {"content/big.md": article_text("Big", "2026-01-01", words),
             **{f"content/s{n}.md": article_text(f"S {n}", "2026-01-01", "Zebras.") for n in range(9)}}
    one = make_site(tmp_path / "one", {"site.yaml": "search: true\n", **pages})
    many = make_site(tmp_path / "many", {"site.yaml": "search: true\nsearch_shard_pages: 1\n", **pages})
    assert build(one, tmp_path / "one-out", BuildCache()) and build(many, tmp_path / "many-out", BuildCache())
    assert search_index.chunk_size(1) == 20000 and search_index.chunk_size(10) == 2000
    assert _chunks(tmp_path / "one-out" / "pagefind" / "0") == 1
    big = shard_of("articles/big/index.html", shard_count(10, 1))  # ten pages, one a shard
    assert _chunks(tmp_path / "many-out" / "pagefind" / str(big)) >= 2  # ~3,000 postings, 2,000 a chunk


@pytest.mark.parametrize("page", [
    b'<html lang="en"><head><meta data-pagefind-meta="image[content]" content="/a.png"></head>'
    b'<body><main data-pagefind-body><p>Text</p></main></body></html>',  # metadata outside the body element
    b'<html lang="en"><body><main data-pagefind-body><p>a</p></main><main data-pagefind-body><p>b</p></main></body></html>',
    b'<html lang="en"><body><p>No body element here.</p></body></html>',
])  # fmt: skip
def test_pages_that_cannot_be_trimmed_safely_go_as_they_are(page):
    assert search_index.for_indexing(page) == page


def test_attribute_names_written_in_text_are_text():
    page = (b'<html lang="en"><head><title>T</title></head><body><nav>menu</nav><article data-pagefind-body>'
            b'<p>Put <code>data-pagefind-ignore</code> on a part to hide it.</p>'
            b'<aside data-pagefind-ignore><p>hidden</p></aside><p>End.</p></article></body></html>')
    trimmed = search_index.for_indexing(page)
    assert b"<code>data-pagefind-ignore</code> on a part" in trimmed  # the paragraph that names it stays
    assert b"hidden" not in trimmed and b"menu" not in trimmed and b"End." in trimmed


SHARDED = {**BASE, "site.yaml": "search: true\nsearch_shard_pages: 2\n",
           **{f"content/x{n}.md": article_text(f"Extra {n}", "2026-02-01", f"Zebra number {n} and the GPU.")
              for n in range(6)}}  # fmt: skip


def _shards(root) -> dict[str, dict[str, bytes]]:
    by_shard: dict[str, dict[str, bytes]] = {}
    for rel, data in _bundle(root).items():
        head = rel.split("/")[1]
        by_shard.setdefault(head, {})[rel] = data
    return by_shard


def test_pages_go_to_shards_by_a_stable_hash_of_their_path():
    assert [shard_count(n, 1500) for n in (0, 1, 1500, 1501, 11000)] == [1, 1, 1, 2, 8]
    # unset: 400 pages a shard, up to 32 shards, then more pages each, up to 1,500
    sizes = (0, 400, 401, 11000, 12800, 12801, 48000, 48001, 101000)
    assert [shard_count(n) for n in sizes] == [1, 1, 2, 28, 32, 32, 32, 33, 68]
    assert all(n / shard_count(n) <= 1500 for n in sizes)
    rels = [f"articles/a{n}/index.html" for n in range(3000)]
    placed = [shard_of(rel, 8) for rel in rels]
    assert placed == [shard_of(rel, 8) for rel in rels]  # the same every run and process
    assert all(250 <= placed.count(shard) <= 500 for shard in range(8))  # evenly spread


def test_an_edit_re_indexes_only_the_shard_of_the_page_it_touches(tmp_path):
    site = make_site(tmp_path / "site", SHARDED)
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache)
    before = _shards(tmp_path / "out")
    listing = json.loads(before.pop("shards.json")["pagefind/shards.json"])
    assert len(listing["shards"]) == len(before) == 6 and not listing["stale"]  # 12 pages, 2 per shard
    inodes = {rel: os.stat(tmp_path / "out" / rel).st_ino for shard in before.values() for rel in shard}
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    apply(site, ("edit-body", "c", "Now about a GPU and zebras."))
    rendered = build_site(config, Diagnostics(), cache=cache).rendered
    # The article, and the term page whose backlinks gained it: their shards, and no other.
    assert {"articles/c/index.html", "terms/gpu/index.html"} == set(indexed(rendered))
    touched = {str(shard_of(rel, 6)) for rel in indexed(rendered)}
    written = {rel.split("/")[1] for rel in rendered if rel.startswith("pagefind/") and rel != "pagefind/shards.json"}
    assert str(shard_of("articles/c/index.html", 6)) in written and written <= touched
    # One fragment written: the term page's backlinks are not indexed, so its text, and every
    # other page's, came back as the same file, and stayed as published.
    assert [rel for rel in rendered if "/fragment/" in rel] == [
        rel for rel in rendered if rel.startswith(f"pagefind/{shard_of('articles/c/index.html', 6)}/fragment/")]
    assert len([rel for rel in rendered if "/fragment/" in rel]) == 1
    assert len(touched) < 6
    after = _shards(tmp_path / "out")
    for shard, files in before.items():
        if shard not in touched:  # untouched shards: the same files, not even rewritten
            assert after[shard] == files
            assert all(os.stat(tmp_path / "out" / rel).st_ino == inodes[rel] for rel in files)
    assert after[str(shard_of("articles/c/index.html", 6))] != before[str(shard_of("articles/c/index.html", 6))]
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")  # as a clean build makes it


def test_the_fast_path_re_indexes_only_the_touched_shard(tmp_path):
    site = make_site(tmp_path / "site", SHARDED)
    cache = BuildCache()
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache, keep_bodies=True).ok
    # the same terms, each in the same sentence (what the GPU's page shows of it): one page changes
    apply(site, ("edit-body", "x3", "Zebra number 3 and the GPU. Zebras again, once more."))
    result = apply_edits(cache.live, cache, ["content/x3.md"])
    assert result is not None and result.ok
    assert indexed(result.rendered) == ["articles/x3/index.html"]
    touched = str(shard_of("articles/x3/index.html", 6))
    assert {rel.split("/")[1] for rel in result.rendered if rel.startswith("pagefind/")} == {touched}
    # its other page's fragment came back unchanged, under the same name: not written again
    assert [rel for rel in result.rendered if "/fragment/" in rel] == [
        rel for rel in result.rendered if rel.startswith(f"pagefind/{touched}/fragment/")] and \
        len([rel for rel in result.rendered if "/fragment/" in rel]) == 1
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    assert build_site(config, Diagnostics(), cache=cache).rendered == []  # the cache agrees


@pytest.mark.parametrize("value", ["0", "-3", "true", "many"])
def test_search_shard_pages_must_be_a_positive_number(tmp_path, value):
    site = make_site(tmp_path / "site", {**BASE, "site.yaml": f"search: true\nsearch_shard_pages: {value}\n"})
    diags = Diagnostics()
    load_config(site, diags)
    assert [f"{d.pos.line}" for d in diags.items if "search_shard_pages" in str(d)] == ["2"]


def test_search_bundles_are_byte_identical_build_after_build(tmp_path):
    """Pagefind writes its filters in a hash map's order; the bundle must not change with it."""
    site = make_site(tmp_path / "site", SHARDED)
    bundles = []
    for run in range(3):
        assert build(site, tmp_path / f"out{run}", BuildCache())
        bundles.append(_bundle(tmp_path / f"out{run}"))
    assert bundles[0] == bundles[1] == bundles[2]
    metas = [rel for rel in bundles[0] if rel.endswith(".pf_meta")]
    assert len(metas) == 6  # one per shard, each named in its shard's pagefind-entry.json
    for rel in metas:
        entry = json.loads(bundles[0][rel.rsplit("/", 1)[0] + "/pagefind-entry.json"])
        assert rel.endswith(f"pagefind.{entry['languages']['en']['hash']}.pf_meta")


@pytest.fixture
def serving(tmp_path):
    """`serve` on the sharded site: (the dev server, its site folder)."""
    from glossary_site.commands.dev_server import DevServer

    site = make_site(tmp_path / "site", SHARDED)
    server = DevServer(load_config(site, Diagnostics()), bind="127.0.0.1", port=0, log=lambda line: None)
    server.start()
    yield server, site
    server.stop()


def _stale(out) -> bool:
    return json.loads((out / "pagefind/shards.json").read_text())["stale"]


def _caught_up(out, site, clean) -> None:
    """Waits for `serve` to publish a fresh index, then compares it with a clean build's."""
    deadline = time.monotonic() + 30
    while _stale(out):
        assert time.monotonic() < deadline, "the search index never caught up"
        time.sleep(0.05)
    assert build(site, clean, BuildCache())
    assert _bundle(out) == _bundle(clean)


def test_serve_publishes_an_edit_without_waiting_for_search_and_catches_up(tmp_path, monkeypatch, serving):
    server, site = serving
    out = server.config.output
    release, indexing = threading.Event(), threading.Event()
    real = search_update.build_shards

    def held_back(*args, **kwargs):  # Pagefind, made to take as long as the test wants
        indexing.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(search_update, "build_shards", held_back)
    apply(site, ("edit-body", "x3", "Zebras again, and the GPU once more."))
    server.rebuild(["content/x3.md"])  # returns while the index is still being built
    assert indexing.wait(10)
    assert "Zebras again" in (out / "articles/x3/index.html").read_text()
    assert _stale(out) is True
    release.set()
    _caught_up(out, site, tmp_path / "clean")


def test_search_page_has_a_hidden_stale_notice(tmp_path):
    site = make_site(tmp_path / "site", SEARCH_ON)
    assert build(site, tmp_path / "out", BuildCache())
    html = (tmp_path / "out" / "search" / "index.html").read_text()
    assert '<p id="search-stale" class="notice" role="status" hidden>' in html


def test_pages_trimmed_for_indexing_index_exactly_as_the_whole_pages(tmp_path, monkeypatch):
    """for_indexing drops what Pagefind skips; the bundle must come out byte for byte the same."""
    from glossary_site.pages import search_index

    site = tmp_path / "site"
    for name in ("terms", "content", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
    (site / "site.yaml").write_text((REPO / "site.yaml").read_text() + "\nsearch_shard_pages: 40\n")
    assert build(site, tmp_path / "trimmed", BuildCache())
    trim = search_index.for_indexing
    monkeypatch.setattr(search_index, "for_indexing", lambda page: page)
    assert build(site, tmp_path / "whole", BuildCache())
    trimmed, whole = _bundle(tmp_path / "trimmed"), _bundle(tmp_path / "whole")
    assert len([rel for rel in whole if rel.endswith("pagefind-entry.json")]) == 2
    assert trimmed == whole
    page = (tmp_path / "whole" / "terms" / "kv-cache" / "index.html").read_bytes()
    assert len(trim(page)) < len(page) / 2


def test_serve_clears_the_stale_notice_when_an_edit_is_undone_before_indexing(tmp_path, monkeypatch, serving):
    server, site = serving
    out = server.config.output
    release = threading.Event()
    real = search_update.build_shards
    monkeypatch.setattr(search_update, "build_shards", lambda *a, **k: release.wait(30) and real(*a, **k))
    original = (site / "content" / "x3.md").read_text()
    apply(site, ("edit-body", "x3", "Zebras again, and the GPU once more."))
    server.rebuild(["content/x3.md"])
    (site / "content" / "x3.md").write_text(original)  # undone before the index caught up
    server.rebuild(["content/x3.md"])
    assert _stale(out) is True
    release.set()
    _caught_up(out, site, tmp_path / "clean")


def _folder(root, name: str, age: float, lock: bool = True):
    folder = root / name
    (folder / "site").mkdir(parents=True)
    if lock:
        (folder / search_index._IN_USE).write_bytes(b"")
    then = time.time() - age
    os.utime(folder, (then, then))
    return folder


def test_scratch_folders_of_killed_builds_are_swept_and_those_in_use_kept(tmp_path):
    """A build killed while indexing leaves its Pagefind scratch folder (in /dev/shm: memory
    until a restart); the next build removes it, never one another build holds the lock of
    (a lock, unlike a process id, holds across containers that share the folder)."""
    import fcntl

    left = _folder(tmp_path, "glossary-pagefind-left", age=120)
    in_use = _folder(tmp_path, "glossary-pagefind-inuse", age=7200)
    just_made = _folder(tmp_path, "glossary-pagefind-new", age=0)
    old_version = _folder(tmp_path, "glossary-pagefind-old", age=7200, lock=False)
    recent_old_version = _folder(tmp_path, "glossary-pagefind-recent", age=600, lock=False)
    unrelated = _folder(tmp_path, "unrelated", age=7200)
    (tmp_path / "glossary-pagefind-file").write_text("not a folder")
    with open(in_use / search_index._IN_USE, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        search_index._sweep_scratch(str(tmp_path))
    assert not left.exists() and not old_version.exists()
    assert in_use.exists() and just_made.exists() and recent_old_version.exists() and unrelated.exists()
    assert (tmp_path / "glossary-pagefind-file").exists()


def test_a_build_indexes_in_locked_scratch_folders_with_the_binary_and_sweeps_left_ones(tmp_path, monkeypatch):
    shm = tmp_path / "shm"
    shm.mkdir()
    left = _folder(shm, "glossary-pagefind-killed", age=120)
    monkeypatch.setattr(search_index, "_scratch", lambda: str(shm))
    runs = []
    real_run = search_index.subprocess.run

    def run(command, **kwargs):
        lock = Path(kwargs["cwd"]) / search_index._IN_USE
        runs.append((command[0], Path(kwargs["cwd"]).parent, _is_locked(lock)))
        return real_run(command, **kwargs)

    monkeypatch.setattr(search_index.subprocess, "run", run)
    site = make_site(tmp_path / "site", SEARCH_ON)
    assert build(site, tmp_path / "out", BuildCache())
    assert runs and all(ran == (search_index._pagefind()[1][0], shm, True) for ran in runs)
    assert not left.exists() and list(shm.iterdir()) == []  # its own folders removed as they finished


def _is_locked(path: Path) -> bool:
    import fcntl

    with open(path, "rb") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(probe, fcntl.LOCK_UN)
        return False


def test_pagefind_runs_as_the_binary_its_version_names(monkeypatch):
    search_index._pagefind.cache_clear()
    try:
        version, command = search_index._pagefind()
        assert len(command) == 1 and os.path.isabs(command[0]) and os.access(command[0], os.X_OK)
        assert version == "%s+extended" % importlib.metadata.version("pagefind_bin_extended")
        ran = subprocess.run([*command, "--version"], capture_output=True, text=True).stdout
        assert ran.split() == ["pagefind", version.split("+")[0]]
        search_index._pagefind.cache_clear()
        import pagefind_bin_extended

        def missing():
            raise FileNotFoundError("no binary in the package")

        monkeypatch.setattr(pagefind_bin_extended, "get_executable", missing)  # installed, but broken
        version, command = search_index._pagefind()
        assert command == (sys.executable, "-m", "pagefind") and version.endswith("+extended")  # not the plain build
    finally:
        search_index._pagefind.cache_clear()
