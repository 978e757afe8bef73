"""The theme's own words in the site's language: strings files (the theme's and the site's
i18n/), plural forms and dates by Babel, right-to-left pages, and the cache following a
strings file's edits."""

import functools
import http.server
import json
import re
import threading
from pathlib import Path

import pytest
import yaml
from conftest import make_site, run_cli
from test_up_to_date import age_inputs

from glossary_site.commands.cli import main
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.pages.strings import PLURAL_FORMS, load_strings
from glossary_site.pages.templates import THEME

TERM = "---\ntitle: {title}\nsummary: {summary}\ncategory: {category}\ndepth: {depth}\n{extra}---\n{body}\n"
WORDS = " ".join(["word"] * 400)  # two minutes of reading at 200 words a minute


def term(title, summary="A test term.", category="Memory", depth="basics", extra="", body=""):
    return TERM.format(title=title, summary=summary, category=category, depth=depth, extra=extra, body=body)


def site_files(language: str | None = None, extra: dict | None = None) -> dict:
    """Two terms, a short article (one minute) and a long one (two minutes), both dated."""
    files = {
        "site.yaml": "search: false\n" + (f"language: {language}\n" if language else ""),
        "terms/gpu.md": term("GPU", "A parallel processor.", category="Hardware", extra="aliases: [graphics card, accelerator]\n"),
        "terms/kv-cache.md": term("KV cache", "Remembered keys and values.", depth="deeper"),
        "terms/vram.md": term("VRAM", "Memory on the card.", category="Hardware"),
        "content/short.md": "---\ntitle: Short\ndate: 2026-01-20\n---\nThe GPU holds the KV cache.\n",
        "content/long.md": f"---\ntitle: Long\ndate: 2026-03-05\n---\nThe GPU again.\n\n{WORDS}\n",
    }  # fmt: skip
    return {**files, **(extra or {})}


def build(capsys, site: Path, *flags: str) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "build", site, *flags)
    return code, out + err


def page(site: Path, rel: str) -> str:
    return (site / "public" / rel).read_text(encoding="utf-8")


def built(tmp_path: Path, capsys, files: dict) -> Path:
    site = make_site(tmp_path / "site", files)
    code, out = build(capsys, site)
    assert code == 0, out
    return site


def reading_time(html: str) -> str:
    return re.search(r'<span class="reading-time">([^<]*)</span>', html)[1]


# --- the shipped languages ------------------------------------------------------------


def test_japanese_site_shows_the_themes_words_and_dates_in_japanese(tmp_path, capsys):
    site = built(tmp_path, capsys, site_files("ja"))
    gpu = page(site, "terms/gpu/index.html")
    assert "<h2>この用語を使っている記事（2件）</h2>" in gpu and "Articles that use this term" not in gpu
    assert '<a href="/terms/">用語集</a>' in gpu and '<a class="skip" href="#main">本文へ移動</a>' in gpu
    assert '別名：<span class="alias">graphics card</span>、<span class="alias">accelerator</span>' in gpu
    assert '<time datetime="2026-01-20">2026年1月20日</time>' in gpu  # readers' date; machines' stays ISO
    short = page(site, "articles/short/index.html")
    assert '<time datetime="2026-01-20" data-pagefind-meta="date">2026年1月20日</time>' in short
    assert reading_time(short) == "1分で読めます" and "<h2>この記事の用語</h2>" in short
    assert '<html lang="ja">' in short  # left to right: no dir
    # The theme's depths are the theme's words; categories and term names are the author's.
    assert '<a class="depth depth-basics" href="/depth/basics/">基礎</a>' in gpu and ">Hardware</a>" in gpu
    assert "<h1>レベル：発展</h1>" in page(site, "depth/deeper/index.html")
    # Feeds and the sitemap keep their machine-readable dates.
    assert "<updated>2026-03-05T00:00:00Z</updated>" in page(site, "feed.xml")
    assert "<lastmod>2026-01-20</lastmod>" in page(site, "sitemap.xml")


