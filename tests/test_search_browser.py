"""Search in a real browser, over an index in several shards: the same pages as one index,
excerpts that start with the text, filters, the stale notice. (Chromium as in test_browser.)"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
from test_browser import ROOT, _QuietHandler, browser  # noqa: F401 - `browser` is a fixture

from glossary_site.commands.cli import main

# Words of every kind: a term's name, an alias, article-only words, common words, a prefix.
QUERIES = ["KV cache", "key-value cache", "wake word", "memory", "model", "GPU", "quantization", "the cache",
           "token", "latency", "vram", "llam", "wake", "quant", "RAG & retrieval", "late"]  # fmt: skip

# Every result of each query through the search page's own code (theme/static/search.js's
# find(), not only the 20 the page shows): its id (a hash of the page's indexed content), and
# the URLs of the first ten.
SEARCH_ALL = """async (queries) => {
  while (!window.glossarySearch) await new Promise((r) => setTimeout(r, 20));
  const out = {};
  for (const q of queries) {
    const found = await window.glossarySearch(q);
    const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    out[q] = {ids: found.results.map((r) => r.id), urls: top.map((d) => d.url)};
  }
  const pf = await import("/pagefind/0/pagefind.js");
  out.__filters = await pf.filters();
  out.__shards = (await (await fetch("/pagefind/shards.json")).json()).shards.length;
  return out;
}"""


def _serve(public: Path):
    handler = functools.partial(_QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The example site built twice: one index, and shards of 35 pages (3 for its ~100 pages)."""
    work = tmp_path_factory.mktemp("search-browser")
    urls, servers = {}, []
    for name, per_shard in (("one", 100_000), ("shards", 35)):
        site = work / name
        site.mkdir()
        for part in ("terms", "content", "templates"):
            if (ROOT / part).is_dir():
                shutil.copytree(ROOT / part, site / part)
        (site / "site.yaml").write_text((ROOT / "site.yaml").read_text() + f"\nsearch_shard_pages: {per_shard}\n")
        assert main(["build", str(site), "--output", str(work / f"{name}-public")]) == 0
        server, urls[name] = _serve(work / f"{name}-public")
        servers.append(server)
    urls["shards-public"] = work / "shards-public"
    yield urls
    for server in servers:
        server.shutdown()


def _search_all(browser, url):  # noqa: F811
    page = browser.new_page()
    page.goto(url + "search/")
    found = page.evaluate(SEARCH_ALL, QUERIES)
    page.close()
    return found


def test_shards_find_exactly_the_pages_one_index_finds(browser, sites):  # noqa: F811
    one, sharded = _search_all(browser, sites["one"]), _search_all(browser, sites["shards"])
    assert one.pop("__shards") == 1 and sharded.pop("__shards") == 3
    filters = one.pop("__filters"), sharded.pop("__filters")
    assert list(filters[0].pop("shard")) == ["0"]  # each result's shard: search.js's own filter
    assert filters[0] == {k: v for k, v in filters[1].items() if k != "shard"}  # the counts add up across shards
    for query in QUERIES:
        assert one[query]["ids"], query  # every query finds something
        assert sorted(one[query]["ids"]) == sorted(sharded[query]["ids"]), query  # the same pages
    # Scores come from each shard's own word statistics, so the order can differ, the more the
    # smaller the shards (35 pages here, 1,500 by default): bench/search_quality.py measures it
    # on the bench corpus. A term's own name still finds its page first.
    for query, first in (("KV cache", "/terms/kv-cache/"), ("quantization", "/terms/quantization/"),
                         ("wake word", "/articles/a-private-voice-assistant/")):  # fmt: skip
        assert one[query]["urls"][0] == sharded[query]["urls"][0] == first, query


def test_filters_carry_kind_tag_depth_and_category(browser, sites):  # noqa: F811
    filters = _search_all(browser, sites["shards"])["__filters"]
    assert {"kind", "tag", "depth", "category"} <= set(filters)
    assert filters["depth"].keys() >= {"basics", "deeper"} and "Memory" in filters["category"]


@pytest.mark.parametrize("query, url, starts", [
    ("KV cache", "/terms/kv-cache/", "KV cache. Also called: key-value cache. "),
    ("cache bill", "/articles/the-kv-cache-is-the-bill/", "The cache is the bill nobody quotes. The "),
])  # fmt: skip
def test_excerpts_start_with_the_text_not_the_meta_line(browser, sites, query, url, starts):  # noqa: F811
    page = browser.new_page()
    page.goto(sites["shards"] + "search/?q=" + query.replace(" ", "+"))
    result = page.locator("#search-results li", has=page.locator(f'a.result-title[href="{url}"]'))
    result.wait_for()
    excerpt = result.locator("p.summary").inner_text()
    assert excerpt.startswith(starts), excerpt  # no breadcrumbs, badges, kind, date, reading time or tags
    assert not re.search(r"\d{4}-\d{2}-\d{2}|[A-Z][a-z]+ \d{1,2}, \d{4}|min read|#\w|deeper|Home", excerpt), excerpt
    if url.startswith("/terms/"):  # the term's badges show beside its title, from metadata
        assert result.locator(".depth").inner_text() == "deeper" and result.locator(".category").inner_text() == "Memory"
    else:
        assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", result.locator(".date").inner_text())  # the date, from metadata
    page.close()


def test_the_search_page_says_when_the_index_is_stale(browser, sites):  # noqa: F811
    listing = sites["shards-public"] / "pagefind" / "shards.json"
    fresh = listing.read_text()
    page = browser.new_page()
    try:
        page.goto(sites["shards"] + "search/?q=cache")
        page.locator("#search-results li").first.wait_for()
        assert page.locator("#search-stale").is_hidden()
        listing.write_text(json.dumps({**json.loads(fresh), "stale": True}))  # as `serve` writes it mid-edit
        page.goto(sites["shards"] + "search/?q=cache")
        page.locator("#search-results li").first.wait_for()
        assert page.locator("#search-stale").is_visible()
        assert "being updated" in page.locator("#search-stale").inner_text()
    finally:
        listing.write_text(fresh)
        page.close()


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory):
    """tests/sites/multilingual built and served: English at /, Japanese at /ja/, Arabic at /ar/."""
    work = tmp_path_factory.mktemp("search-multilingual")
    shutil.copytree(Path(__file__).parent / "sites" / "multilingual", work / "site")
    assert main(["build", str(work / "site"), "--output", str(work / "public")]) == 0
    server, url = _serve(work / "public")
    yield url
    server.shutdown()


@pytest.mark.parametrize("word", ["途中", "量子化", "メモリ"])
def test_the_japanese_search_page_finds_a_word_inside_a_sentence(browser, multilingual, word):  # noqa: F811
    """Japanese has no spaces: Pagefind's extended build cuts the sentence into words, so a word
    in the middle of one (推論の途中でメモリが足りなくなる) finds its page, in the Japanese index only."""
    page = browser.new_page()
    page.goto(multilingual + "ja/search/?q=" + word)
    page.locator("#search-results li").first.wait_for()
    hrefs = page.locator("#search-results a.result-title").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert "/ja/articles/memory-notes/" in hrefs
    assert all(href.startswith("/ja/") for href in hrefs)
    page.goto(multilingual + "search/?q=" + word)  # the English search page searches the English index
    page.wait_for_function("() => window.glossarySearch")
    found = page.evaluate("async (w) => (await window.glossarySearch(w)).results.length", word)
    page.close()
    assert found == 0
