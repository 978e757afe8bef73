"""Names in every script: slugs keep their letters (Hugo's URLs), hrefs are percent-encoded,
and a name that gives no URL, or two names that give one, are errors naming both files."""

from __future__ import annotations

from urllib.parse import quote

from conftest import make_site, run_cli

from glossary_site.content.documents import slugify


def term(title: str, category: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: A short summary.\ncategory: {category}\ndepth: basics\n{extra}---\nText.\n"


def test_slugify_keeps_every_script_and_its_marks():
    assert slugify("KV cache") == "kv-cache"
    assert slugify("コンセプト") == "コンセプト"
    assert slugify("プロパティ") == "プロパティ"
    assert slugify("Café au lait") == "café-au-lait"
    assert slugify("हिन्दी भाषा") == "हिन्दी-भाषा"  # vowel signs are marks: kept
    assert slugify("مُسَرَّد") == "مُسَرَّد"
    assert slugify("Русский язык") == "русский-язык"
    assert slugify("İstanbul") == "istanbul"  # one character lower-cased to one, as Go does
    assert slugify("ＧＰＵ") == "gpu"  # full-width letters: NFKC
    assert slugify("../..") == "" and slugify("🚀") == ""


def test_categories_in_japanese_get_their_own_urls(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: 用語集\nlanguage: ja\n",
        "terms/gainen.md": term("抽象化", "コンセプト"),
        "terms/zokusei.md": term("属性", "プロパティ"),
        "terms/カタカナ.md": term("キャッシュ", "コンセプト"),
        "content/ノート.md": "---\ntitle: ノート\ndate: 2026-01-01\ntags: [メモ]\n---\n本文。\n",
    })  # fmt: skip
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert (out / "categories" / "コンセプト" / "index.html").is_file()
    assert (out / "categories" / "プロパティ" / "index.html").is_file()
    assert (out / "terms" / "カタカナ" / "index.html").is_file()  # a file name in Katakana is its slug
    listing = (out / "categories" / "index.html").read_text()
    encoded = quote("/categories/コンセプト/")
    assert f'href="{encoded}"' in listing and "/categories/コンセプト/" not in listing.replace(">コンセプト<", "")
    sitemap = (out / "sitemap.xml").read_text()
    assert quote("terms/カタカナ/") in sitemap and "カタカナ" not in sitemap
    assert (out / "articles" / "ノート" / "index.html").is_file() and (out / "tags" / "メモ" / "index.html").is_file()
    feed = (out / "feed.xml").read_text()
    assert quote("/articles/ノート/") in feed and "<title>ノート</title>" in feed
    assert f'href="{quote("/tags/メモ/")}"' in (out / "articles" / "ノート" / "index.html").read_text()


def test_a_name_without_letters_is_an_error_with_the_slug_to_set(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "terms/🚀.md": term("Rocket", "Basics"),
        "terms/ok.md": term("Fine", "🔥"),
    })  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    (out / ".glossary-site").write_text("previous build\n")
    (out / "index.html").write_text("previous\n")
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 1
    assert "terms/🚀.md:1: error: file name '🚀.md' gives an empty slug (it has no letters or digits). " \
           "Set one in its front matter, e.g. slug: rocket" in err
    assert "terms/ok.md:4: error: category '🔥' gives an empty URL" in err
    assert (out / "index.html").read_text() == "previous\n"


def test_a_term_slug_set_in_front_matter_is_used(tmp_path, capsys):
    site = make_site(tmp_path / "site", {"terms/🚀.md": term("Rocket", "Basics", "slug: rocket\n")})
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "build", site, "--output", out)
    assert code == 0, err
    assert (out / "terms" / "rocket" / "index.html").is_file()


def test_names_that_really_collide_name_both_files(tmp_path, capsys):
    site = make_site(tmp_path / "site", {
        "terms/a/café.md": term("Café", "Drinks"),
        "terms/b/Café.md": term("Café two", "Drinks"),
        "terms/c.md": term("Tea", "drinks"),
    })  # fmt: skip
    code, _, err = run_cli(capsys, "build", site, "--output", tmp_path / "out")
    assert code == 1
    assert ("terms/b/Café.md:2: error: term slug 'café' is also the slug of terms/a/café.md: both would be "
            "/terms/café/. Give one of them its own slug, e.g. slug: café-2") in err
    assert "terms/c.md:4: error: category 'drinks' has the same URL as category 'Drinks' of terms/a/café.md" in err


def test_reading_time_counts_characters_of_scripts_without_spaces():
    from glossary_site.linking.matcher import word_count

    assert word_count("one two  three") == 3
    assert word_count("自" * 1000) == 400  # as Hugo reads CJK: about 500 characters a minute against 200 words
    assert word_count("GPUを使う 2 times") == 3 + 1  # GPU, 2, times; and three characters at 0.4
