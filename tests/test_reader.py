"""What a reader's browser, a feed reader and a search engine get, checked in the HTML:
head metadata, JSON-LD, robots.txt, per-category feeds, graph drawings, and the switches."""

import json
import re
import xml.etree.ElementTree as ET

from conftest import make_site
from test_incremental import BASE, build, tree

from glossary_site.build.cache import BuildCache

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = {**BASE, "site.yaml": "base_url: https://example.org/docs/\nsearch: false\n",
        "terms/gpu.md": "---\ntitle: GPU\nsummary: A parallel processor </script><b>x</b>.\ncategory: Hardware\n"
                        "depth: deeper\naliases: [graphics card]\nrelated: [token]\n---\nIt holds the [[kv-cache]].\n"}  # fmt: skip


def _site(tmp_path, files=SITE):
    site = make_site(tmp_path / "site", files)
    assert build(site, tmp_path / "out", BuildCache())
    return {rel: data.decode("utf-8", "replace") for rel, data in tree(tmp_path / "out").items()}


def _jsonld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_head_carries_canonical_open_graph_and_schema_org(tmp_path):
    out = _site(tmp_path)
    term = out["terms/gpu/index.html"]
    assert '<link rel="canonical" href="https://example.org/docs/terms/gpu/">' in term
    assert '<meta property="og:url" content="https://example.org/docs/terms/gpu/">' in term
    assert '<meta property="og:type" content="article">' in term
    data = _jsonld(term)  # the summary's </script> did not end the script element
    assert data["@type"] == "DefinedTerm" and data["name"] == "GPU" and data["alternateName"] == ["graphics card"]
    assert data["description"] == "A parallel processor </script><b>x</b>."
    assert data["inDefinedTermSet"]["@id"] == "https://example.org/docs/terms/"
    article = _jsonld(out["articles/a/index.html"])
    assert article["@type"] == "Article" and article["headline"] == "Alpha" and article["datePublished"] == "2026-01-01"
    assert "Disallow" not in out["robots.txt"] and "Sitemap: https://example.org/docs/sitemap.xml" in out["robots.txt"]


def test_each_category_has_a_feed_of_the_articles_using_its_terms(tmp_path):
    out = _site(tmp_path)
    feeds = {rel: ET.fromstring(text) for rel, text in out.items() if rel.endswith("feed.xml")}
    assert set(feeds) == {"feed.xml", "categories/general/feed.xml", "categories/hardware/feed.xml"}
    titles = {rel: [e.find(ATOM + "title").text for e in feed.iter(ATOM + "entry")] for rel, feed in feeds.items()}
    assert titles["categories/hardware/feed.xml"] == ["Alpha"]  # only Alpha mentions the GPU
    assert titles["categories/general/feed.xml"] == ["Beta", "Alpha"]  # newest first
    assert titles["feed.xml"] == ["Gamma", "Beta", "Alpha"]
    self_link = feeds["categories/hardware/feed.xml"].find(ATOM + "link[@rel='self']").get("href")
    assert self_link == "https://example.org/docs/categories/hardware/feed.xml"


def test_term_links_point_at_previews_that_the_page_holds(tmp_path):
    out = _site(tmp_path)
    for rel, html in out.items():
        for slug in re.findall(r'aria-describedby="term-tip-([^"]+)"', html):
            assert f'id="term-tip-{slug}"' in html, (rel, slug)
    assert 'aria-describedby="term-tip-kv-cache"' in out["terms/gpu/index.html"]  # term pages too
    assert "previews.js" in out["articles/a/index.html"]


def test_neighbourhood_and_glossary_graphs_link_every_node(tmp_path):
    out = _site(tmp_path)
    svg = re.search(r'<svg class="term-graph".*?</svg>', out["terms/gpu/index.html"], re.S).group(0)
    # token (related) and kv-cache (linked from the definition), each once
    assert sorted(re.findall(r'<a class="node" href="([^"]+)"', svg)) == ["/docs/terms/kv-cache/", "/docs/terms/token/"]
    page = out["graph/index.html"]
    assert sorted(re.findall(r'<a class="node" href="/docs/terms/([^/]+)/"', page)) == ["gpu", "kv-cache", "token"]
    assert page.count('<a class="cluster"') == 2


def test_reader_features_switch_off_in_site_yaml(tmp_path):
    out = _site(tmp_path, {**SITE, "site.yaml": "previews: false\ngraph: false\nsearch: false\n"})
    assert not any(rel.startswith(("graph/", "search/", "pagefind/")) for rel in out)
    article, term = out["articles/a/index.html"], out["terms/gpu/index.html"]
    assert "aria-describedby" not in article and "previews.js" not in article
    assert "<svg" not in term and "/graph/" not in out["index.html"]
    assert 'class="term-link"' in article  # the links themselves stay


def test_glossary_graph_at_1000_terms_gives_every_node_its_own_cell():
    import random

    from glossary_site.content.refs import TermRef
    from glossary_site.pages.graph_drawing import glossary_svg

    rng = random.Random(7)
    categories = [f"Category {i}" for i in range(11)]
    terms = [TermRef(f"t{i}", f"A rather long generated term name {i}", "s", categories[i % 11],
                     ("basics", "deeper", "deepest")[i % 3]) for i in range(1000)]  # fmt: skip
    groups = [(c, sorted((t for t in terms if t.category == c), key=lambda t: t.title)) for c in categories]
    related = {t.slug: tuple(sorted({f"t{rng.randrange(1000)}" for _ in range(3)})) for t in terms}
    svg = glossary_svg(groups, related, lambda s: f"/terms/{s}/", lambda n: f"/categories/{n}/")
    nodes = re.findall(r'<a class="node" href="/terms/(t\d+)/">.*?<circle [^>]*cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(nodes) == len({slug for slug, _, _ in nodes}) == 1000
    assert len({(x, y) for _, x, y in nodes}) == 1000  # no two nodes share a cell
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="start">([^<]*)</text>', svg)
    assert labels and max(map(len, labels)) <= 21  # shortened to fit the 166 px column
    assert svg.count('<a class="cluster"') == 11
    assert len(svg) < 1_000_000
