"""The reader's features in a real browser: Debian's Chromium driven by Playwright, against
the example site built with every feature on and served on loopback.

Outside CI these skip (with the reason) when Chromium or Playwright is missing; with CI=true
they must run, so a missing browser fails instead. Screenshots of every page type at 1280
and 375 px go to test-artifacts/screenshots/ (set GLOSSARY_ARTIFACTS to move them).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from conftest import in_ci

from glossary_site.commands.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]  # fmt: skip
ARTIFACTS = Path(os.environ.get("GLOSSARY_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"

# One page of every type, with the name its screenshots get.
PAGES = {
    "home": "", "glossary": "terms/", "a-z": "a-z/", "term": "terms/kv-cache/",
    "article": "articles/the-kv-cache-is-the-bill/", "articles": "articles/", "category": "categories/memory/",
    "depth": "depth/basics/", "graph": "graph/", "search": "search/", "tag": "tags/speech/", "404": "404.html",
}  # fmt: skip


def _browser_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "Playwright is not installed (pip install -e '.[test]')"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    if reason:
        if in_ci():
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    site = work / "site"
    site.mkdir()
    for name in ("site.yaml", "terms", "content", "templates"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, site / name)
    assert main(["build", str(site), "--output", str(work / "public")]) == 0
    handler = functools.partial(_QuietHandler, directory=str(work / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _first_term_link(page):
    """The first term link of the page, its term and the term's summary (from the site's preview
    file: the page itself shows only the term's title, depth and category)."""
    link = page.locator("article .body a.term-link").first
    link.scroll_into_view_if_needed()
    slug = link.get_attribute("data-term")
    summary = page.request.get(page.url.split("/articles/")[0] + "/_glossary/previews.json").json()[slug]
    assert summary and summary not in page.content()
    return link, slug, summary


def _preview(page):
    return page.locator("#term-preview")


def _wait_for_summary(page, summary: str) -> None:
    """The preview opens at once; on the first one the summaries arrive a moment later."""
    page.wait_for_function("text => document.getElementById('term-preview').innerText.includes(text)", arg=summary)


def _overlaps(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])  # fmt: skip


def test_hover_opens_the_preview_with_the_terms_summary_beside_the_link_and_escape_closes_it(page, site_url):
    fetched = []
    page.on("request", lambda request: "previews.json" in request.url and fetched.append(request.url))
    page.goto(site_url + PAGES["article"])
    assert fetched == []  # nothing is fetched before the first preview
    link, slug, summary = _first_term_link(page)
    assert link.get_attribute("aria-describedby") == f"term-tip-{slug}"
    link.hover()
    preview = _preview(page)
    preview.wait_for(state="visible")
    _wait_for_summary(page, summary)
    entry = page.locator(f"#term-tip-{slug}")
    for part in ("a", ".depth", ".category"):  # title, depth and category too
        assert entry.locator(part).inner_text() in preview.inner_text()
    # While it is open the link is described by the preview: the summary is in its description.
    described = page.locator("#" + link.get_attribute("aria-describedby"))
    assert summary in described.inner_text() and entry.locator("a").inner_text() in described.inner_text()
    assert not _overlaps(link.bounding_box(), preview.bounding_box())
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") == f"term-tip-{slug}"
    other = page.locator("article .body a.term-link").nth(1)  # a second preview: no second fetch
    other.hover()
    preview.wait_for(state="visible")
    second = page.request.get(site_url + "_glossary/previews.json").json()[other.get_attribute("data-term")]
    _wait_for_summary(page, second)
    assert len(fetched) == 1
    assert page.errors == []


def test_keyboard_focus_opens_the_preview_and_escape_closes_it(page, site_url):
    page.goto(site_url + PAGES["article"])
    link, slug, summary = _first_term_link(page)
    while page.evaluate("document.activeElement && document.activeElement.dataset.term") != slug:
        page.keyboard.press("Tab")  # reach it the way a keyboard user does
    preview = _preview(page)
    preview.wait_for(state="visible")
    _wait_for_summary(page, summary)
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.dataset.term") == slug  # focus stays on the link


