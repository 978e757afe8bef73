"""Properties over random Markdown and random glossaries (hypothesis): 500 examples each in CI.

- rendering never raises, and term links never nest in links, code, pre or headings;
- with no terms, a body renders exactly as markdown-it-py renders it with the same plugins;
- a whole build never raises (it succeeds or reports diagnostics), and builds again to the same bytes.
"""

import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from conftest import in_ci, make_site
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from test_commonmark import context

from glossary_site.build.cache import BuildCache
from glossary_site.build.link_stage import ambiguous_forms, ambiguous_stems, term_forms, term_stems
from glossary_site.build.pipeline import build_site
from glossary_site.content.config import SiteConfig, load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.content.documents import Term
from glossary_site.content.graph import build_graph
from glossary_site.linking.autolink import LinkContext, LinkState
from glossary_site.linking.derived import deriver, stem_claims
from glossary_site.linking.languages import rules_for
from glossary_site.linking.markdown import _anchor_slug, _highlight, make_markdown, render_markdown
from glossary_site.linking.matcher import Match, TermMatcher, make_form

EXAMPLES = 500 if in_ci() else 60
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

NAMES = ["GPU", "KV cache", "token", "LoRA", "RAG", "prompt", "MoE", "vLLM", "Q4_K_M", "C++", "naïve", "キャッシュ",
         "KVキャッシュ", "ภาษา"]  # fmt: skip
PIECES = NAMES + [w.lower() for w in NAMES] + ["を使う", "。", "ไทย", "macOS"] + [
    "word", "the", " ", " ", "\n", "\n\n", "*", "**", "_", "`", "```", "```python\n", "~~", "#", "## ", "> ", "- ",
    "1. ", "[", "]", "(", ")", "](/x)", "[x]: /u\n", "<", ">", "<a href='/y'>", "</a>", "<code>", "</code>",
    "&amp;", "\\", "|", "| a | b |\n|---|---|\n", "[^1]", "[^1]: note\n", "    ", "\t", "![i](/i.png)", "https://e.org",
    "[[", "]]", "[[gpu]]", "[[kv-cache|the cache]]", "<script>", "\"", "'", "---\n",
]  # fmt: skip
markdown = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
glossary = st.lists(st.sampled_from(NAMES), max_size=6, unique=True)


