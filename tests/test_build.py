"""Whole builds of small inline sites: pages, flags, safety, determinism, atomicity."""

import json
import xml.etree.ElementTree as ET

from conftest import run_cli

from glossary_site.commands.link_check import broken_links

TERM = """---
title: {title}
summary: {summary}
category: {category}
depth: {depth}
{extra}---
{body}
"""


def term(title, summary="A test term.", category="Memory", depth="basics", extra="", body=""):
    return TERM.format(title=title, summary=summary, category=category, depth=depth, extra=extra, body=body)


BASIC = {
    "terms/kv-cache.md": term("KV cache", "Remembered keys and values.", depth="deeper",
                              extra="aliases: [key-value cache]\nrelated: [gpu]\n", body="Lives on the GPU."),
    "terms/gpu.md": term("GPU", "A parallel processor.", category="Hardware"),
    "content/post.md": "---\ntitle: Post\ndate: 2026-01-05\nkind: booklet\ntags: [memory]\n---\nThe KV cache on a GPU.\n",
}


def build(capsys, site, *flags):
    return run_cli(capsys, "build", site, "--output", site.parent / "out", *flags)


def read(site, rel):
    return (site.parent / "out" / rel).read_text(encoding="utf-8")


def test_builds_every_page_type(site_factory, capsys):
    site = site_factory(BASIC)
    code, out, err = build(capsys, site)
    assert code == 0, err
    out_dir = site.parent / "out"
    for rel in ["index.html", "articles/index.html", "articles/post/index.html", "terms/index.html",
                "terms/kv-cache/index.html", "terms/gpu/index.html", "a-z/index.html", "categories/index.html",
                "categories/memory/index.html", "categories/hardware/index.html", "depth/index.html",
                "depth/basics/index.html", "depth/deeper/index.html", "tags/memory/index.html", "graph.json",
                "sitemap.xml", "feed.xml", "404.html", "_glossary/style.css", "_glossary/pygments.css"]:
        assert (out_dir / rel).is_file(), rel
    assert broken_links(out_dir) == []


def test_term_page_lists_backlinks_related_both_ways_and_mentions(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site)[0] == 0
    gpu = read(site, "terms/gpu/index.html")
    assert 'href="/articles/post/"' in gpu  # article that uses the term
    assert "Related terms" in gpu and 'href="/terms/kv-cache/"' in gpu  # declared on kv-cache only
    assert "Terms that mention it" in gpu  # kv-cache's body mentions GPU
    kv = read(site, "terms/kv-cache/index.html")
    assert 'data-term="kv-cache"' not in kv  # never a link to itself


def test_graph_json_has_nodes_and_typed_edges(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site)[0] == 0
    graph = json.loads(read(site, "graph.json"))
    assert [n["slug"] for n in graph["nodes"]] == ["gpu", "kv-cache"]
    assert set(graph["nodes"][0]) == {"slug", "title", "category", "depth", "summary", "url", "articles"}
    assert {n["slug"]: n["articles"] for n in graph["nodes"]} == {"gpu": 1, "kv-cache": 1}
    assert {"source": "gpu", "target": "kv-cache", "type": "related"} in graph["edges"]
    assert {"source": "kv-cache", "target": "gpu", "type": "mentions"} in graph["edges"]
    assert set(graph) == {"nodes", "edges"}  # article edges would grow with the corpus


def test_feed_and_sitemap_are_well_formed_xml(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site)[0] == 0
    feed = ET.fromstring(read(site, "feed.xml"))
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    sitemap = ET.fromstring(read(site, "sitemap.xml"))
    assert len(sitemap) >= 6


def test_subpath_base_url_keeps_every_link_inside_it(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site, "--base-url", "/my-repo/")[0] == 0
    out_dir = site.parent / "out"
    assert broken_links(out_dir, "/my-repo/") == []
    assert 'href="/my-repo/terms/kv-cache/"' in read(site, "articles/post/index.html")
    assert 'href="/terms/' not in read(site, "articles/post/index.html")


