"""Backlinks with context (issue 20): under "Articles that use this term" each article shows the
sentence of its first mention of the term, the mention marked, as Obsidian's backlinks do; the
heading gives the count; an edit of only that sentence reaches the term page on every route."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, make_site, run_cli
from test_edit_path import age, assert_equals_clean, cli_build, full_builds  # noqa: F401 (a fixture)
from test_incremental import article_text, build, term_text, tree

from glossary_site.build.cache import BuildCache
from glossary_site.build.fast_paths import apply_edits
from glossary_site.build.pipeline import build_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.linking.excerpts import CUT, MARK, MAX_CHARS, UNMARK, excerpt
from glossary_site.pages.render import context_html

THEME = REPO / "src/glossary_site/theme/templates"


def section(html: str, name: str) -> str:
    return html.split(f'<section class="{name}"', 1)[1].split("</section>", 1)[0]


def backlinks(html: str) -> dict[str, str]:
    """Article title -> the context sentence its entry shows (HTML)."""
    found = re.findall(r'<a class="article-title" href="[^"]*">([^<]*)</a>\s*(?:<time[^>]*>[^<]*</time>)?'
                       r'<p class="context">(.*?)</p>', section(html, "backlinks"), re.S)  # fmt: skip
    return dict(found)


def plain(context_html: str) -> str:
    text = re.sub(r"</?mark>", "", context_html)
    return text.replace("&#34;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def pieces(context: str) -> tuple[str, str, str, bool, bool]:
    """An excerpt as (before, mention, after, cut before, cut after)."""
    before, rest = context.strip(CUT).split(MARK)
    mention, after = rest.split(UNMARK)
    return before, mention, after, context.startswith(CUT), context.endswith(CUT)


def copy_site(source: Path, target: Path, extra_yaml: str = "") -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("expected", "public", ".glossary-cache"))
    if extra_yaml:
        with open(target / "site.yaml", "a", encoding="utf-8") as config:
            config.write(extra_yaml)
    return target


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The repository's example site, built (without search: not what is tested here)."""
    root = tmp_path_factory.mktemp("example")
    site = root / "site"
    site.mkdir()
    for name in ("site.yaml", "terms", "content", "templates", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
        elif (REPO / name).is_file():
            shutil.copy(REPO / name, site / name)
    with open(site / "site.yaml", "a", encoding="utf-8") as config:
        config.write("search: false\n")
    assert build(site, root / "out", BuildCache())
    return root / "out"


def test_each_article_shows_the_sentence_of_its_first_mention_with_the_mention_marked(example):
    gpu = (example / "terms/gpu/index.html").read_text()
    shown = backlinks(gpu)
    assert shown["A private voice assistant on one box"] == "On a single 16 GB <mark>GPU</mark> all three fit together."
    # an alias is marked as the article wrote it; the author's quotes are escaped, never markup
    assert shown["Running Models at Home: A Field Guide for the First Year"] == (
        "The weights have to sit somewhere fast, and on most machines &#34;somewhere fast&#34; means the VRAM on a "
        "<mark>graphics card</mark>.")
    entries = section(gpu, "backlinks").count('<li class="article-entry">')
    assert f"<h2>Articles that use this term ({entries})</h2>" in gpu and len(shown) == entries
    assert '<p class="summary">' not in section(gpu, "backlinks")  # the sentence says more than the summary


def test_every_context_on_the_example_site_is_short_and_marks_one_mention(example):
    contexts = [c for page in (example / "terms").glob("*/index.html") for c in backlinks(page.read_text()).values()]
    assert len(contexts) > 100
    for context in contexts:
        assert context.count("<mark>") == 1 and context.count("</mark>") == 1, context
        assert len(plain(context)) <= MAX_CHARS + 2, context  # and an ellipsis at either end
    assert any(plain(c).startswith("…") for c in contexts) or any(plain(c).endswith("…") for c in contexts)


def test_terms_that_mention_a_term_show_their_sentence_too(example):
    gpu = section((example / "terms/gpu/index.html").read_text(), "mentioned-by")
    assert ('<a href="/terms/awq/">AWQ</a><p class="context">Quantizing needs a small calibration set and a '
            '<mark>GPU</mark>, but no back-propagation, so it finishes quickly.</p>') in gpu


def test_japanese_sentences_end_at_their_full_stops(tmp_path, capsys):
    site = copy_site(REPO / "tests/sites/multilingual", tmp_path / "site", "search: false\n")
    assert run_cli(capsys, "build", site, "--output", tmp_path / "out")[0] == 0  # every language
    kv = backlinks((tmp_path / "out/ja/terms/kv-cache/index.html").read_text())
    # "…気づかない。" before it and "会話が続くほど…" after it are other sentences
    assert kv == {"自宅でモデルを動かす": "もう一つの大きな消費源が<mark>KVキャッシュ</mark>だ。"}
    quantized = backlinks((tmp_path / "out/ja/terms/ryoushika/index.html").read_text())
    assert quantized["メモリについての覚え書き"] == (
        "そのときはまずモデルを<mark>量子化</mark>した版に替え、それでも足りなければ一度に読ませる量を減らす。")
    assert "<h2>この用語を使っている記事（2件）</h2>" in (tmp_path / "out/ja/terms/ryoushika/index.html").read_text()


def test_a_long_sentence_is_cut_at_word_boundaries_and_spaceless_text_between_characters():
    words = " ".join(f"word{i}" for i in range(60))
    text = f"{words} the KV cache {words}."
    start = text.index("KV cache")
    context = excerpt(text, start, start + len("KV cache"))
    before, mention, after, *cuts = pieces(context)
    assert mention == "KV cache" and before.startswith("word") and cuts == [True, True]
    assert len(before + mention + after) <= MAX_CHARS and context.isascii()  # '…' would double its size
    assert all(word.startswith("word") or word in ("the", "KV", "cache") for word in (before + mention + after).split())
    html = context_html(context)
    assert html.startswith("…word") and html.endswith("…") and "<mark>KV cache</mark>" in html
    japanese = "あいうえおかきくけこ" * 20
    text = f"前の文。{japanese}KVキャッシュ{japanese}。次の文。"
    start = text.index("KVキャッシュ")
    before, mention, after, *cuts = pieces(excerpt(text, start, start + len("KVキャッシュ")))
    assert mention == "KVキャッシュ" and before.startswith("こ") and cuts == [True, True]
    assert "前の文" not in before and len(before + mention + after) <= MAX_CHARS


@pytest.mark.parametrize("text, mention, sentence", [
    ("First one. The KV cache grows! Next?", "KV cache", "The KV cache grows!"),
    ("It is 3.5 times bigger, e.g. the KV cache in a chat. Done.", "KV cache",
     "It is 3.5 times bigger, e.g. the KV cache in a chat."),
    ('He said "Stop." The GPU\nkept going', "GPU", "The GPU kept going"),
    ("See example.org for the GPU.", "GPU", "See example.org for the GPU."),
])  # fmt: skip
def test_sentence_ends(text, mention, sentence):
    start = text.index(mention)
    before, marked, after, *cuts = pieces(excerpt(text, start, start + len(mention)))
    assert before + marked + after == sentence and marked == mention and cuts == [False, False]


def test_author_text_in_a_sentence_is_escaped_never_markup(tmp_path):
    body = 'A <script>alert("x")</script> & <b>bold</b> job\x02 runs on\x03 the GPU.'
    files = {"site.yaml": "search: false\n", "terms/gpu.md": term_text("GPU", "A processor."),
             "content/a.md": article_text("Alpha", "2026-01-01", body)}  # fmt: skip
    site = make_site(tmp_path / "site", files)
    assert build(site, tmp_path / "out", BuildCache())
    shown = backlinks((tmp_path / "out/terms/gpu/index.html").read_text())
    # (the control characters that mark a mention in an excerpt are spaces when an author writes them)
    assert shown["Alpha"] == ("A &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; job  runs on  "
                              "the <mark>GPU</mark>.")  # fmt: skip
    # With raw HTML passed through, the tags are markup of the article, not words of the sentence.
    (site / "site.yaml").write_text("search: false\nunsafe_html: true\n")
    assert build(site, tmp_path / "raw", BuildCache())
    shown = backlinks((tmp_path / "raw/terms/gpu/index.html").read_text())
    assert shown["Alpha"] == "A alert(&#34;x&#34;) &amp; bold job  runs on  the <mark>GPU</mark>."


def test_a_site_whose_macros_have_no_backlink_entry_shows_summaries(tmp_path):
    macros = (THEME / "macros.html").read_text()
    macros = re.sub(r"\{% macro backlink_entry.*?\{% endmacro %\}", "", macros, flags=re.S)
    files = {"site.yaml": "search: false\n", "templates/macros.html": macros, "terms/gpu.md": term_text("GPU", "A processor."),
             "content/a.md": article_text("Alpha", "2026-01-01", "The GPU runs.")}  # fmt: skip
    site = make_site(tmp_path / "site", files)
    assert build(site, tmp_path / "out", BuildCache())
    page = section((tmp_path / "out/terms/gpu/index.html").read_text(), "backlinks")
    assert '<p class="summary">About Alpha.</p>' in page and "<mark>" not in page


# --- an edit of only the sentence, on the live and edit paths ------------------------------

SITE = {
    "site.yaml": "search: false\n",
    "terms/kv-cache.md": term_text("KV cache", "Keys and values kept between steps."),
    "terms/gpu.md": term_text("GPU", "A parallel processor."),
    "content/a.md": article_text("Alpha", "2026-01-01", "The KV cache is big. Later the GPU runs."),
    "content/b.md": article_text("Beta", "2026-01-02", "A GPU again."),
}
REWORDED = article_text("Alpha", "2026-01-01", "The KV cache is huge. Later the GPU runs.")


def test_the_dev_server_renders_the_term_page_whose_sentence_changed_and_no_other(tmp_path):
    site = make_site(tmp_path / "site", SITE)
    cache = BuildCache()
    config = load_config(site, Diagnostics(), output=tmp_path / "out")
    assert build_site(config, Diagnostics(), cache=cache, keep_bodies=True).ok
    (site / "content/a.md").write_text(REWORDED)
    result = apply_edits(cache.live, cache, ["content/a.md"])
    assert result is not None and result.ok  # the fast path, not a full rebuild
    assert result.rendered == ["articles/a/index.html", "terms/kv-cache/index.html"]  # GPU's sentence is the same
    assert backlinks((tmp_path / "out/terms/kv-cache/index.html").read_text()) == {
        "Alpha": "The <mark>KV cache</mark> is huge."}
    assert build_site(config, Diagnostics(), cache=cache).rendered == []  # the cache agrees with what was published
    assert build(site, tmp_path / "clean", BuildCache())
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_build_applies_a_reworded_sentence_on_its_edit_path(tmp_path, capsys, full_builds):  # noqa: F811
    site = make_site(tmp_path / "site", SITE)
    age(site)
    assert cli_build(capsys, site)[0] == 0
    full_builds.clear()
    for text, sentence in [(REWORDED, "The <mark>KV cache</mark> is huge."),
                           (REWORDED.replace("is huge", "grows"), "The <mark>KV cache</mark> grows.")]:
        (site / "content/a.md").write_text(text)
        age(site, [site / "content/a.md"])
        code, output = cli_build(capsys, site)
        assert code == 0 and full_builds == [] and "1 edited file applied to the last build" in output, output
        assert backlinks((tmp_path / "out/terms/kv-cache/index.html").read_text()) == {"Alpha": sentence}
        assert_equals_clean(site, sentence)