class _Structure(HTMLParser):
    """Every term link's enclosing elements; whether any <a> opens inside another."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            if "a" in self.stack:
                self.problems.append("a inside a")
            if ("class", "term-link") in attrs:
                bad = {"code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"} & set(self.stack)
                if bad:
                    self.problems.append(f"term link inside {sorted(bad)}")
        if tag not in ("br", "hr", "img", "input", "meta", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]


@SETTINGS
@given(markdown, glossary)
def test_rendering_never_raises_and_term_links_never_nest(text, names):
    md = make_markdown(context(names))
    html = render_markdown(md, text, LinkState()).html  # raw HTML off: authors' tags are escaped
    checker = _Structure()
    checker.feed(html)
    assert checker.problems == [], html


# Titles whose derived names (linking/derived.py) link too: abbreviations, singulars, joinings,
# apostrophes; two terms deriving 'Pod' (ambiguous, chosen by tags) and one deriving 'GPU' (dropped);
# with stemming, words of their stems ('contains', 'scalable'; 'tokenized' of token and Tokenizers).
DERIVED_NAMES = ["Application Programming Interface (API)", "Containers", "Bare Metal", "Pod (Kubernetes)",
                 "Pod (Podcast)", "Moore's law", "Graphics Processing Unit (GPU)", "Scalability", "Tokenizers"]
DERIVED_PIECES = ["API", "api", "application programming interface", "container", "containers", "bare-metal",
                  "baremetal", "bare metal", "pod", "Pod", "Moore’s law", "Moore's law", "GPU", "graphics",
                  "contains", "scalable", "Scalability", "tokenized", "metals", "graphics processing units"]
derived_markdown = st.lists(st.sampled_from(PIECES + DERIVED_PIECES), max_size=40).map("".join)


def _derived_context(names: list[str], common, salient_mentions: int, cap: int, stemming: bool = False):
    """A build's link context for these titles (and GPU, KV cache, token), derived names and all
    (and `stemming`: stems)."""
    titles = ["GPU", "KV cache", "token", *names]
    extra = {"Pod (Kubernetes)": {"disambiguate": ("k8s",)}, "Pod (Podcast)": {"disambiguate": ("audio",)}}
    terms = tuple(Term(f"t{i}", title, "S.", "General", "basics", (), (), True, None, "", 1, f"terms/t{i}.md",
                       **extra.get(title, {})) for i, title in enumerate(titles))  # fmt: skip
    graph = build_graph(terms, SiteConfig(root=Path("."), output=Path("out")), Diagnostics(), deriver("en"))
    rules = rules_for("en")
    slugs = sorted(graph.terms)
    claims = stem_claims(graph) if stemming else {}
    return LinkContext(matcher=TermMatcher(term_forms(graph, rules), term_stems(graph, claims)), base_path="/",
                       titles={s: t.title for s, t in graph.terms.items()}, names=graph.names,
                       ambiguous={**ambiguous_forms(graph, rules), **ambiguous_stems(graph, claims)},
                       common={slugs[i % len(slugs)]: 0.5 for i in common},
                       salient_mentions=salient_mentions, max_per_paragraph=cap)  # fmt: skip


@SETTINGS
@given(derived_markdown, st.lists(st.sampled_from(DERIVED_NAMES), max_size=5, unique=True),
       st.sets(st.integers(0, 9), max_size=4), st.integers(0, 3), st.integers(0, 3),
       st.sampled_from([[], ["k8s"], ["audio"], ["k8s", "audio"]]), st.sampled_from(["", "Containers", "API", "GPU"]),
       st.booleans())
def test_with_derived_names_and_salience_term_links_never_nest_nor_enter_code_or_headings(
        text, names, common, salient_mentions, cap, tags, title, stemming):  # fmt: skip
    md = make_markdown(_derived_context(names, common, salient_mentions, cap, stemming))
    state = LinkState(page={"title": title, "params": {"tags": tags}})
    html = render_markdown(md, text, state).html
    checker = _Structure()
    checker.feed(html)
    assert checker.problems == [], html
    if cap and "[[" not in text:  # no paragraph holds more automatic links than the cap
        for paragraph in re.findall(r"<p>.*?</p>", html, re.S):
            assert paragraph.count('class="term-link"') <= cap, paragraph


def _reference() -> MarkdownIt:
    """markdown-it-py with the same options and plugins as the pipeline, minus the term linker."""
    md = MarkdownIt("commonmark", {"html": False, "highlight": _highlight})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_anchor_slug)
    return md


REFERENCE = _reference()
NO_TERMS = make_markdown(context([]))


@SETTINGS
@given(markdown)
def test_with_no_terms_a_body_is_markdown_it_pys_own_rendering(text):
    assume("[[" not in text)  # '[[...]]' is the explicit reference syntax, ours by design
    assert render_markdown(NO_TERMS, text, LinkState()).html == REFERENCE.render(text)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
hostile = st.one_of(TEXT, st.sampled_from(["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                                           "javascript:alert(1)", "{{ site }}", "{% raw %}", "\\u0000", "---"]))


def _term(title: str, summary: str, aliases: list[str]) -> str:
    quoted = ", ".join(repr(a).replace("\\", "\\\\") for a in aliases)
    return (f"---\ntitle: {title!r}\nsummary: {summary!r}\ncategory: General\ndepth: basics\n"
            f"aliases: [{quoted}]\n---\n{summary}\n")  # fmt: skip


SALIENCE = st.sampled_from(["", "", "link_common_terms: false\ncommon_share: 0.2\nsalient_mentions: 2\n",
                            "max_links_per_paragraph: 1\n", "stemming: true\n",
                            "stemming: true\nlink_common_terms: false\ncommon_share: 0.2\n"])


@settings(max_examples=EXAMPLES if in_ci() else 20, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(NAMES + DERIVED_NAMES), hostile, st.lists(hostile, max_size=2)), max_size=4,
                unique_by=lambda t: t[0]),
       st.lists(st.tuples(hostile, markdown), min_size=1, max_size=3),
       st.sampled_from([False, False, False, True]), SALIENCE)  # fmt: skip
def test_a_build_of_any_content_never_raises_and_is_deterministic(tmp_path_factory, terms, articles, search, salience):
    root = tmp_path_factory.mktemp("prop")
    # Search (Pagefind over the hostile pages) in a quarter of the examples: it costs 0.3 s a build.
    files = {"site.yaml": f"search: {str(search).lower()}\n{salience}"}
    files.update({f"terms/t{i}.md": _term(t, s, a) for i, (t, s, a) in enumerate(terms)})
    files.update({f"content/a{i}.md": f"---\ntitle: {title!r}\ndate: 2026-01-0{i + 1}\n---\n{body}\n"
                  for i, (title, body) in enumerate(articles)})  # fmt: skip
    site = make_site(root / "site", files)
    outputs = []
    for run in range(2):
        diags = Diagnostics()
        config = load_config(site, diags, output=root / f"out{run}")
        result = build_site(config, diags, cache=BuildCache())  # no exception, whatever the input
        assert result.ok == (not diags.has_errors)
        if not result.ok:
            assert all(str(d).startswith(("terms/", "content/")) for d in diags.items if d.level == "error")
            return
        outputs.append({p.relative_to(root / f"out{run}").as_posix(): p.read_bytes()
                        for p in sorted((root / f"out{run}").rglob("*")) if p.is_file()})  # fmt: skip
    assert outputs[0] == outputs[1]
    for rel, data in outputs[0].items():
        if rel.endswith(".html"):
            assert b"<script>alert(1)" not in data and b"onerror=alert(1)>" not in data, rel
    shutil.rmtree(root, ignore_errors=True)


# Names and pieces in scripts written without spaces (matched by characters) beside the Latin ones.
SPACELESS_NAMES = ["キャッシュ", "KVキャッシュ", "OS", "東京", "東京都", "ภาษา", "ที", "ｷｬｯｼｭ", "データ"]
SPACELESS_PIECES = ["キャッシュ", "KV", "を", "使う", "mac", "OS", "ー", "々", "東京", "都", "ภาษา", "ไทย", "ที่", "ที",
                    "ｷｬｯｼｭ", "。", "、", "データ", "デ", "ー", "\u0e48", "\u0e31"]  # fmt: skip
MATCH_NAMES = ["GPU", "KV cache", "k-means", "k means", "C++", ".NET", "naïve", "Q4_K_M", "ai", "x", "İstanbul", "GPUs'",
               "AND", "and", "Kv Cache", "vLLM"] + SPACELESS_NAMES
MATCH_PIECES = ["gpu", "GPU", "kv", "cache", "k-means", "k means", "k—means", "c++", "C+++", ".net", "x.net", "naïve",
                "naive", "q4_k_m", "ai", "x", "İstanbul", "istanbul", "'s", "’s", "s'", " ", " ", "\u00a0", "-", "—", "_",
                "é", "ß", "1", "🚀", "(", ")", ",", ".", "\t", "and", "AND", "And", "KV cache", "Kv Cache", "vllm", "vLLM",
                *SPACELESS_PIECES]  # fmt: skip
LANGUAGES = st.sampled_from(["en", "ja"])


def _forms(names, language: str = "en") -> list:
    rules = rules_for(language)
    return [make_form(f, f"{name.lower()}-{i}", case, rule) for i, (name, case) in enumerate(names)
            for f, rule in rules.surface_forms(name)]  # fmt: skip


@SETTINGS
@given(st.lists(st.sampled_from(MATCH_PIECES), max_size=30).map("".join),
       st.lists(st.tuples(st.sampled_from(MATCH_NAMES), st.sampled_from([None, True, False])), unique_by=lambda t: t[0]))
@example("x AND and And y", [("AND", None), ("and", None)])  # both automata find one span: the first form wins
@example("x AND y", [("and", None), ("AND", None)])
@example("macOSをKVキャッシュ", [("OS", None), ("キャッシュ", None), ("KVキャッシュ", None)])
def test_framed_whole_word_scan_finds_exactly_what_checking_each_candidate_finds(text, names):
    # The fast scan (word boundaries found by the automata, acronyms looked for as written)
    # against the explained scan (every candidate checked in Python): the same matches.
    matcher = TermMatcher(_forms(names))
    assert matcher.scan(text)[0] == matcher.scan(text, explain=True)[0]


def _spaceless(c: str) -> bool:
    """The spec, by Unicode character names (the matcher uses code-point ranges)."""
    name = unicodedata.name(c, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA",
                            "HALFWIDTH KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN",
                            "IDEOGRAPHIC ITERATION MARK", "IDEOGRAPHIC CLOSING MARK", "IDEOGRAPHIC NUMBER ZERO"))  # fmt: skip


def _reference_scan(text: str, forms) -> list:
    """Every occurrence of every form, kept where both ends are allowed (a non-word character
    outside, or a spaceless one on either side of the end; for a name in a spaceless script,
    no combining mark cut off) and the casing agrees; then leftmost, longest, first given."""
    word = lambda c: c.isalnum() or c == "_"  # noqa: E731
    lower = lambda t: "".join(c.lower() if len(c.lower()) == 1 else c for c in t)  # noqa: E731
    lowered = lower(text)
    cut = lambda i: i < len(text) and _spaceless(text[i]) and unicodedata.category(text[i]).startswith("M")  # noqa: E731
    candidates = []
    for rank, form in enumerate(forms):
        key = lower(form.text)
        start = lowered.find(key)
        while start >= 0:
            end = start + len(key)
            ok_start = start == 0 or not word(text[start - 1]) or _spaceless(text[start - 1]) or _spaceless(text[start])
            ok_end = end == len(text) or not word(text[end]) or _spaceless(text[end]) or _spaceless(text[end - 1])
            written = text[start:end].split(" ")
            case = all(not exact or w == f for w, f, exact in zip(written, form.text.split(" "), form.exact_words))
            marks = any(map(_spaceless, form.text)) and (cut(start) or cut(end))
            if ok_start and ok_end and not marks and case:
                candidates.append((start, -end, rank, form))
            start = lowered.find(key, start + 1)
    chosen, taken_until = [], -1
    for start, neg_end, _, form in sorted(candidates, key=lambda c: c[:3]):
        if start >= taken_until:
            chosen.append(Match(start, -neg_end, form.slug, form.text))
            taken_until = -neg_end
    return chosen


@SETTINGS
@given(st.lists(st.sampled_from(MATCH_PIECES), max_size=30).map("".join),
       st.lists(st.tuples(st.sampled_from(MATCH_NAMES), st.sampled_from([None, True, False])), unique_by=lambda t: t[0]),
       LANGUAGES)  # fmt: skip
@example("KVキャッシュを使う", [("キャッシュ", None), ("KVキャッシュ", None)], "ja")
@example("OSを macOSを", [("OS", None)], "ja")
@example("ที่ ภาษาไทย", [("ที", None), ("ภาษา", None)], "ja")
def test_the_scan_finds_what_the_written_rules_find(text, names, language):
    """Both scans (framed for spaced text, by candidates where a spaceless script is) against
    the rules as docs/linking.md and docs/languages.md state them, checked form by form."""
    forms = _forms(names, language)
    matcher = TermMatcher(forms)
    assert matcher.scan(text)[0] == _reference_scan(text, forms)


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(MATCH_PIECES + ["\0", "Σ", "ΑΣ"]), max_size=8).map("".join), max_size=6),
       st.lists(st.tuples(st.sampled_from(MATCH_NAMES + ["a\0b", "ασ"]), st.sampled_from([None, True, False])),
                unique_by=lambda t: t[0]))  # fmt: skip
@example(["KV", "cache", "foo.", "NET"], [("KV cache", None), (".NET", None)])  # a name across two texts is none
@example(["a", "b"], [("a\0b", None)])
@example(["ΑΣ", "İstanbul"], [("ασ", None)])  # lowered one by one: 'Σ' ends a word as 'ς' unless lowered char by char
@example(["KVキャッシュ", "the GPU", "macOS"], [("キャッシュ", None), ("GPU", None), ("OS", None)])
def test_scanning_many_texts_at_once_finds_what_scanning_each_finds(texts, names):
    """A document's runs are scanned in one pass (joined by NUL); each run must get exactly
    the matches a scan of it alone finds, whatever the names and texts hold (NUL included),
    and the explained scan the same (runs in a spaceless script are scanned by candidates)."""
    matcher = TermMatcher(_forms(names))
    assert matcher.scan_many(texts) == [matcher.scan(text)[0] for text in texts]
    assert matcher.scan_many(texts) == [matcher.scan(text, explain=True)[0] for text in texts]


@SETTINGS
@given(st.lists(st.sampled_from(PIECES + ["^[an inline note]", "[^x]:\n", "a|b"]), max_size=40).map("".join), glossary,
       st.booleans())  # fmt: skip
def test_the_renderer_without_tables_and_footnotes_gives_the_same_bytes(text, names, unsafe):
    """render_markdown renders a text with no `|`, `[^` or `^[` without the table and footnote
    rules (they cannot match it); the result is what the full instance renders."""
    md = make_markdown(context(names), unsafe_html=unsafe)
    env = {"glossary": LinkState()}
    full = md.renderer.render(md.parse(text, env), md.options, env)
    assert render_markdown(md, text, LinkState()).html == full


def test_a_text_without_tables_or_footnotes_takes_the_lean_renderer():
    md = make_markdown(context(["GPU"]))
    assert render_markdown(md, "A GPU | B", LinkState()).html.count("term-link") == 1 and md.glossary_lean[0] is not None
    assert render_markdown(md, "A GPU, twice: GPU.", LinkState()).html.count("term-link") == 1
    assert md.glossary_lean.glossary_lean is None and "table" not in md.glossary_lean.block.ruler.get_active_rules()


SHORTCODE_PIECES = [
    "{{< figure src=\"/a.png\" caption=\"A *GPU*\" >}}", "{{< details summary=\"s\" >}}", "{{< /details >}}",
    "{{% details %}}", "{{% /details %}}", "{{< highlight toml >}}", "{{< /highlight >}}",
    "\n{{< highlight toml >}}\n[[menus.main]]\n{{< /highlight >}}\n",
    "{{< youtube abc >}}", "{{< comment >}}", "{{< /comment >}}", "{{< nope x=1 >}}", "{{< /nope >}}",
    "{{< figure src=\"", "{{<", "{{%", ">}}", "%}}", "{{< ref \"posts/x.md\" >}}", "{{< qr text=\"q\" />}}",
    "{{< x user=\"u\" id=\"1\" >}}", "{{< param title >}}", "{{< collapse summary=`raw\nlines` >}}",
    "{{< /collapse >}}", "{{< rawhtml >}}", "{{< /rawhtml >}}", "{{< f.inline >}}", "{{< a \"unclosed >}}",
    "$x$", "$$\n", "\\(a\\)", "\\[\n",
]  # fmt: skip
shortcode_markdown = st.lists(st.sampled_from(PIECES + SHORTCODE_PIECES), max_size=40).map("".join)


class _TextOutsideCode(HTMLParser):
    """The text a reader sees outside <pre> and <code> (attribute values are not text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag in ("pre", "code")

    def handle_endtag(self, tag):
        self.depth -= tag in ("pre", "code") and self.depth > 0

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


@SETTINGS
@given(shortcode_markdown, glossary)
@example("{{< details summary=\"s\" >}}\nGPU {{< figure src=\"", ["GPU"])
@example("```\n{{< nope >}}\n```\n{{< highlight toml >}}[[menus.main]]{{< /highlight >}}", [])
@example('[[{{< figure src="/a.png" caption="A *GPU*" >}}]]', [])
def test_shortcode_documents_never_raise_and_leave_no_call_outside_code(text, names):
    md = make_markdown(context(names))
    state = LinkState()
    html = render_markdown(md, text, state).html
    reader = _TextOutsideCode()
    reader.feed(html)
    outside = "".join(reader.text)
    assert "{{<" not in outside and "{{%" not in outside, html
    checker = _Structure()
    checker.feed(html)
    assert checker.problems == []
    assert all(not ref.startswith("menus") for _, _, _, ref in state.errors)  # TOML in a shortcode is no [[reference]]
