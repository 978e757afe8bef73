"""Does linking cost grow with the glossary? The same text linked against 100 and 10,000 terms.

    python bench/matcher.py [--runs 5]

Prints median seconds for: the term matcher's scan alone, and the whole article pipeline
(parse + link + render) on the same Markdown, each against 100 and 10,000 terms, with the
ratio; then the raw automaton pass of pyahocorasick (what the matcher uses) against
ahocorasick-rs (`pip install ahocorasick-rs`) on the same lower-cased text; then the scan with
`stemming: true` against without it, in ms per MB: on that text; on the example site's articles
and term pages (real English prose) with its glossary; and on English text written the way
bench/link_quality.py writes it, with its glossary, whose filler is heavy with words that share a
term's stem (stemmed by snowballstemmer's pure Python, as linking/stems.py always stems: PyStemmer's C
is not used even when installed).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
from generate import paragraph, slug, term_names  # noqa: E402

from glossary_site.linking.autolink import LinkContext, LinkState  # noqa: E402
from glossary_site.linking.markdown import make_markdown, render_markdown  # noqa: E402
from glossary_site.linking.matcher import TermMatcher, inflections, make_form  # noqa: E402


def context(names) -> LinkContext:
    forms = [make_form(f, slug(t), None) for t, aliases in names for n in (t, *aliases) for f in inflections(n)]
    return LinkContext(matcher=TermMatcher(forms), base_path="/", titles={slug(t): t for t, _ in names},
                       names={n.lower(): slug(t) for t, aliases in names for n in (t, *aliases)})  # fmt: skip


def median_time(runs: int, fn) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    names = term_names(rng, 12_000)
    small = names[:100]
    docs = ["\n\n".join(paragraph(rng, small, rng.randint(40, 120)) for _ in range(12)) for _ in range(200)]
    text = "\n\n".join(docs)
    # The text is written with the first 100 terms, but a generated name of another term can
    # be one of their words ("zuxi" of "zuxi kadri"): then the larger glossary finds more
    # mentions in it, and does more work for a reason other than its size. The larger
    # glossary is the 100 plus 9,900 terms the text never names, so both find the same.
    found, rejected = context(names).matcher.scan(text, explain=True)
    named = {m.slug for m in found} | {r.slug for r in rejected if r.reason != "inside a word"}
    small_slugs = {slug(t) for t, _ in small}
    large = small + [n for n in names[100:] if slug(n[0]) not in named][:9_900]
    assert len(large) == 10_000
    print(f"text: {len(text) / 1e6:.2f} MB in {len(docs)} documents; glossaries of {len(small)} and {len(large)} terms"
          f" ({len(named - small_slugs)} generated terms the text happens to name left out)")  # fmt: skip
    rows = []
    contexts = {len(small): context(small), len(large): context(large)}
    scan = {n: median_time(args.runs, lambda c=c: c.matcher.scan(text)) for n, c in contexts.items()}
    rows.append(("matcher scan", scan))
    mds = {n: make_markdown(c) for n, c in contexts.items()}
    pipeline = {n: median_time(args.runs, lambda md=md: [render_markdown(md, d, LinkState()) for d in docs])
                for n, md in mds.items()}  # fmt: skip
    rows.append(("parse + link + render", pipeline))
    linked = {n: sum(len(render_markdown(md, d, LinkState()).mentions) for d in docs) for n, md in mds.items()}
    print(f"links made: {linked[len(small)]} with 100 terms, {linked[len(large)]} with 10,000")
    assert linked[len(small)] == linked[len(large)], "the two glossaries must find the same mentions"
    print("\n| what | 100 terms (s) | 10,000 terms (s) | ratio |\n|---|---:|---:|---:|")
    for label, times in rows:
        a, b = times[len(small)], times[len(large)]
        print(f"| {label} | {a:.3f} | {b:.3f} | {b / a:.2f}x |")
    generated = context(names[:10_000])
    more = median_time(args.runs, lambda: generated.matcher.scan(text))
    found = len(generated.matcher.scan(text)[0]) - len(contexts[len(small)].matcher.scan(text)[0])
    print(f"| matcher scan, the first 10,000 generated terms ({found} more mentions found) | {scan[len(small)]:.3f} "
          f"| {more:.3f} | {more / scan[len(small)]:.2f}x |")  # fmt: skip
    automata(large, text.lower(), args.runs)
    stemming({len(small): small, len(large): large}, text, args.runs)


def automata(names, lowered: str, runs: int) -> None:
    import ahocorasick

    words = sorted({f.lower() for t, aliases in names for n in (t, *aliases) for f in inflections(n)})
    auto = ahocorasick.Automaton()
    for i, word in enumerate(words):
        auto.add_word(word, i)
    auto.make_automaton()
    py = median_time(runs, lambda: sum(1 for _ in auto.iter(lowered)))
    print(f"\n| automaton pass over {len(lowered) / 1e6:.2f} MB, {len(words)} patterns | s |\n|---|---:|")
    print(f"| pyahocorasick (every overlapping match) | {py:.3f} |")
    try:
        import ahocorasick_rs
    except ImportError:
        print("| ahocorasick-rs | not installed (pip install ahocorasick-rs) |")
        return
    rs = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.Standard)
    rs_time = median_time(runs, lambda: rs.find_matches_as_indexes(lowered, overlapping=True))
    print(f"| ahocorasick-rs (every overlapping match) | {rs_time:.3f} |")


def stemming(glossaries, text: str, runs: int) -> None:
    """The scan with and without stems (stems.py), in ms per MB: the generated glossaries over the
    generated text, the example site's glossary over its own texts (repeated to a MB), and
    bench/link_quality.py's English glossary over its kind of article."""
    import link_quality

    from glossary_site.build.link_stage import term_forms, term_stems
    from glossary_site.build.read_stage import read_site
    from glossary_site.content.config import SiteConfig, load_config
    from glossary_site.content.diagnostics import Diagnostics
    from glossary_site.content.documents import Term
    from glossary_site.content.graph import build_graph
    from glossary_site.linking.derived import deriver, stem_claims
    from glossary_site.linking.languages import rules_for
    from glossary_site.linking.stems import stemmer_key

    def graph_of(titles):
        terms = tuple(Term(slug(t), t, "S.", "General", "basics", (), (), True, None, "", 1, f"terms/{slug(t)}.md")
                      for t in titles)  # fmt: skip
        return build_graph(terms, SiteConfig(root=Path("."), output=Path("out")), Diagnostics(), deriver("en"))

    rng = random.Random(20)
    english_terms = link_quality.glossary()
    english = []
    while sum(map(len, english)) < len(text):
        english.append(link_quality.article(rng, english_terms, len(english))[0].split("---\n", 2)[2])
    cases = [(f"generated text, {n} generated terms", [t for t, _ in names], text) for n, names in glossaries.items()]
    diags = Diagnostics()
    corpus, example, _ = read_site(load_config(HERE.parent, diags), diags)
    prose = "\n\n".join(doc.body for doc in (*corpus.articles, *corpus.terms))
    cases.append((f"the example site's articles and terms, its {len(example.terms)} terms", example,
                  prose * max(1, round(len(text) / len(prose)))))  # fmt: skip
    cases.append((f"English text (bench/link_quality.py), its {len(english_terms)} terms", [t.title for t in english_terms],
                  "\n\n".join(english)))  # fmt: skip
    print(f"\n| matcher scan, stemming ({stemmer_key()}) | MB | off (ms/MB) | on (ms/MB) | ratio | stems | matches off / on |"
          "\n|---|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    rules = rules_for("en")
    for label, titles, body in cases:
        graph = titles if not isinstance(titles, list) else graph_of(titles)
        started = time.perf_counter()
        stems = term_stems(graph, stem_claims(graph))
        made = time.perf_counter() - started
        off, on = TermMatcher(term_forms(graph, rules)), TermMatcher(term_forms(graph, rules), stems)
        first = median_time(1, lambda: on.scan(body))  # a fresh matcher: every word stemmed for the first time
        times = [median_time(runs, lambda m=m: m.scan(body)) for m in (off, on)]
        mb = len(body) / 1e6
        print(f"| {label} | {mb:.2f} | {times[0] / mb * 1000:.1f} | {times[1] / mb * 1000:.1f} (first scan {first / mb * 1000:.1f})"
              f" | {times[1] / times[0]:.2f}x | {len(stems)} ({made * 1000:.0f} ms) | {len(off.scan(body)[0])} / {len(on.scan(body)[0])} |")


if __name__ == "__main__":
    main()