def test_german_plurals_and_dates(tmp_path, capsys):
    site = built(tmp_path, capsys, site_files("de"))
    assert reading_time(page(site, "articles/short/index.html")) == "1 Minute Lesezeit"
    assert reading_time(page(site, "articles/long/index.html")) == "2 Minuten Lesezeit"
    categories = page(site, "categories/index.html")
    assert '<span class="count">2 Begriffe</span>' in categories and '<span class="count">1 Begriff</span>' in categories
    assert ">20. Januar 2026</time>" in page(site, "articles/index.html")
    assert "<h2>Artikel, die diesen Begriff verwenden (2)</h2>" in page(site, "terms/gpu/index.html")


@pytest.mark.parametrize("language, heading, date", [
    ("fr", "Articles qui utilisent ce terme (2)", "20 janvier 2026"),
    ("es", "Artículos que usan este término (2)", "20 de enero de 2026"),
])  # fmt: skip
def test_french_and_spanish_ship_too(tmp_path, capsys, language, heading, date):
    site = built(tmp_path, capsys, site_files(language))
    gpu = page(site, "terms/gpu/index.html")
    assert f"<h2>{heading}</h2>" in gpu and f">{date}</time>" in gpu


def test_english_reads_as_before(tmp_path, capsys):
    site = built(tmp_path, capsys, site_files())
    gpu = page(site, "terms/gpu/index.html")
    assert "<h2>Articles that use this term (2)</h2>" in gpu and "<h2>Related terms</h2>" not in gpu
    assert 'Also called: <span class="alias">graphics card</span>, <span class="alias">accelerator</span>' in gpu
    assert reading_time(page(site, "articles/short/index.html")) == "1 min read"
    assert reading_time(page(site, "articles/long/index.html")) == "2 min read"
    assert '<time datetime="2026-01-20">January 20, 2026</time>' in gpu
    assert '<html lang="en">' in gpu
    categories = page(site, "categories/index.html")
    assert '<span class="count">2 terms</span>' in categories and '<span class="count">1 term</span>' in categories


def test_scripts_get_their_words_from_the_page(tmp_path, capsys):
    site = built(tmp_path, capsys, {**site_files("ja"), "site.yaml": "language: ja\n"})
    search = page(site, "search/index.html")
    words = json.loads(re.search(r"search\.js\" data-bundle=\"/pagefind/\" data-strings='([^']*)'", search)[1])
    assert words["results"] == {"other": "「{query}」の検索結果：{count}件"} and "unavailable" in words
    article = page(site, "articles/short/index.html")
    copy = json.loads(re.search(r"copy\.js\" data-strings='([^']*)'", article)[1])
    assert copy == {"copy": "コピー", "copied": "コピーしました", "label": "コードをクリップボードにコピー"}
    assert "data-strings='{\"close\": \"プレビューを閉じる\"}'" in article
    assert "表示中" in page(site, "terms/index.html")  # the depth filter's announcements
    for script in ("copy.js", "previews.js", "filter.js", "search.js"):
        code = re.sub(r"^\s*//.*$", "", (THEME / "static" / script).read_text(), flags=re.M)  # comments aside
        assert not re.search(r'"(Copy|Copied|Close preview|Showing|No results|Search is not)', code), script


# --- a site's own strings files -------------------------------------------------------


def test_a_site_file_wins_for_its_keys_and_the_theme_fills_in_the_rest(tmp_path, capsys):
    site = built(tmp_path, capsys, site_files("ja", {"i18n/ja.yaml": "articles_using_term: この用語が出てくる記事\n"}))
    gpu = page(site, "terms/gpu/index.html")
    assert "<h2>この用語が出てくる記事</h2>" in gpu and "<h2>この用語を使っている記事</h2>" not in gpu
    assert '<a href="/terms/">用語集</a>' in gpu  # from the theme's ja.yaml


def test_an_english_site_overrides_a_string_and_the_date_format(tmp_path, capsys):
    files = site_files(extra={"i18n/en.yaml": 'reading_time: {one: "a minute", other: "{count} minutes"}\ndate_format: yyyy-MM-dd\n'})
    site = built(tmp_path, capsys, files)
    assert reading_time(page(site, "articles/short/index.html")) == "a minute"
    assert reading_time(page(site, "articles/long/index.html")) == "2 minutes"
    assert '<time datetime="2026-01-20">2026-01-20</time>' in page(site, "terms/gpu/index.html")


