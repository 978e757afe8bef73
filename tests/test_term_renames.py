"""Renames that keep URLs: a term's aliases that start with '/' are its old URLs (redirect pages,
as Hugo's aliases), and `[[old-slug]]` still resolves, with a warning naming the new slug."""

from __future__ import annotations

from conftest import make_site, run_cli


def term(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: A short summary.\ncategory: Memory\ndepth: basics\n{extra}---\nText.\n"


def test_old_urls_of_a_renamed_term_redirect_and_old_references_resolve_with_a_warning(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\nbase_url: https://example.org/docs/\n",
        "terms/kv-cache.md": term("KV cache", "aliases: [key-value cache, /terms/attention-cache/, /old/kv.html]\n"),
        "content/post.md": "---\ntitle: Post\n---\nSee [[attention-cache]] and [[attention-cache|the cache]].\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    redirect = (out / "terms/attention-cache/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=https://example.org/docs/terms/kv-cache/">' in redirect
    assert 'content="noindex"' in redirect
    assert (out / "old/kv.html").is_file()  # an alias naming a file is written as that file, as Hugo does
    post = (out / "articles/post/index.html").read_text()
    assert post.count('<a href="/docs/terms/kv-cache/" class="term-link"') == 2
    assert "content/post.md:4: warning: [[attention-cache]] names the old slug of 'kv-cache'. Write [[kv-cache]]" in err
    assert "attention-cache" not in (out / "sitemap.xml").read_text()
    # An old URL is not a name: it never links in prose, and the term's names stay as they were.
    assert "/terms/attention-cache/" not in (out / "terms/kv-cache/index.html").read_text().split("</header>")[0]


def test_an_old_url_that_is_another_terms_page_is_an_error_naming_both(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "terms/kv-cache.md": term("KV cache", "aliases: [/terms/cache/]\n"),
        "terms/cache.md": term("Cache"),
        "content/post.md": "---\ntitle: Post\n---\nSee [[cache]].\n",
    })  # fmt: skip
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1
    assert "old slug" not in err  # [[cache]] is the term cache, not kv-cache's old slug
    assert "output path 'terms/cache/index.html' is also produced by" in err
