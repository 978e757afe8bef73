"""The auto-linking rules, one fixture per rule (tests/fixtures/autolink.md), plus the record."""

import re
from pathlib import Path

import pytest
import yaml
from glossary_fixture import context
from markdown_it.utils import read_fixture_file

from glossary_site.linking.autolink import LinkState
from glossary_site.linking.markdown import make_markdown, render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "autolink.md"


def render(source: str, policy: str = "first-per-article", **state) -> str:
    md = make_markdown(context(policy))
    return render_markdown(md, source, LinkState(**state)).html


_OPTIONS = re.compile(r"\s*(\{.*\})\s*$")


def render_case(title: str, source: str) -> str:
    """A fixture case: a title ending in `{...}` (YAML) gives the page and the site options it
    needs: `tags` and `title` of the page, the `common` terms, `salient_mentions`,
    `max_links_per_paragraph`, `stemming`."""
    match = _OPTIONS.search(title)
    options = yaml.safe_load(match.group(1)) if match else {}
    md = make_markdown(context(common=options.get("common", ()), salient_mentions=options.get("salient_mentions", 3),
                               max_per_paragraph=options.get("max_links_per_paragraph", 0),
                               stemming=options.get("stemming", False)))  # fmt: skip
    page = {"title": options.get("title", ""), "params": {"tags": options.get("tags", [])}}
    return render_markdown(md, source, LinkState(page=page)).html


def record(source: str, policy: str = "first-per-article", **state):
    md = make_markdown(context(policy))
    return render_markdown(md, source, LinkState(**state))


@pytest.mark.parametrize("line,title,source,expected", read_fixture_file(FIXTURES), ids=lambda v: str(v)[:40])
def test_linker_fixture(line, title, source, expected):
    assert render_case(title, source) == expected, f"{FIXTURES}:{line}: {title}"


def test_fixture_file_covers_every_rule():
    titles = {case[1] for case in read_fixture_file(FIXTURES)}
    assert len(titles) >= 30


def test_every_mention_policy_links_repeats():
    html = render("A GPU here and a GPU there.", policy="every")
    assert html.count('data-term="gpu"') == 2


def test_first_per_section_policy_links_again_after_a_heading():
    source = "A GPU and a GPU.\n\n## Next\n\nThe GPU again, GPU twice.\n"
    html = render(source, policy="first-per-section")
    assert html.count('data-term="gpu"') == 2


def test_first_per_article_policy_links_once_across_sections():
    source = "A GPU.\n\n## Next\n\nThe GPU again.\n"
    assert render(source).count('data-term="gpu"') == 1


def test_never_links_a_term_page_to_itself():
    html = render("A GPU is a GPU; the KV cache too.", self_slug="gpu")
    assert 'data-term="gpu"' not in html
    assert 'data-term="kv-cache"' in html


def test_explicit_self_reference_is_plain_text():
    assert render("See [[gpu]].", self_slug="gpu") == "<p>See GPU.</p>\n"


def test_autolink_off_for_a_document_keeps_explicit_references():
    html = render("A GPU and [[kv-cache]].", enabled=False)
    assert 'data-term="gpu"' not in html
    assert 'data-term="kv-cache"' in html


def test_mentions_record_term_and_file_line():
    # body_line=5: the body starts on line 5 of the file (after front matter).
    result = record("Intro.\n\nThe KV\ncache and a GPU.\n\n- an OOM\n", body_line=5)
    assert result.mentions == (("kv-cache", 7), ("gpu", 8), ("oom", 10))


def test_unknown_explicit_reference_is_an_error_with_its_line():
    result = record("Text.\n\nSee [[kv-cahce]].\n", body_line=4)
    assert result.errors == ((6, "reference [[kv-cahce]] names no term", "Did you mean 'kv-cache'?", "kv-cahce"),)


def test_raw_html_anchor_is_not_linked_inside_when_html_enabled():
    md = make_markdown(context(), unsafe_html=True)
    html = render_markdown(md, 'Go <a href="/x">to the GPU</a> now, GPU.', LinkState()).html
    assert html == (
        '<p>Go <a href="/x">to the GPU</a> now, <a href="/terms/gpu/" class="term-link" data-term="gpu">GPU</a>.</p>\n'
    )


def test_raw_html_is_escaped_by_default():
    html = render('<script>alert(1)</script> and a GPU')
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_link_text_keeps_the_authors_casing():
    # 'KV' is acronym-style (exact), 'Caches' an ordinary word (any casing).
    assert ">KV Caches</a>" in render("The KV Caches filled.")
    assert "term-link" not in render("The kv caches filled.")


def test_generated_tokens_are_marked_for_later_rules():
    md = make_markdown(context())
    tokens = md.parse("A GPU and\nits GPU.", {"glossary": LinkState()})
    runs = [t for t in tokens[1].children if t.type == "term_run"]
    assert [(t.content, t.meta) for t in runs] == [("A GPU and\nits GPU.", {"links": [(2, 5, "gpu")]})]
    tokens = md.parse("See [[gpu|the card]].", {"glossary": LinkState()})
    links = [t for t in tokens[1].children if t.type == "term_link"]
    assert [(t.meta, [c.content for c in t.children]) for t in links] == [({"term": "gpu"}, ["the card"])]


def test_an_explicit_reference_in_a_heading_names_the_term_without_a_link():
    for text in ("## About [[gpu]]\n", "[[gpu]]\n---\n"):
        rendered = record(text)
        assert 'class="term-link"' not in rendered.html and "GPU" in rendered.html, text
        assert [slug for slug, _ in rendered.mentions] == ["gpu"]


def test_a_pickled_matcher_scans_as_the_original():
    """`build`'s edit path loads the link context from the cache: the automata are rebuilt."""
    import pickle

    matcher = context("first-per-article").matcher
    text = "The GPU and a KV cache, GPUs' memory, an OOM, the kv-cache's size; nothing else."
    again = pickle.loads(pickle.dumps(matcher, protocol=5))
    assert again.scan(text) == matcher.scan(text) and len(matcher.scan(text)[0]) >= 3
    assert again.scan(text, explain=True) == matcher.scan(text, explain=True)