def test_a_language_the_theme_does_not_ship_works_with_a_site_file(tmp_path, capsys):
    arabic = {
        "i18n/ar.yaml": "articles_using_term: مقالات تستخدم هذا المصطلح\n"
                        "reading_time: {zero: '', one: دقيقة واحدة, two: دقيقتان, few: '{count} دقائق', many: '{count} دقيقة', other: '{count} دقيقة'}\n",
    }  # fmt: skip
    site = built(tmp_path, capsys, site_files("ar", arabic))
    gpu = page(site, "terms/gpu/index.html")
    assert '<html lang="ar" dir="rtl">' in gpu
    assert "<h2>مقالات تستخدم هذا المصطلح</h2>" in gpu
    assert "<h2>Terms that mention it</h2>" not in gpu and '<a href="/terms/">Glossary</a>' in gpu  # English fills in
    assert "20 يناير 2026" in gpu  # Babel knows Arabic's dates though the theme has no Arabic file
    assert reading_time(page(site, "articles/short/index.html")) == "دقيقة واحدة"
    assert reading_time(page(site, "articles/long/index.html")) == "دقيقتان"  # Arabic's dual


def test_right_to_left_languages_get_dir_rtl_and_the_others_none(tmp_path, capsys):
    for language, expected in (("he", '<html lang="he" dir="rtl">'), ("fa", '<html lang="fa" dir="rtl">'),
                               ("en", '<html lang="en">'), ("de", '<html lang="de">')):  # fmt: skip
        site = built(tmp_path / language, capsys, site_files(language))
        assert expected in page(site, "index.html"), language
        assert 'dir="rtl"' not in page(site, "index.html") or expected.endswith('dir="rtl">')


def test_the_stylesheet_has_no_physical_sides():
    """Logical properties only, so dir="rtl" mirrors the layout."""
    css = (THEME / "static" / "style.css").read_text()
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert not re.search(r"(^|[\s;{])(left|right|margin-left|margin-right|padding-left|padding-right|border-left|"
                         r"border-right|float|text-align)\s*:", rules), "use inline-start/end"  # fmt: skip


def test_the_multilingual_test_sites_arabic_file_has_every_key():
    english = yaml.safe_load((THEME / "i18n/en.yaml").read_text(encoding="utf-8"))
    arabic = Path(__file__).parent / "sites/multilingual/i18n/ar.yaml"
    assert set(yaml.safe_load(arabic.read_text(encoding="utf-8"))) == set(english)
    diags = Diagnostics()
    strings = load_strings(arabic.parent.parent, "ar", diags)
    assert diags.items == [] and strings.direction == "rtl"
    assert strings("reading_time", count=3) == "3 دقائق للقراءة" and strings("reading_time", count=11) == "11 دقيقة للقراءة"


# --- the theme's own files ------------------------------------------------------------


def test_every_key_the_theme_uses_is_in_english_and_every_language_has_them_all():
    used = set()
    for path in (THEME / "templates").iterdir():
        used |= set(re.findall(r"""\bT(?:\.forms|\.text)?\(\s*['"]([^'"]+)['"]""", path.read_text()))
    english = yaml.safe_load((THEME / "i18n/en.yaml").read_text(encoding="utf-8"))
    assert used <= set(english), used - set(english)
    assert set(english) - used == {"date_format", "depth_basics", "depth_deeper", "depth_deepest"} - used
    for language in ("ja", "de", "fr", "es"):
        diags = Diagnostics()
        strings = load_strings(Path("/nonexistent"), language, diags)
        own = yaml.safe_load((THEME / f"i18n/{language}.yaml").read_text(encoding="utf-8"))
        assert set(own) == set(english), (language, set(own) ^ set(english))
        assert diags.items == [], [str(d) for d in diags.items]
        assert all(strings.origin[key] == f"theme/i18n/{language}.yaml" for key in english)