def test_first_tap_previews_close_control_works_and_second_tap_follows(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    url = site_url + PAGES["article"]
    page.goto(url)
    link, slug, summary = _first_term_link(page)
    link.tap()
    preview = _preview(page)
    preview.wait_for(state="visible")
    _wait_for_summary(page, summary)
    assert page.url == url
    page.locator("#term-preview .preview-close").tap()
    preview.wait_for(state="hidden")
    link.tap()
    preview.wait_for(state="visible")
    link.tap()
    page.wait_for_url(f"**/terms/{slug}/")
    context.close()


@pytest.mark.parametrize("query, first", [
    ("KV cache", "/terms/kv-cache/"),
    ("key-value cache", "/terms/kv-cache/"),  # an alias
    ("wake word", "/articles/a-private-voice-assistant/"),  # a phrase only that article uses
])  # fmt: skip
def test_search_finds_terms_aliases_and_article_words(page, site_url, query, first):
    page.goto(site_url + "search/")
    page.fill("#search-input", query)
    result = page.locator("#search-results li").first
    result.wait_for()
    assert result.locator("a.result-title").get_attribute("href") == first
    if first.startswith("/terms/"):  # terms show their depth and category
        assert result.locator(".depth").inner_text() == "deeper"
        assert result.locator(".category").inner_text() == "Memory"
    assert page.errors == []


def test_neighbourhood_graph_has_one_link_per_neighbour(page, site_url):
    page.goto(site_url + PAGES["term"])
    svg_links = page.locator("svg.term-graph a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    listed = page.evaluate("""() => [...document.querySelectorAll(
        '.related li > a, .terms-in-article li > a, .mentioned-by li > a')].map(a => a.getAttribute('href'))""")
    assert len(svg_links) == len(set(svg_links)) == min(len(set(listed)), 16) > 0
    assert set(svg_links) <= set(listed)
    page.locator("svg.term-graph a").first.click()
    page.wait_for_url("**" + svg_links[0])


def test_glossary_graph_page_links_every_term_clustered_by_category(page, site_url):
    page.goto(site_url + PAGES["graph"])
    nodes = page.locator("svg.glossary-graph .nodes a").count()
    page.goto(site_url + "a-z/")
    assert nodes == page.locator(".term-entry").count() > 50
    page.goto(site_url + PAGES["graph"])
    assert page.locator("svg.glossary-graph .clusters a").count() == 11  # one per category of site.yaml


def test_depth_filter_works_in_place_with_javascript(page, site_url):
    page.goto(site_url + PAGES["glossary"])
    page.click(".depth-filter a[data-depth='deeper']")
    assert page.url == site_url + PAGES["glossary"]
    shown = page.locator(".term-entry:visible")
    assert shown.count() > 0
    assert set(shown.evaluate_all("els => els.map(e => e.dataset.depth)")) == {"deeper"}
    page.click(".depth-filter a[data-depth='']")
    assert page.locator(".term-entry:visible").count() == page.locator(".term-entry").count()


def test_no_page_type_logs_a_console_error(page, site_url):
    for name, rel in PAGES.items():
        page.goto(site_url + rel)
        page.wait_for_load_state("networkidle")
        assert page.errors == [], name


def test_axe_finds_no_serious_or_critical_violations(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for name in ("home", "glossary", "term", "article", "search", "graph"):
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(site_url + PAGES[name])
            violations = axe.run(page).response["violations"]
            problems += [f"{name} ({scheme}): {v['id']} ({v['impact']}): {v['help']} "
                         f"{[n['target'] for n in v['nodes']][:3]}"
                         for v in violations if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert problems == []


def test_every_page_type_fits_320_px_and_screenshots_are_saved(browser, site_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375, 320):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name, rel in PAGES.items():
            page.goto(site_url + rel)
            # No sideways scrolling of the page itself (wide tables and the graph scroll in their box).
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
            if width != 320:
                shot = ARTIFACTS / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=name not in ("graph", "glossary", "a-z"))
                assert shot.stat().st_size > 5000
        context.close()


def test_every_page_type_works_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for name, rel in PAGES.items():
        response = page.goto(site_url + rel)
        assert response.status == 200, name
        assert page.locator("main h1").count() == 1, name
    page.goto(site_url + PAGES["article"])
    padding = page.evaluate("getComputedStyle(document.querySelector('.has-copy pre')).paddingTop")
    assert padding != "32px", padding  # no empty strip kept for a Copy button that never comes
    link, slug, summary = _first_term_link(page)
    assert page.locator(f"#term-tip-{slug}").is_visible()  # the entry the link is described by is on the page
    link.click()
    page.wait_for_url(f"**/terms/{slug}/")
    page.goto(site_url + PAGES["glossary"])
    page.click(".depth-filter a[data-depth='deeper']")
    page.wait_for_url("**/depth/deeper/")
    page.goto(site_url + PAGES["search"])
    assert "needs JavaScript" in page.locator("#search-status").inner_text()
    context.close()


def test_the_copy_button_never_covers_the_first_line_of_a_code_block(page, site_url):
    """At 1280 px, on every article: the button's box against the box of the text of each code
    block's first line (a Range over that text, not the pre's box, which the button is inside)."""
    page.goto(site_url + "articles/")
    articles = page.locator("a.article-title").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    seen = 0
    for href in dict.fromkeys([f"/{PAGES['article']}", *articles]):
        page.goto(site_url + href.lstrip("/"))
        page.wait_for_load_state("networkidle")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.has-copy pre')].map(pre => {
            const range = document.createRange(), walker = document.createTreeWalker(pre.querySelector('code') || pre, NodeFilter.SHOW_TEXT);
            let node, started = false;
            while ((node = walker.nextNode())) {
                if (!started) { range.setStart(node, 0); started = true; }
                const end = node.data.indexOf('\\n');
                range.setEnd(node, end >= 0 ? end : node.data.length);
                if (end >= 0) break;
            }
            const box = r => ({x: r.left, y: r.top, width: r.width, height: r.height});
            const button = pre.querySelector('.copy-button');
            return {text: range.toString(), line: box(range.getBoundingClientRect()),
                    button: button && box(button.getBoundingClientRect())};
        })""")
        for block in boxes:
            assert block["button"] is not None and block["text"].strip(), (href, block)
            assert not _overlaps(block["button"], block["line"]), (href, block)
        seen += len(boxes)
    assert seen >= 10  # the example site's articles have 15 code blocks


def test_article_page_ships_under_30_kb_of_javascript(page, site_url):
    sizes = {}
    page.on("response", lambda r: r.request.resource_type == "script" and sizes.__setitem__(r.url, len(r.body())))
    page.goto(site_url + PAGES["article"])
    page.wait_for_load_state("networkidle")
    assert sizes and sum(sizes.values()) < 30 * 1024, sizes
    assert not any("pagefind" in url for url in sizes)  # search loads only on the search page


def test_glossary_has_an_a_z_jump_bar_into_the_a_z_page(page, site_url):
    page.goto(site_url + PAGES["glossary"])
    page.click("nav.az a >> text=K")
    page.wait_for_url("**/a-z/#letter-K")
    assert page.locator("#letter-K .term-entry").count() > 0


def test_print_stylesheet_leaves_out_navigation_and_interactive_parts(page, site_url):
    page.goto(site_url + PAGES["article"])
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator("article h1").is_visible()


def test_dark_theme_follows_the_system_setting(page, site_url):
    colours = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(site_url)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours["light"] != colours["dark"]
