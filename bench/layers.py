"""Where an article's build time goes, layer by layer, against the markdown-it-py floor.

    python bench/layers.py SITE [--articles 200]

Renders the same articles (in this process, best of 5 rounds) with: markdown-it-py's
CommonMark renderer alone (the floor's work per file); glossary-site's Markdown (tables,
footnotes, heading anchors, Pygments) with linking off, then on; and the page template
around a rendered body. The numbers say which layer a cold build's time is spent in.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from markdown_it import MarkdownIt

from glossary_site.build.kept_bodies import pack, unpack
from glossary_site.build.pipeline import link_context, read_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.content.refs import TermRef
from glossary_site.linking.autolink import LinkState
from glossary_site.linking.markdown import make_markdown, render_markdown
from glossary_site.pages.render import article_spec, install_globals, render_page, term_items
from glossary_site.pages.templates import make_environment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    diags = Diagnostics()
    config = load_config(args.site, diags, output=args.site / "layers-out")
    corpus, graph, _ = read_site(config, diags)
    context = link_context(graph, config)
    articles = list(corpus.articles)[: args.articles]
    env = make_environment(config.root)
    install_globals(env, config)
    refs = {slug: TermRef.of(t) for slug, t in graph.terms.items()}
    items = term_items(env, refs, config, diags)
    floor, ours = MarkdownIt("commonmark"), make_markdown(context, config.unsafe_html)
    rendered = [render_markdown(ours, a.body, LinkState(body_line=a.body_line)) for a in articles]
    packed = [pack(r) for r in rendered]
    layers = {
        "floor: CommonMark render": lambda: [floor.render(a.body) for a in articles],
        "our Markdown, linking off": lambda: [render_markdown(ours, a.body, LinkState(enabled=False)) for a in articles],
        "our Markdown, linking on": lambda: [render_markdown(ours, a.body, LinkState()) for a in articles],
        "page template around a body": lambda: [render_page(env, article_spec(a, r, refs, items, config, graph.depths),
                                                            config, diags) for a, r in zip(articles, rendered)],
        "unpack a kept body": lambda: [unpack(p) for p in packed],
    }  # fmt: skip
    best = best_ms(layers, len(articles))
    floor_ms = best["floor: CommonMark render"]
    links = sum(len(set(s for s, _ in r.mentions)) for r in rendered) / len(rendered)
    print(f"{len(articles)} articles, {links:.0f} linked terms each on average\n")
    print("| layer | ms per article | / floor |\n|---|---:|---:|")
    for name, ms in best.items():
        print(f"| {name} | {ms:.2f} | {ms / floor_ms:.2f}x |")


def best_ms(ways: dict, count: int, rounds: int = 5) -> dict[str, float]:
    """Milliseconds per item of each way: the best of `rounds` interleaved rounds (this
    machine is shared and noisy; the best round is the least disturbed)."""
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(rounds):
        for name, run in ways.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], (time.perf_counter() - start) * 1000 / count)
    return best


if __name__ == "__main__":
    main()