def test_strings_escape_text_and_values_but_not_markup():
    from markupsafe import Markup

    strings = load_strings(Path("/nonexistent"), "en")
    link = Markup('<a href="/x/">the glossary</a>')
    assert strings("not_found_text", glossary=link, articles="<b>") == (
        'This page does not exist. Try <a href="/x/">the glossary</a> or &lt;b&gt;.')
    assert strings.text("search_results", count=1, query="<q>") == "1 result for “<q>”"
    assert strings.forms("reading_time") == {"one": "{count} min read", "other": "{count} min read"}


def test_a_hugo_themes_placeholders_work(tmp_path):
    site = make_site(tmp_path / "site", {"i18n/en.yaml": 'reading_time: {one: "{{ .Count }} minute", other: "{{ .Count }} minutes"}\n'})
    strings = load_strings(site, "en")
    assert strings("reading_time", count=1) == "1 minute" and strings("reading_time", count=5) == "5 minutes"


@pytest.mark.parametrize("language", ["xx", "!!", "x-klingon", ""])
def test_an_unknown_language_is_english_with_a_warning(tmp_path, capsys, language):
    site = make_site(tmp_path / "site", site_files(extra={"site.yaml": f"search: false\nlanguage: '{language}'\n"}))
    code, out = build(capsys, site)
    assert code == 0 and "Traceback" not in out
    assert "site.yaml: warning: language" in out and "Babel" in out
    gpu = page(site, "terms/gpu/index.html")
    assert "January 20, 2026" in gpu and "Articles that use this term" in gpu


# --- the cache --------------------------------------------------------------------------


def test_editing_the_sites_strings_file_re_renders_the_pages(tmp_path, capsys):
    site = make_site(tmp_path / "site", site_files("ja", {"i18n/ja.yaml": "articles_using_term: 使用例\n"}))
    age_inputs(site)
    assert build(capsys, site)[0] == 0
    assert "up to date" in build(capsys, site)[1]  # i18n/ is in the stat snapshot ...
    (site / "i18n/ja.yaml").write_text("articles_using_term: 使っている記事\n", encoding="utf-8")
    age_inputs(site)
    code, out = build(capsys, site)  # ... so an edit is seen, and the page keys hold the strings
    assert code == 0 and "up to date" not in out
    assert "<h2>使っている記事</h2>" in page(site, "terms/gpu/index.html")
    (site / "i18n/ja.yaml").write_text("# the same strings\narticles_using_term: 使っている記事\n", encoding="utf-8")
    age_inputs(site)
    assert "(0 written, 0 removed)" in build(capsys, site)[1]  # the strings in effect are what counts
    (site / "i18n/ja.yaml").unlink()  # back to the theme's
    age_inputs(site)
    assert build(capsys, site)[0] == 0
    assert "<h2>この用語を使っている記事（2件）</h2>" in page(site, "terms/gpu/index.html")
    assert "使っている記事</h2>" not in page(site, "articles/short/index.html")


def test_a_new_strings_file_is_seen(tmp_path, capsys):
    site = make_site(tmp_path / "site", site_files("de"))
    age_inputs(site)
    assert build(capsys, site)[0] == 0
    make_site(site, {"i18n/de.yaml": "related_terms: Siehe auch\nterms_in_article: Begriffe hier\n"})
    age_inputs(site)
    assert build(capsys, site)[0] == 0
    assert "<h2>Begriffe hier</h2>" in page(site, "articles/short/index.html")


