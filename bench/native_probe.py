"""What a native Markdown parser would buy: an article rendered from pulldown-cmark's events.

    pip install -e '.[bench]'    # or: pip install pyromark
    python bench/native_probe.py SITE [--articles 150]

A measurement for a design decision, not a renderer: it handles what the bench corpus holds
(paragraphs, headings, lists, fenced code through the same Pygments hook, emphasis, links,
inline code) and links terms as a pass over the events, with the same matcher (one scan per
document) and the first-mention-per-article policy. No heading anchors, tables, footnotes,
explicit references or mention lines, so it is a lower bound for that design. It prints ms per
article for markdown-it-py's CommonMark render (the floor's work), glossary-site's Markdown
with linking, and this probe, best of 5 interleaved rounds.
"""

from __future__ import annotations

import argparse
from html import escape
from pathlib import Path

from layers import best_ms  # bench/, beside this script
from markdown_it import MarkdownIt

from glossary_site.build.pipeline import link_context, read_site
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics
from glossary_site.linking.autolink import LinkState
from glossary_site.linking.markdown import _highlight, make_markdown, render_markdown

SKIP = {"Heading", "Link", "CodeBlock", "Image"}
"""Containers whose text never links (as in autolink.py)."""
TAGS = {"Paragraph": "p", "Emphasis": "em", "Strong": "strong", "Item": "li", "BlockQuote": "blockquote"}


def _name(value) -> str:
    return value if isinstance(value, str) else next(iter(value))


def _runs(events: list) -> list[list]:
    """[index of the run's first event, its text (soft breaks as spaces)] for each run of text
    outside SKIP containers."""
    runs, depth, current = [], 0, None
    for i, event in enumerate(events):
        if event == "SoftBreak" and current is not None:
            current[1] += " "
            continue
        if isinstance(event, dict):
            kind, value = next(iter(event.items()))
            if kind == "Text" and depth == 0:
                if current is None:
                    current = [i, value]
                    runs.append(current)
                else:
                    current[1] += value
                continue
            if kind in ("Start", "End") and _name(value) in SKIP:
                depth += 1 if kind == "Start" else -1
        current = None
    return runs


def render(parser, context, source: str) -> str:
    events = list(parser.events(source))
    runs = _runs(events)
    found = {start: (text, matches) for (start, text), matches in
             zip(runs, context.matcher.scan_many([text for _, text in runs]))}  # fmt: skip
    out: list[str] = []
    linked: set[str] = set()
    code_lang = None
    i = 0
    while i < len(events):
        if i in found:
            text, matches = found[i]
            pos = 0
            for m in matches:
                if m.slug not in linked:
                    linked.add(m.slug)
                    out += (escape(text[pos : m.start], False), context.open_tag(m.slug), escape(text[m.start : m.end], False), "</a>")
                    pos = m.end
            out.append(escape(text[pos:], False))
            i += 1
            while i < len(events) and (events[i] == "SoftBreak" or (isinstance(events[i], dict) and "Text" in events[i])):
                i += 1
            continue
        event = events[i]
        i += 1
        if isinstance(event, str):
            out.append({"SoftBreak": "\n", "HardBreak": "<br />\n"}.get(event, "<hr />\n"))
            continue
        kind, value = next(iter(event.items()))
        if kind == "Text":
            if code_lang is None:
                out.append(escape(value, False))
            else:
                out.append(_highlight(value, code_lang, None) or f"<pre><code>{escape(value, False)}</code></pre>\n")
        elif kind == "Code":
            out.append(f"<code>{escape(value, False)}</code>")
        elif kind == "Start":
            name = _name(value)
            attrs = None if isinstance(value, str) else value[name]
            if name == "Heading":
                out.append(f"<{attrs['level'].lower()}>")
            elif name == "Link":
                out.append(f'<a href="{escape(attrs["dest_url"])}">')
            elif name == "CodeBlock":
                code_lang = attrs["Fenced"] if isinstance(attrs, dict) else ""
            elif name == "List":
                out.append("<ul>\n" if attrs is None else "<ol>\n")
            else:
                out.append(f"<{TAGS.get(name, name.lower())}>")
        elif kind == "End":
            name = _name(value)
            if name == "CodeBlock":
                code_lang = None
            elif name == "Heading":
                out.append(f"</{value[name].lower()}>\n")
            elif name == "Link":
                out.append("</a>")
            elif name == "List":
                out.append("</ol>\n" if value[name] else "</ul>\n")
            else:
                out.append(f"</{TAGS.get(name, name.lower())}>\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    args = parser.parse_args()
    try:
        import pyromark
    except ImportError:
        raise SystemExit("native_probe needs pyromark: pip install pyromark") from None
    diags = Diagnostics()
    config = load_config(args.site, diags, output=args.site / "probe-out")
    corpus, graph, _ = read_site(config, diags)
    context = link_context(graph, config)
    articles = list(corpus.articles)[: args.articles]
    events = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_FOOTNOTES
                               | pyromark.Options.ENABLE_STRIKETHROUGH)  # fmt: skip
    floor, ours = MarkdownIt("commonmark"), make_markdown(context, config.unsafe_html)
    ways = {
        "floor: markdown-it-py CommonMark render": lambda: [floor.render(a.body) for a in articles],
        "glossary-site Markdown, linking on": lambda: [render_markdown(ours, a.body, LinkState()) for a in articles],
        "probe: pulldown-cmark events, linking pass, Python HTML": lambda: [render(events, context, a.body) for a in articles],
    }
    best = best_ms(ways, len(articles))
    floor_ms = best["floor: markdown-it-py CommonMark render"]
    print(f"{len(articles)} articles\n\n| way | ms per article | / floor |\n|---|---:|---:|")
    for name, ms in best.items():
        print(f"| {name} | {ms:.2f} | {ms / floor_ms:.2f}x |")


if __name__ == "__main__":
    main()
