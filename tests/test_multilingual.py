"""A multilingual site (tests/sites/multilingual: English, Japanese in content/ja/ and terms/ja/
folders, Arabic in name.ar.md files): each language gets its own glossary, linking, listings,
feeds and search under /<code>/; untranslated terms fall back; translations link to each other."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import make_site, run_cli

from glossary_site.commands.cli import main

SITE = Path(__file__).parent / "sites" / "multilingual"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("multilingual")
    site = work / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    assert main(["build", str(site), "--output", str(work / "out")]) == 0
    return work / "out"


def page(out: Path, rel: str) -> str:
    return (out / rel / "index.html").read_text(encoding="utf-8") if not rel.endswith((".xml", ".json")) else \
        (out / rel).read_text(encoding="utf-8")


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" class="term-link"', html)


def test_each_language_is_published_under_its_code_and_the_default_at_the_root(built):
    assert (built / "articles/running-models-at-home/index.html").is_file()
    assert (built / "ja/articles/running-models-at-home/index.html").is_file()
    assert (built / "ar/articles/running-models-at-home/index.html").is_file()
    assert (built / "ja/articles/memory-notes/index.html").is_file()
    assert not (built / "articles/memory-notes").exists()  # a Japanese-only article is not in English
    assert 'lang="ja"' in page(built, "ja") and 'lang="ar"' in page(built, "ar") and 'lang="en"' in page(built, "")


def test_each_language_has_its_own_glossary_with_categories_in_its_script(built):
    ja_terms = {p.name for p in (built / "ja/terms").iterdir() if p.is_dir()}
    assert ja_terms == {"cache", "context-window", "gpu", "inference", "kv-cache", "ryoushika", "token", "vram"}
    en_terms = {p.name for p in (built / "terms").iterdir() if p.is_dir()}
    assert "cache" not in en_terms and "ryoushika" not in en_terms
    assert (built / "ja/categories/メモリ/index.html").is_file()
    assert (built / "ar/categories/العتاد/index.html").is_file()
    assert f'href="{quote("/ja/categories/メモリ/")}"' in page(built, "ja/categories")
    # The stand-in VRAM joins the category its translated neighbours are named in.
    assert "/ja/terms/vram/" in page(built, "ja/categories/ハードウェア")


def test_mentions_in_running_japanese_text_link_to_the_japanese_glossary(built):
    html = page(built, "ja/articles/running-models-at-home")
    found = links(html)
    assert "/ja/terms/gpu/" in found and "/ja/terms/kv-cache/" in found and "/ja/terms/ryoushika/" in found
    assert "/ja/terms/context-window/" in found and "/ja/terms/vram/" in found  # VRAM: the English stand-in
    assert all(url.startswith("/ja/") for url in found)
    assert "<code>KVキャッシュ</code>" in html  # never inside code
    assert '<h2 id="量子化について">量子化について</h2>' in html  # nor in a heading


def test_an_untranslated_term_falls_back_to_the_default_language_marked_as_such(built):
    html = page(built, "ja/terms/vram")
    assert "VRAM" in html and 'lang="en"' in html  # the English entry, marked as English text
    assert 'class="fallback"' in html
    previews = json.loads(page(built, "ja/_glossary/previews.json"))
    assert previews["vram"].get("fallback") == "en"
    assert "fallback" not in previews["gpu"]


def test_translations_link_to_each_other_with_hreflang_and_a_switcher(built):
    html = page(built, "articles/running-models-at-home")
    for code, url in (("en", "/articles/running-models-at-home/"), ("ja", "/ja/articles/running-models-at-home/"),
                      ("ar", "/ar/articles/running-models-at-home/")):  # fmt: skip
        assert f'<link rel="alternate" hreflang="{code}" href="{url}">' in html
    switcher = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    assert 'href="/ja/articles/running-models-at-home/"' in switcher and 'aria-current="page"' in switcher
    # A translationKey pairs files of other names: quantization.md and ja/ryoushika.md.
    assert 'hreflang="ja" href="/ja/terms/ryoushika/"' in page(built, "terms/quantization")
    assert 'hreflang="en" href="/terms/quantization/"' in page(built, "ja/terms/ryoushika")
    # A page with no translation offers the other languages' home pages.
    only = page(built, "ja/articles/memory-notes")
    assert '<link rel="alternate" hreflang' not in only
    assert 'href="/"' in re.search(r'<nav class="languages".*?</nav>', only, re.S).group(0)


def test_feeds_listings_and_search_are_per_language(built):
    ja_feed = page(built, "ja/feed.xml")
    assert "memory-notes" in ja_feed and "choosing-a-quantization" not in ja_feed
    assert "memory-notes" not in page(built, "feed.xml")
    ja_entry = json.loads((built / "ja/pagefind/0/pagefind-entry.json").read_text())
    assert list(ja_entry["languages"]) == ["ja"]
    en_entry = json.loads((built / "pagefind/0/pagefind-entry.json").read_text())
    assert list(en_entry["languages"]) == ["en"]
    assert 'dir="rtl"' in page(built, "ar") and 'dir="rtl"' not in page(built, "ja")
    index = page(built, "sitemap.xml")
    assert "<sitemapindex" in index and all(f"<loc>/{code}/sitemap.xml</loc>" in index for code in ("en", "ja", "ar"))
    assert "/ja/articles/memory-notes/" in page(built, "ja/sitemap.xml")
    assert "<loc>/articles/running-models-at-home/</loc>" in page(built, "en/sitemap.xml")


def test_a_rebuild_is_up_to_date_and_an_edit_rebuilds_only_its_language(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    out = tmp_path / "out"
    assert run_cli(capsys, "build", site, "--output", out)[0] == 0
    code, printed, _ = run_cli(capsys, "build", site, "--output", out)
    assert code == 0 and "up to date" in printed
    before = {p: p.stat().st_ino for p in (out / "articles").rglob("*.html")}
    note = site / "content/ja/posts/memory-notes.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n追記の一文。\n", encoding="utf-8")
    code, printed, _ = run_cli(capsys, "build", site, "--output", out)
    assert code == 0
    assert "追記の一文" in page(out, "ja/articles/memory-notes")
    assert {p: p.stat().st_ino for p in (out / "articles").rglob("*.html")} == before  # English untouched


def test_a_language_folder_the_site_does_not_declare_is_an_error(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\nlanguage: en\nlanguages:\n  en: English\n  ja: 日本語\n",
        "content/fr/bonjour.md": "---\ntitle: Bonjour\n---\nSalut.\n",
        "content/posts/hallo.md": "---\ntitle: Hello\n---\nHello.\n",
        "content/posts/hallo.de.md": "---\ntitle: Hallo\n---\nHallo.\n",
        "terms/socket.io.md": "---\ntitle: Socket.IO\nsummary: A library.\ncategory: Web\ndepth: basics\n---\n",
        "content/posts/release.v2.md": "---\ntitle: Not a language\n---\nText.\n",
    })  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    (out / ".glossary-site").write_text("previous build\n")
    (out / "index.html").write_text("previous\n")
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 1
    assert ("content/fr/bonjour.md:1: error: 'fr' looks like a language, but the site does not declare it. "
            "Add fr to 'languages' in site.yaml (declared: en, ja), or rename the folder.") in err
    assert "content/posts/hallo.de.md:1: error: 'de' looks like a language" in err
    assert "release.v2" not in err and "socket.io" not in err  # a suffix counts only beside its original
    assert (out / "index.html").read_text() == "previous\n"


def test_languages_are_read_from_hugo_config(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        # languageCode only says <html lang> in a multilingual Hugo site; with no defaultContentLanguage, 'en' is the default.
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Site"\nlanguageCode = "en-us"\n'
                     '[languages.en]\nlanguageName = "English"\nweight = 1\n'
                     '[languages.ja]\nlanguageName = "日本語"\nweight = 2\ntitle = "サイト"\n',
        "content/ja/posts/folder.md": "---\ntitle: フォルダ\ndate: 2026-01-02\n---\nフォルダの記事。\n",
        "content/posts/hello.md": "---\ntitle: Hello\ndate: 2026-01-01\n---\nHello.\n",
        "content/posts/hello.ja.md": "---\ntitle: こんにちは\ndate: 2026-01-01\n---\nこんにちは。\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert "<title>こんにちは" in page(out, "ja/posts/hello")  # Hugo's URLs, under /ja/
    assert 'hreflang="ja" href="https://example.org/ja/posts/hello/"' in page(out, "posts/hello")
    section = page(out, "ja/posts")  # both layouts' articles in the section posts, under /ja/
    assert "/ja/posts/hello/" in section and "/ja/posts/folder/" in section
    assert not (out / "ja/ja").exists() and not (out / "ja/posts/folder.ja").exists()
    assert 'hreflang="ja" href="https://example.org/ja/"' in page(out, "")  # the home pages are translations too


def test_a_stand_in_term_points_back_to_its_original(built):
    html = page(built, "ja/terms/vram")
    assert '<link rel="canonical" href="/terms/vram/">' in html  # the same text: the original is canonical
    assert '<link rel="alternate" hreflang' not in html
    switcher = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    assert 'href="/terms/vram/" hreflang="en"' in switcher
    assert "/ja/terms/vram/" not in page(built, "ja/sitemap.xml") and "/ja/terms/gpu/" in page(built, "ja/sitemap.xml")


def test_two_versions_of_one_page_in_one_language_are_an_error(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    (site / "terms/ja/gpu2.md").write_text("---\ntitle: GPU2\nsummary: 二つ目。\ncategory: ハードウェア\ndepth: basics\n"
                                           "translationKey: terms/gpu\n---\n", encoding="utf-8")  # fmt: skip
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1
    assert ("terms/ja/gpu2.md:6: error: this term and terms/ja/gpu.md are both the ja version of 'terms/gpu'. "
            "Give one of them its own translationKey.") in err


def test_translation_keys_pass_a_strict_check_and_any_output_folder_works(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    renamed = site / "content/ja/posts/jitaku.md"
    (site / "content/ja/posts/running-models-at-home.md").rename(renamed)
    renamed.write_text(renamed.read_text(encoding="utf-8").replace(
        "---\n", "---\ntranslationKey: content/posts/running-models-at-home\n", 1), encoding="utf-8")
    code, _, err = run_cli(capsys, "check", site, "--strict")
    assert code == 0, err
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as other:
        out = Path(other) / "out"  # possibly another file system than the workspace: copies, not links
        code, _, err = run_cli(capsys, "build", site, "--output", out)
        assert code == 0, err
        assert 'hreflang="ja" href="/ja/articles/jitaku/"' in page(out, "articles/running-models-at-home")


def test_a_declared_default_language_must_be_one_of_the_languages(tmp_path, capsys):
    site = make_site(tmp_path / "site", {"site.yaml": "language: de\nlanguages:\n  en: English\n  ja: 日本語\n"})
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1
    assert "site.yaml: error: language 'de' is not one of the declared languages. Use one of: en, ja." in err


def test_the_dev_server_serves_every_language_and_rebuilds_an_edit(tmp_path):
    from test_author_loop import Events, get

    from glossary_site.commands.dev_server import DevServer
    from glossary_site.content.config import load_config
    from glossary_site.content.diagnostics import Diagnostics

    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    server = DevServer(load_config(site, Diagnostics()), bind="127.0.0.1", port=0, log=lambda line: None)
    server.start()
    try:
        status, html = get(server, quote("/ja/articles/running-models-at-home/"))
        assert status == 200 and 'href="/ja/terms/kv-cache/"' in html
        assert get(server, quote("/ar/categories/العتاد/"))[0] == 200
        events = Events(server)
        first = events.next_state(0)
        note = site / "content/ja/posts/memory-notes.md"
        note.write_text(note.read_text(encoding="utf-8") + "\n編集した一文。\n", encoding="utf-8")
        state = events.next_state(1)
        assert state["version"] == first["version"] + 1 and state["errors"] == []
        assert "編集した一文" in get(server, "/ja/articles/memory-notes/")[1]
    finally:
        server.stop()


def test_explain_uses_the_articles_language_its_glossary_and_its_rules(tmp_path, capsys):
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("expected"))
    code, out, err = run_cli(capsys, "explain", site / "content/ja/posts/running-models-at-home.md", "--site", site)
    assert code == 0, err
    assert "'KVキャッシュ' -> kv-cache: linked (by characters: Hiragana)" in out
    assert "'キャッシュ' -> cache: skipped: overlaps a longer match" in out
    assert "'量子化' -> ryoushika: skipped: in a heading" in out


def test_a_term_named_in_japanese_links_with_its_url_percent_encoded(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: 用語集\nlanguage: ja\n",
        "terms/キャッシュ.md": "---\ntitle: キャッシュ\nsummary: 一時的な保存。\ncategory: メモリ\ndepth: basics\n---\n本文。\n",
        "content/note.md": "---\ntitle: メモ\n---\nディスクのキャッシュを消した。\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert links(page(out, "articles/note")) == [quote("/terms/キャッシュ/")]
    assert (out / "terms/キャッシュ/index.html").is_file()


def test_a_glossary_kept_in_content_is_a_glossary_in_every_language(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\nlanguage: en\nterms_dir: content/glossary\nlanguages:\n  en: English\n  ja: 日本語\n",
        "content/glossary/cache.md": "---\ntitle: Cache\nsummary: Kept data.\ncategory: Memory\ndepth: basics\n---\n",
        "content/ja/glossary/cache.md": "---\ntitle: キャッシュ\nsummary: 保存。\ncategory: メモリ\ndepth: basics\n---\n",
        "content/ja/glossary/_index.md": "---\ntitle: 用語集\n---\n",
        "content/ja/note.md": "---\ntitle: メモ\n---\nキャッシュを消す。\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert "キャッシュ" in page(out, "ja/terms/cache") and 'class="fallback"' not in page(out, "ja/terms/cache")
    assert not (out / "ja/articles/cache").exists()
    assert links(page(out, "ja/articles/note")) == ["/ja/terms/cache/"]


def test_strings_in_hugos_toml_format_are_read(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\nlanguage: en\nlanguages:\n  en: English\n  ja: 日本語\n",
        "i18n/ja.toml": 'nav_search = "さがす"\n\n[articles_using_term]\nother = "{count}件の記事がこの用語を使っています"\n',
        "terms/ja/gpu.md": "---\ntitle: GPU\nsummary: 計算機。\ncategory: 機械\ndepth: basics\n---\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert ">さがす</a>" in page(out, "ja/terms/gpu")


def test_ref_finds_the_page_of_its_own_language_as_in_hugo(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "hugo.toml": 'title = "S"\ndefaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.ja]\nweight = 2\n',
        "content/docs/_index.en.md": "---\ntitle: Docs\n---\n",  # the default language named explicitly
        "content/docs/_index.ja.md": "---\ntitle: ドキュメント\n---\n",
        "content/docs/start.md": '---\ntitle: Start\n---\nSee [the docs]({{< relref "/docs" >}}) and [icons]({{< relref "docs/icon" >}}).\n',
        "content/docs/start.ja.md": '---\ntitle: はじめに\n---\n[ドキュメント]({{< relref "/docs" >}})と[アイコン]({{< relref "docs/icon" >}})。\n',
        "content/docs/icon.md": "---\ntitle: Icon\n---\nIcon.\n",
        "content/docs/icon.ja.md": "---\ntitle: アイコン\n---\nアイコン。\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    ja = page(out, "ja/docs/start")
    assert 'href="/ja/docs/"' in ja and 'href="/ja/docs/icon/"' in ja
    assert 'href="/docs/icon/"' in page(out, "docs/start")