# --- bad strings files ------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("related_terms: Siehe auch\nterms_in_article: [Begriffe\n", "i18n/de.yaml:3: error: invalid YAML"),
    ("- related_terms\n- Siehe auch\n", "i18n/de.yaml:1: error: i18n/de.yaml must be a mapping of keys to values"),
    ("related_terms: Siehe auch\nreading_time: 5\n",
     "i18n/de.yaml:2: error: 'reading_time' must be text or plural forms ({one: ..., other: ...}), not a number"),
    ("related_terms: Siehe auch\n\nreading_time: {one: eine Minute}\n", "i18n/de.yaml:3: error: 'reading_time' has no 'other' form"),
    ("reading_time: {one: eine, othr: '{count}'}\n", "i18n/de.yaml:1: error: 'reading_time': unknown plural form 'othr'. Did you mean 'other'?"),
    ("reading_time: {one: eine, other: [x]}\n", "i18n/de.yaml:1: error: 'reading_time': the form 'other' must be text, not a list"),
    ("related_terms: Siehe auch\nrelated_terms: Mehr\n", "i18n/de.yaml:2: error: invalid YAML: duplicate key 'related_terms'"),
    ("date_format: QQQQQQQ\n", "i18n/de.yaml:1: error: date_format 'QQQQQQQ' is not a date format"),
    (b"related_terms: \xff\xfe\n", "i18n/de.yaml: error: cannot read the strings file"),
])  # fmt: skip
def test_a_bad_strings_file_is_an_error_at_its_line_and_the_output_stays(tmp_path, capsys, text, expected):
    site = make_site(tmp_path / "site", site_files("de"))
    assert build(capsys, site)[0] == 0
    before = page(site, "terms/gpu/index.html")
    make_site(site, {"i18n/de.yaml": text})
    code, out = build(capsys, site)
    assert code == 1 and expected in out and "Traceback" not in out, out
    assert page(site, "terms/gpu/index.html") == before
    code, out, err = run_cli(capsys, "check", site)
    assert code == 1 and expected in out + err


def test_an_unknown_key_is_a_warning_with_a_suggestion(tmp_path, capsys):
    site = make_site(tmp_path / "site", site_files("de", {"i18n/de.yaml": "related_terms: Siehe auch\nrelated_term: Siehe\n"}))
    code, out = build(capsys, site)
    assert code == 0
    assert ("i18n/de.yaml:2: warning: unknown string 'related_term': neither the theme nor the site's templates use it. "
            "Did you mean 'related_terms'?") in out  # fmt: skip
    assert build(capsys, site, "--strict")[0] == 1


def test_a_key_the_sites_own_templates_use_is_known(tmp_path, capsys):
    files = site_files("de", {"i18n/de.yaml": "subscribe: Abonnieren\n", "i18n/en.yaml": "subscribe: Subscribe\n",
                              "templates/footer.html": "<footer>{{ T('subscribe') }}</footer>\n"})  # fmt: skip
    site = make_site(tmp_path / "site", files)
    code, out = build(capsys, site)
    assert code == 0 and "warning" not in out, out
    assert "<footer>Abonnieren</footer>" in page(site, "index.html")


def test_a_template_asking_for_a_missing_string_is_an_error_at_its_line(tmp_path, capsys):
    files = site_files(extra={"templates/footer.html": "<footer>\n{{ T('subscribe') }}</footer>\n"})
    site = make_site(tmp_path / "site", files)
    code, out = build(capsys, site)
    assert code == 1 and "templates/footer.html:2: error: template error while rendering" in out
    assert "no string 'subscribe'" in out and "Traceback" not in out


def test_a_placeholder_the_theme_never_fills_is_a_warning(tmp_path, capsys):
    site = make_site(tmp_path / "site", site_files("de", {"i18n/de.yaml": 'reading_time: {one: "{cont} Minute", other: "{count} Minuten"}\n'}))
    code, out = build(capsys, site)
    assert code == 0
    assert "i18n/de.yaml:1: warning: 'reading_time': the placeholder {cont} is never filled. Did you mean 'count'?" in out


def test_every_plural_form_name_is_cldrs():
    assert PLURAL_FORMS == ("zero", "one", "two", "few", "many", "other")


# --- in a browser: the mirrored layout and the scripts' words ----------------------------------

