"""fast_paragraphs parses paragraphs with fewer rule calls and must give markdown-it-py's own tokens:
on every CommonMark example and on random block-heavy documents, with and without tables,
footnotes and raw HTML; and a block rule it does not know turns the skipping off."""

from unittest import mock

import pytest
from conftest import in_ci
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_commonmark import EXAMPLES as SPEC_EXAMPLES
from test_commonmark import SPEC, context

from glossary_site.linking import markdown as markdown_module
from glossary_site.linking.autolink import LinkState
from glossary_site.linking.markdown import make_markdown

VARIANTS = [(unsafe, lean) for unsafe in (False, True) for lean in (False, True)]


def _pair(unsafe: bool, lean: bool):
    """(with fast_paragraphs, without it): otherwise the same instance."""
    quick = make_markdown(context(["foo"]), unsafe_html=unsafe, lean=lean)
    with mock.patch.object(markdown_module, "fast_paragraphs_plugin", lambda md: None):
        stock = make_markdown(context(["foo"]), unsafe_html=unsafe, lean=lean)
    assert "quick_paragraph" in quick.block.ruler.get_active_rules()
    assert "quick_paragraph" not in stock.block.ruler.get_active_rules()
    return quick, stock


PAIRS = {variant: _pair(*variant) for variant in VARIANTS}


def tokens(md, text: str) -> list[dict]:
    return [t.as_dict() for t in md.parse(text, {"glossary": LinkState()})]


def test_every_commonmark_example_gives_the_same_tokens():
    if not SPEC_EXAMPLES:
        assert not in_ci(), f"CommonMark examples missing at {SPEC}: .ci/run installs the npm package commonmark-spec"
        pytest.skip(f"CommonMark examples not installed ({SPEC}); see .ci/run")
    differ = [(number, variant) for number, _, text, _ in SPEC_EXAMPLES for variant, (quick, stock) in PAIRS.items()
              if tokens(quick, text) != tokens(stock, text)]  # fmt: skip
    assert not differ


PREFIXES = ["", "", "", " ", "  ", "   ", "    ", "\t", "> ", ">", "- ", "* ", "1. ", "2) ", "  - ", "> - ", ">\t", "-\t",
            "> > ", " > ", "- - ", "\t> ", "1.\t", "> 1. "]
STARTS = ["word", "foo bar", "Foo", "#", "# h", "###### h", "####### h", "```", "```py", "~~~", "***", "---", "- - -",
          "___", "===", "--", "<div>", "<!-- c -->", "<x-y>", "</p>", "<a href='/'>", "[a]: /u", "[a]:", "[^1]: n",
          "[^x]", "| a | b |", "|---|---|", "a | b", "--- | ---", ":-:|", "| - |", "+ x", "* x", "10. x", "1) x", "0.",
          "\\#", "&amp;", "*em*", "`code`", "![i](/i)", "^[n]", "$", "=", "<!--more-->", "<!--more-->x", ""]  # fmt: skip
ENDS = ["", "", " text", " | c", "  ", " #", " ```", " *", ":"]
line = st.tuples(st.sampled_from(PREFIXES), st.sampled_from(STARTS), st.sampled_from(ENDS)).map("".join)
document = st.lists(line, max_size=25).map("\n".join)


@settings(max_examples=1500 if in_ci() else 200, deadline=None, suppress_health_check=list(HealthCheck))
@given(document, st.sampled_from(VARIANTS))
def test_random_block_documents_give_the_same_tokens(text, variant):
    quick, stock = PAIRS[variant]
    assert tokens(quick, text) == tokens(stock, text)


def test_the_skipping_is_on_in_the_sites_own_instances():
    for (unsafe, lean), (quick, _) in PAIRS.items():
        gate = quick.fast_paragraphs_gate
        gate.update(quick.block.ruler)
        assert gate.start is not None and gate.interrupt is not None and gate.pipes == (not lean)
        assert "#" in gate.interrupt and "[" in gate.start


@pytest.mark.parametrize("change", [
    lambda md: md.disable("lheading"),
    lambda md: md.disable(["lheading", "heading"]),
    lambda md: md.block.ruler.at("heading", _bang, {"alt": ["paragraph"]}),
    lambda md: md.block.ruler.at("paragraph", _line_per_token),
])  # fmt: skip
def test_rules_disabled_or_replaced_after_it_is_used_behave_as_without_it(change):
    text = "para\n!! interrupts\n===\n\n!! starts\n# heading\nplain\n---"
    quick, stock = _pair(unsafe=False, lean=False)
    tokens(quick, text)  # the gate is computed for the rules as they were
    change(quick)
    change(stock)
    assert tokens(quick, text) == tokens(stock, text)


def test_with_the_paragraph_rule_disabled_it_fails_as_markdown_it_does():
    quick, stock = _pair(unsafe=False, lean=False)
    for md in (quick, stock):
        md.disable("paragraph")
        with pytest.raises(RuntimeError):
            tokens(md, "a\nb")


def _bang(state, start, end, silent):
    """Another plugin's block rule: a line starting `!!`, which may interrupt a paragraph."""
    if not state.src.startswith("!!", state.bMarks[start] + state.tShift[start]):
        return False
    if not silent:
        state.push("bang", "hr", 0)
        state.line = start + 1
    return True


def _line_per_token(state, start, end, silent):
    """A replacement paragraph rule: one token per line."""
    token = state.push("line", "", 0)
    token.content = state.getLines(start, start + 1, state.blkIndent, False)
    state.line = start + 1
    return True


def test_a_block_rule_it_does_not_know_turns_the_skipping_off():
    """Another plugin's rule may start on any character: `!!` here interrupts a paragraph and
    starts a block, even though the instance had already parsed with the skipping on."""
    md = make_markdown(context([]))
    assert [t.type for t in md.parse("para\n!! not yet", {"glossary": LinkState()})] == \
        ["paragraph_open", "inline", "paragraph_close"]  # fmt: skip
    md.block.ruler.before("paragraph", "bang", _bang, {"alt": ["paragraph"]})
    types = [t.type for t in md.parse("para\n!! interrupts\n\n!! starts", {"glossary": LinkState()})]
    assert types == ["paragraph_open", "inline", "paragraph_close", "bang", "bang"]