def test_two_builds_are_byte_identical(site_factory, capsys, tmp_path):
    site = site_factory(BASIC)
    outputs = []
    for name in ("a", "b"):
        assert run_cli(capsys, "build", site, "--output", tmp_path / name)[0] == 0
        outputs.append({p.relative_to(tmp_path / name): p.read_bytes() for p in (tmp_path / name).rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]


def test_successful_build_replaces_output_whole(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site)[0] == 0
    (site / "content/post.md").unlink()
    assert build(capsys, site)[0] == 0
    assert not (site.parent / "out/articles/post").exists()  # no stale page from a deleted source
    assert 'href="/articles/post/"' not in read(site, "terms/gpu/index.html")


def test_failed_build_leaves_previous_output(site_factory, capsys):
    site = site_factory(BASIC)
    assert build(capsys, site)[0] == 0
    before = read(site, "terms/gpu/index.html")
    (site / "terms/gpu.md").write_text(term("GPU", depth="shallow"))
    code, _, err = build(capsys, site)
    assert code == 1 and "terms/gpu.md:5: error: unknown depth 'shallow'" in err
    assert read(site, "terms/gpu/index.html") == before


def test_front_matter_values_are_escaped_everywhere(site_factory, capsys):
    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    site = site_factory({
        "terms/evil.md": term(f"'evil {evil} term'", summary=f"'{evil}'", extra=f"aliases: ['{evil}']\n"),
        "content/post.md": f"---\ntitle: '{evil}'\nsummary: '{evil}'\ntags: ['{evil}']\nkind: '{evil}'\n---\nAn evil term.\n",
    })
    assert build(capsys, site)[0] == 0
    # Every output file, whatever later features add: markup escapes, JSON round-trips.
    for path in (site.parent / "out").rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text()
            assert "<script>alert" not in text and "<img src=x" not in text, path
        elif path.suffix == ".json":
            json.loads(path.read_text())
    node = json.loads(read(site, "graph.json"))["nodes"][0]
    assert node["summary"] == evil and node["title"] == f"evil {evil} term"


def test_raw_html_is_escaped_unless_enabled(site_factory, capsys):
    files = {"content/post.md": "---\ntitle: P\n---\n<div class=\"x\">raw</div>\n"}
    site = site_factory(files)
    assert build(capsys, site)[0] == 0
    assert "<p>&lt;div class=&quot;x&quot;&gt;raw&lt;/div&gt;</p>" in read(site, "articles/post/index.html")
    (site / "site.yaml").write_text("unsafe_html: true\n")
    assert build(capsys, site)[0] == 0
    assert '<div class="x">raw</div>' in read(site, "articles/post/index.html")


def test_slug_cannot_escape_the_output_directory(site_factory, capsys, tmp_path):
    site = site_factory({"content/post.md": "---\ntitle: P\nslug: ../../../escaped\n---\nx\n"})
    assert build(capsys, site)[0] == 0
    assert (site.parent / "out/articles/escaped/index.html").is_file()
    assert not list(tmp_path.rglob("escaped*"))[1:]  # only the one inside out/


def test_drafts_are_excluded_unless_asked(site_factory, capsys):
    site = site_factory({**BASIC, "content/draft.md": "---\ntitle: Wip\ndraft: true\n---\nx\n"})
    assert build(capsys, site)[0] == 0
    assert not (site.parent / "out/articles/draft").exists()
    assert build(capsys, site, "--drafts")[0] == 0
    assert (site.parent / "out/articles/draft/index.html").exists()


def test_article_autolink_false_disables_automatic_links(site_factory, capsys):
    site = site_factory({**BASIC, "content/post.md": "---\ntitle: P\nautolink: false\n---\nA GPU and [[kv-cache]].\n"})
    assert build(capsys, site)[0] == 0
    html = read(site, "articles/post/index.html")
    assert 'data-term="gpu"' not in html and 'data-term="kv-cache"' in html


HUGO_FLAGS = "+++\ntitle = \"Flags\"\nShowToc = {toc}\nShowReadingTime = {rt}\nShowBreadCrumbs = {bc}\nShowCodeCopyButtons = {cc}\nweight = 3\n+++\n## One\n\ntext\n\n```bash\necho hi\n```\n"


def test_hugo_show_flags_do_what_they_say(site_factory, capsys):
    site = site_factory({"content/on.md": HUGO_FLAGS.format(toc="true", rt="true", bc="true", cc="true"),
                         "content/off.md": HUGO_FLAGS.format(toc="false", rt="false", bc="false", cc="false")})
    assert build(capsys, site)[0] == 0
    on, off = read(site, "articles/on/index.html"), read(site, "articles/off/index.html")
    for marker in ('class="toc"', "min read", 'class="breadcrumbs"', "_glossary/copy.js"):
        assert marker in on and marker not in off, marker


def test_unknown_front_matter_keys_reach_templates(site_factory, capsys):
    site = site_factory({
        "content/post.md": "---\ntitle: P\nmood: sunny\n---\nx\n",
        "templates/article.html": "{{ article.params.mood }}|{{ article.title }}\n",
    })
    assert build(capsys, site)[0] == 0
    assert read(site, "articles/post/index.html") == "sunny|P\n"


def test_site_templates_override_the_theme_file_by_file(site_factory, capsys):
    site = site_factory({**BASIC, "templates/footer.html": "<footer>custom footer</footer>\n"})
    assert build(capsys, site)[0] == 0
    assert "custom footer" in read(site, "index.html")
    assert 'class="term"' in read(site, "terms/gpu/index.html")  # the rest is the theme's


def test_crlf_and_bom_files_work(site_factory, capsys):
    text = "\ufeff---\r\ntitle: P\r\n---\r\nThe GPU.\r\n"
    site = site_factory({**BASIC, "content/post.md": text.encode("utf-8")})
    assert build(capsys, site)[0] == 0
    assert 'data-term="gpu"' in read(site, "articles/post/index.html")


def test_code_blocks_are_highlighted_with_pygments(site_factory, capsys):
    site = site_factory({"content/post.md": "---\ntitle: P\n---\n```python\nx = 1\n```\n"})
    assert build(capsys, site)[0] == 0
    assert '<pre class="highlight"><code class="language-python"><span class="n">x</span>' in read(site, "articles/post/index.html")


def test_footnotes_and_heading_anchors(site_factory, capsys):
    site = site_factory({"content/post.md": "---\ntitle: P\n---\n## A heading\n\nText[^1].\n\n[^1]: A note.\n"})
    assert build(capsys, site)[0] == 0
    html = read(site, "articles/post/index.html")
    assert '<h2 id="a-heading">' in html and 'class="footnotes"' in html


def test_refuses_an_output_directory_it_did_not_write(site_factory, capsys):
    site = site_factory(BASIC)
    foreign = site.parent / "out"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    code, _, err = build(capsys, site)
    assert code == 1 and "holds files this tool did not write" in err
    assert (foreign / "notes.txt").read_text() == "mine"
    assert build(capsys, site, "--clean")[0] == 0


def test_refuses_output_inside_sources(site_factory, capsys):
    site = site_factory(BASIC)
    code, _, err = run_cli(capsys, "build", site, "--output", site / "content" / "out")
    assert code == 1 and "inside the source directory 'content/'" in err
    code, _, err = run_cli(capsys, "build", site, "--output", site)
    assert code == 1 and "contains the site's own sources" in err


def test_editor_temp_and_binary_files_are_ignored(site_factory, capsys):
    site = site_factory({**BASIC, "content/.#post.md": "junk", "content/post.md~": "junk",
                         "content/.post.md.swp": b"\0\1", "content/image.png": b"\x89PNG\0\0"})
    code, _, err = build(capsys, site)
    assert code == 0, err
    assert "content/image.png: note: ignored: not a Markdown (.md) file" in err
