"""`glossary-site explain ARTICLE`: why each candidate mention was linked or skipped.

Links are decided by the same plugin as in a build, run with its `explain` record on and
with terms that have `autolink: false` recognised too, so that an author can see that the
name was found and why it stayed plain text. A link says which rule made it when that is
not the name as a whole word: `linked (en: plural)` for an inflected form of the site's
language, `linked (by characters: Katakana)` where the text around it is written without
spaces between words, `linked (derived: abbreviation)` for a name derived from a title. A
mention left plain says why: `ambiguous: ...` (two terms derive the name and the article's
tags choose neither), `common term ...` (salience), a paragraph's cap; derived names that
another term is explicitly called are listed at the end.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..build.article_pages import article_page_info
from ..build.languages import config_for
from ..build.pipeline import link_context, read_site
from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from ..linking.autolink import LinkState
from ..linking.markdown import make_markdown, render_markdown
from ..linking.term_candidates import frequent, known_names


def explain_article(config: SiteConfig, path: Path, diags: Diagnostics) -> list[str] | None:
    rel = _relative(config.root, path)
    config = config_for(config, rel)  # a multilingual site: the article's language, its glossary and rules
    corpus, graph, _ = read_site(config, diags)
    if diags.has_errors:
        return None
    article = next((a for a in corpus.articles if a.source == rel), None)
    if article is None:
        diags.error(SourcePos(rel), "not an article of this site (or a draft without --drafts)",
                    "Give the path of a file under content/.")  # fmt: skip
        return None
    context = link_context(graph, config, recognise_disabled=True, articles=corpus.articles)
    state = LinkState(body_line=article.body_line, enabled=article.autolink, explain=True, page=article_page_info(article))
    render_markdown(make_markdown(context, config.unsafe_html), article.body, state)
    lines = [f"{rel}: {len(state.mentions)} links to {len(set(s for s, _ in state.mentions))} terms"]
    for line, text, slug, outcome, _ in sorted(state.decisions, key=lambda d: d[0]):
        if outcome == "inside a word" and (text.islower() or _covered(state.decisions, line, text)):
            continue  # 'wer' inside 'answer', 'GPU' inside a matched 'GPUs': noise
        verdict = outcome if outcome.startswith("linked") else f"skipped: {outcome}"
        lines.append(f"{rel}:{line}: '{text}' -> {slug}: {verdict}")
    lines += _derived_left_out(article.body, graph)
    missing = frequent(article.body, known_names(graph, config.language), context.matcher)
    if missing:
        lines.append("frequent capitalised words and acronyms that are not terms yet:")
        lines += [f"  {word} ({count}x)" for word, count in missing]
    return lines


def _relative(root: Path, path: Path) -> str:
    for base in (Path.cwd(), root):
        try:
            return (base / path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _derived_left_out(body: str, graph) -> list[str]:
    """The derived names this article uses that their term does not keep (another term is
    explicitly called so): the explicit name wins, and the reader of explain should know."""
    text = " ".join(body.lower().split())
    found = []
    for slug, dropped in graph.dropped.items():
        for name, rule, why in dropped:
            if re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", text):
                found.append(f"  '{name}' ({rule}) of {slug}: left out, {why}")
    return ["derived names in this article that link elsewhere:", *found] if found else []


def _covered(decisions, line: int, text: str) -> bool:
    return any(d[0] == line and d[1] != text and text in d[1] and d[3] != "inside a word" for d in decisions)

