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
