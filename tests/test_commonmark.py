"""CommonMark 0.31.2 conformance of the article pipeline (the spec's own examples).

The examples come from the npm package `commonmark-spec` (the spec markdown-it-py follows);
.ci/run installs it into ~/.cache/glossary-site/npm. With no terms and raw HTML on, the body
must equal the spec's HTML except where an enabled extension changes it on purpose; with a
glossary whose names fill the examples, the only further change is added term links, never
inside code, links or headings.
"""

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import in_ci
from markdown_it import MarkdownIt

from glossary_site.linking.autolink import LinkContext, LinkState
from glossary_site.linking.markdown import make_markdown, render_markdown
from glossary_site.linking.matcher import TermMatcher, inflections, make_form

SPEC = Path(os.environ.get("COMMONMARK_SPEC", Path.home() / ".cache/glossary-site/npm/node_modules/commonmark-spec/spec.txt"))

# Examples whose HTML an enabled extension changes on purpose (heading ids are stripped before
# comparing, so the anchors extension needs no entry): Pygments highlights fenced code that names
# a language it knows, so the block gets its classes and token spans.
CHANGED_BY_EXTENSIONS = {
    142: "fenced code with info string 'ruby': highlighted by Pygments",
    143: "fenced code with info string 'ruby startline=3 $%@#$': highlighted by Pygments",
    559: "'[[*foo* bar]]' is the explicit term reference syntax ([[slug|text]]), not a bracketed link",
}
# markdown-it-py itself renders an empty block quote as <blockquote></blockquote>, where the spec
# has a line break inside; its own spec tests compare with whitespace between tags normalised.
MARKDOWN_IT_WHITESPACE = {218, 239, 240}
# With a term named 'foo', '[[foo]]' in these is an explicit reference to it: the brackets are
# the reference's syntax, so the link replaces them (the text around is unchanged).
EXPLICIT_REFERENCES = {548: "[[[foo]]]", 590: "![[foo]]"}


def spec_examples() -> list[tuple[int, str, str, str]]:
    """(number, section, markdown, html), parsed as the package's index.js does; '→' is a tab."""
    if not SPEC.is_file():
        return []
    text = SPEC.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = text.split("<!-- END TESTS -->")[0]
    examples, section = [], ""
    pattern = re.compile(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", re.M)
    for match in pattern.finditer(text):
        if match.group(3) is not None:
            section = match.group(3)
        else:
            md, html = (g.replace("→", "\t") for g in match.group(1, 2))
            examples.append((len(examples) + 1, section, md, html))
    return examples


EXAMPLES = spec_examples()


@pytest.fixture(scope="module", autouse=True)
def spec_present():
    if not EXAMPLES:
        assert not in_ci(), f"CommonMark examples missing at {SPEC}: .ci/run installs the npm package commonmark-spec"
        pytest.skip(f"CommonMark examples not installed ({SPEC}); see .ci/run")


def context(names: list[str]) -> LinkContext:
    forms = [make_form(f, n.lower().replace(" ", "-"), None) for n in names for f in inflections(n)]
    return LinkContext(matcher=TermMatcher(forms), base_path="/", titles={n.lower(): n for n in names},
                       names={n.lower(): n.lower() for n in names})  # fmt: skip


EMPTY = make_markdown(context([]), unsafe_html=True)
# Words that fill the spec's examples, so that links get tried everywhere: in emphasis, lists,
# tables of contents, code spans, link texts, headings, raw HTML.
GLOSSARY_NAMES = ["foo", "bar", "baz", "bim", "aaa", "hello", "world", "link", "title", "code", "Foo Bar"]
WITH_TERMS = make_markdown(context(GLOSSARY_NAMES), unsafe_html=True)


def _strip_heading_ids(html: str) -> str:
    return re.sub(r'<(h[1-6]) id="[^"]*">', r"<\1>", html)


def test_the_spec_examples_are_all_there():
    assert len(EXAMPLES) == 652 and EXAMPLES[0][1] == "Tabs"


def test_no_terms_gives_the_spec_html_except_listed_extensions():
    different = {}
    for number, section, md, html in EXAMPLES:
        got = _strip_heading_ids(render_markdown(EMPTY, md, LinkState()).html)
        if got != html:
            different[number] = section
    assert sorted(different) == sorted({**CHANGED_BY_EXTENSIONS, **dict.fromkeys(MARKDOWN_IT_WHITESPACE)}), different
    plain = MarkdownIt("commonmark", {"html": True})
    for number, _, md, html in EXAMPLES:
        if number in MARKDOWN_IT_WHITESPACE:
            ours = render_markdown(EMPTY, md, LinkState()).html
            assert ours == plain.render(md) and re.sub(r">\s+<", "><", ours) == re.sub(r">\s+<", "><", html)


_TERM_LINK = re.compile(r'<a href="/terms/[a-z-]+/" class="term-link" data-term="[a-z-]+">(.*?)</a>', re.S)


class _Nesting(HTMLParser):
    """Records every term link opened inside <a>, <code>, <pre> or a heading."""

    FORBIDDEN = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and ("class", "term-link") in attrs and self.FORBIDDEN & set(self.open):
            self.bad.append("/".join(self.open))
        if tag not in ("br", "hr", "img", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def test_with_terms_the_only_change_is_term_links_outside_code_links_and_headings():
    linked = 0
    for number, _, md, _ in EXAMPLES:
        plain = render_markdown(EMPTY, md, LinkState()).html
        html = render_markdown(WITH_TERMS, md, LinkState()).html
        linked += html != plain
        if number in EXPLICIT_REFERENCES:
            assert 'data-term="foo">foo</a>' in html and EXPLICIT_REFERENCES[number] in md
        else:
            assert _TERM_LINK.sub(r"\1", html) == plain, f"example {number}"
        if number not in range(148, 192):  # the HTML-block examples hold unbalanced tags on purpose
            checker = _Nesting()
            checker.feed(html)
            assert checker.bad == [], f"example {number}: term link inside {checker.bad}"
    assert linked > 100  # the glossary really was exercised