ARABIC_STRINGS = (Path(__file__).parent / "sites/multilingual/i18n/ar.yaml").read_text(encoding="utf-8")
BROWSER_ARTICLE = """---
title: {title}
date: 2026-01-20
---
The GPU holds the KV cache, and VRAM is memory.

> A quoted line.

```python
print("a first line of code")
```
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An Arabic site and a Japanese one, built and served on loopback: language -> URL."""
    urls, servers = {}, []
    for language, extra in (("ar", {"i18n/ar.yaml": ARABIC_STRINGS}), ("ja", {})):
        work = tmp_path_factory.mktemp(f"i18n-{language}")
        files = {**site_files(language, extra), "site.yaml": f"language: {language}\n",
                 "content/code.md": BROWSER_ARTICLE.format(title="Code")}  # fmt: skip
        site = make_site(work / "site", files)
        assert main(["build", str(site), "--output", str(work / "public")]) == 0
        handler = functools.partial(_Quiet, directory=str(work / "public"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[language] = f"http://127.0.0.1:{server.server_address[1]}/"
    yield urls
    for server in servers:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def chromium():
    from test_browser import CHROMIUM, FLAGS, _browser_or_skip

    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def test_a_right_to_left_page_mirrors_its_layout(tab, served):
    tab.goto(served["ar"] + "articles/code/")
    tab.wait_for_load_state("networkidle")
    pre, button = tab.locator(".has-copy pre").bounding_box(), tab.locator(".copy-button").bounding_box()
    assert button["x"] - pre["x"] < 12  # at the end of the line: the left, in Arabic
    assert tab.locator(".copy-button").inner_text() == "نسخ"
    assert tab.locator(".copy-button").get_attribute("aria-label") == "نسخ الشيفرة إلى الحافظة"
    quote = tab.locator("blockquote").evaluate("q => [getComputedStyle(q).borderRightWidth, getComputedStyle(q).borderLeftWidth]")
    assert quote == ["4px", "0px"]
    heading = tab.locator("main h1").evaluate("h => { const r = document.createRange(); r.selectNodeContents(h); return r.getBoundingClientRect().right; }")
    column = tab.locator("main").evaluate("m => m.getBoundingClientRect().right - parseFloat(getComputedStyle(m).paddingRight)")
    assert abs(heading - column) < 2  # text starts at the right
    link = tab.locator("article .body a.term-link").first
    link.hover()
    preview = tab.locator("#term-preview")
    preview.wait_for(state="visible")
    box, anchor = preview.bounding_box(), link.bounding_box()
    assert abs(box["x"] + box["width"] - (anchor["x"] + anchor["width"])) < 2 or box["x"] <= 8  # under the link's start
    assert tab.locator(".preview-close").get_attribute("aria-label") == "إغلاق المعاينة"
    assert tab.errors == []


def test_the_scripts_speak_the_sites_language(tab, served):
    tab.goto(served["ja"] + "terms/")
    tab.click(".depth-filter a[data-depth='deeper']")
    assert tab.locator("#filter-status").inner_text() == "発展の用語を表示中"
    tab.click(".depth-filter a[data-depth='']")
    assert tab.locator("#filter-status").inner_text() == "すべての用語を表示中"
    tab.goto(served["ja"] + "search/?q=GPU")
    tab.wait_for_function("document.getElementById('search-status').textContent.includes('検索結果')")
    assert re.fullmatch(r"「GPU」の検索結果：\d+件", tab.locator("#search-status").inner_text())
    assert set(tab.locator("#search-results .depth").all_inner_texts()) <= {"基礎", "発展", "専門"}  # the theme's depths
    assert tab.locator("#search-results .depth").count() >= 1
    tab.goto(served["ar"] + "search/?q=VRAM")
    tab.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    status = tab.locator("#search-status").inner_text()
    count = len(tab.locator("#search-results li").all())
    expected = {1: "نتيجة واحدة لـ«VRAM»", 2: "نتيجتان لـ«VRAM»"}.get(count, f"{count} نتائج لـ«VRAM»")
    assert status == expected, (count, status)
    assert tab.errors == []


def test_axe_finds_no_serious_problems_on_right_to_left_and_japanese_pages(tab, served):
    from axe_playwright_python.sync_playwright import Axe

    axe, problems = Axe(), []
    for language in ("ar", "ja"):
        for rel in ("", "terms/", "terms/gpu/", "articles/code/", "search/"):
            tab.goto(served[language] + rel)
            violations = axe.run(tab).response["violations"]
            problems += [f"{language}/{rel}: {v['id']} ({v['impact']}): {v['help']}"
                         for v in violations if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert problems == []
