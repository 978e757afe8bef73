"""The glossary's own shortcodes: term (an explicit link with its own text), definition (a
summary inline) and glossary (a small glossary in an article); each linked, backlinked and
previewed like any mention."""

from __future__ import annotations

import re

from conftest import make_site, run_cli


def term(title: str, summary: str, category: str = "Memory", depth: str = "basics") -> str:
    return f"---\ntitle: {title}\nsummary: {summary}\ncategory: {category}\ndepth: {depth}\n---\nText.\n"


SITE = {
    "terms/kv-cache.md": term("KV cache", "Keys and values kept for every token so far.", depth="deeper"),
    "terms/vram.md": term("VRAM", "Memory on the graphics card.", "Hardware"),
    "terms/swap.md": term("Swap", "Disk standing in for memory."),
    "content/post.md": "---\ntitle: Post\n---\n"
                       'Mind {{< term "kv-cache" "the cache" >}} when it grows.\n\n'
                       '{{< definition "vram" >}}\n\n'
                       '{{< glossary category="Memory" >}}\n',
}


def page(out, rel: str) -> str:
    return (out / rel / "index.html").read_text()


def test_the_shortcodes_link_backlink_and_preview_like_any_mention(tmp_path, capsys):
    site = make_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    post = page(out, "articles/post")
    assert ('<a href="/terms/kv-cache/" class="term-link" data-term="kv-cache" '
            'aria-describedby="term-tip-kv-cache">the cache</a>') in post
    assert re.search(r'<span class="term-definition"><a href="/terms/vram/"[^>]*>VRAM</a>: Memory on the graphics card.</span>', post)
    embedded = re.search(r'<dl class="embedded-glossary">.*?</dl>', post, re.S).group(0)
    assert "KV cache" in embedded and "Swap" in embedded and "VRAM" not in embedded  # category Memory only
    assert "Disk standing in for memory." in embedded
    for slug in ("kv-cache", "vram", "swap"):
        assert f'id="term-tip-{slug}"' in post  # listed under "Terms in this article": the preview's entry
        assert 'href="/articles/post/"' in page(out, f"terms/{slug}")  # backlinked


def test_a_summary_edit_reaches_the_articles_that_show_it(tmp_path, capsys):
    site = make_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert run_cli(capsys, "build", site, "--output", out)[0] == 0
    (site / "terms/vram.md").write_text(term("VRAM", "The card's own memory, fast and small.", "Hardware"))
    code, _, err = run_cli(capsys, "build", site, "--output", out)  # the edit path must not keep the old text
    assert code == 0, err
    post = page(out, "articles/post")
    assert "The card&#x27;s own memory, fast and small." in post or "The card's own memory, fast and small." in post
    assert "Memory on the graphics card." not in post


def test_a_shortcode_naming_no_term_is_an_error_at_its_line(tmp_path, capsys):
    site = make_site(tmp_path / "site", {**SITE, "content/bad.md": '---\ntitle: Bad\n---\n\nSee {{< term "kv-cash" >}}.\n'})
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1
    assert "content/bad.md:5: error: shortcode 'term' names no term: 'kv-cash'. Did you mean 'kv-cache'?" in err


def test_the_term_shortcode_is_a_reference_in_headings_links_and_term_pages(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "terms/kv-cache.md": "---\ntitle: KV cache\nsummary: Keys and values.\ncategory: Memory\ndepth: deeper\n"
                             "aliases: [/terms/old-kv/]\n---\nIt lives in {{< term \"vram\" >}}; {{< definition \"swap\" >}}\n",
        "content/heading.md": "---\ntitle: Heading\n---\n## About {{< term \"vram\" >}} cards\n\n"
                              "[the {{< term \"swap\" >}} page](https://example.org/) and {{< term \"old-kv\" >}}.\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    html = page(out, "articles/heading")
    assert '<h2 id="about-vram-cards">About VRAM cards</h2>' in html  # plain text, in the anchor too
    assert '<a href="https://example.org/">the Swap page</a>' in html  # no link inside a link
    assert 'content/heading.md:6: warning: {{< term "old-kv" >}} names the old slug of \'kv-cache\'' in err
    term_page = page(out, "terms/vram")  # a term's body mentioning another through a shortcode
    assert 'href="/terms/kv-cache/"' in term_page


def test_an_edit_adding_a_definition_to_a_term_body_takes_the_full_build(tmp_path, capsys):
    plain = {k: v for k, v in SITE.items() if k != "content/post.md"}  # no shortcode anywhere yet
    site = make_site(tmp_path / "site", {**plain, "content/post.md": "---\ntitle: Post\n---\nSwap and VRAM.\n"})
    out = tmp_path / "out"
    assert run_cli(capsys, "build", site, "--output", out)[0] == 0
    (site / "terms/swap.md").write_text(term("Swap", "Disk standing in for memory.") + '\n{{< definition "vram" >}}\n')
    assert run_cli(capsys, "build", site, "--output", out)[0] == 0
    assert "Memory on the graphics card." in page(out, "terms/swap")


def test_definition_of_an_old_slug_resolves_with_a_warning(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        **SITE,
        "terms/vram.md": "---\ntitle: VRAM\nsummary: Memory on the graphics card.\ncategory: Hardware\ndepth: basics\n"
                         "aliases: [/terms/video-memory/]\n---\nText.\n",
        "content/old.md": '---\ntitle: Old\n---\n{{< definition "video-memory" >}}\n',
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert "content/old.md:4: warning: shortcode 'definition' names the old slug of 'vram'" in err
    assert "Memory on the graphics card." in page(out, "articles/old")
