"""`glossary-site report`: what the glossary lacks, and where it does not reach.

Every term, article and section intro is linked as in a build, with `explain`'s record on and
with `autolink: false` terms recognised, so each candidate mention is known with its outcome
(linked, or why not: the link policy, the term's or the article's `autolink: false`, a heading,
code, or any rule the linker adds). From that record and the term files:

- unmentioned: terms that no article, section intro or other term mentions;
- unlinked: terms that are mentioned but never linked, with the reasons and where;
- missing: capitalised phrases and acronyms that no term names, used in two articles or
  more (linking/term_candidates.py), ranked by how many articles use them; the first 50;
- long-summary: summaries longer than twice the median summary of the glossary (counted in
  characters, so that it means the same in every script; only with 5 terms or more);
- no-related: terms whose front matter lists no `related` terms;
- orphan: articles that link no term (automatic links, `[[references]]` and `{{< term >}}` alike).

Every finding names a file and a line (`terms/x.md:3: ...`). A multilingual site is reported
language by language, each with its own glossary; a term standing in for an untranslated one
is reported in its own language only. Nothing is written: the dev server shows the same report
at /_report/, computed when it is asked for.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from ..build.article_pages import article_page_info
from ..build.cache import CACHE_DIR
from ..build.languages import WORKSPACES, check_language_folders, language_configs
from ..build.link_stage import report_problems
from ..build.pipeline import link_context, read_site
from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics
from ..content.documents import page_info
from ..content.urls import article_rel
from ..linking.autolink import LinkState
from ..linking.markdown import make_markdown, render_inline, render_markdown
from ..linking.term_candidates import candidates, known_names
from ..pages.render import install_globals, term_rel
from ..pages.sections import section_page_info
from ..pages.shortcode_templates import ShortcodeTemplates
from ..pages.templates import make_environment

KINDS = {
    "unmentioned": "Terms that nothing mentions",
    "unlinked": "Terms mentioned but never linked",
    "missing": "Likely missing terms: no entry, used in two articles or more",
    "long-summary": "Summaries much longer than the rest",
    "no-related": "Terms with no related entries",
    "orphan": "Articles that link no term",
}
"""Each kind of finding and its heading, in the order they are reported."""
MISSING_SHOWN = 50
LONG_SUMMARY = 2.0
"""A summary longer than this many times the median summary is reported."""
MEDIAN_FROM = 5
"""Fewer terms than this make no median worth comparing with."""
_NOT_A_MENTION = {"inside a word", "case mismatch", "overlaps a longer match", "the term's own page"}
"""The matcher's rejects (the text is not the term: 'wer' inside 'answer') and a term's own name on its page."""


@dataclass(frozen=True)
class Finding:
    kind: str
    """One of KINDS."""
    path: str
    line: int
    subject: str
    """The term's slug, the article's source, or the missing phrase."""
    message: str
    url: str = ""
    """The page it is about on the site (a missing phrase: its first article), for the dev server."""
    places: tuple[tuple[str, int], ...] = ()
    """Where it is used: an unlinked term's mentions, a missing phrase's articles (first use in each)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LanguageReport:
    language: str
    title: str
    terms: int
    articles: int
    summary_median: float
    findings: tuple[Finding, ...]
    missing_total: int = 0
    """Missing phrases found before MISSING_SHOWN cut the list."""

    @property
    def summary_limit(self) -> float:
        return self.summary_median * LONG_SUMMARY


@dataclass
class _Uses:
    """What the linker did with each term across the documents of one language."""

    linked: set[str] = field(default_factory=set)
    skipped: dict[str, list[tuple[str, int, str]]] = field(default_factory=lambda: defaultdict(list))
    """Slug -> (source, line, why) of each mention that was not linked."""
    links_of: dict[str, int] = field(default_factory=dict)
    """Article source -> how many links it makes."""

    def record(self, source: str, state: LinkState, ambiguous: dict, self_slug: str = "") -> None:
        """`ambiguous`: LinkContext.ambiguous, so that a name or stem two terms claim is a mention
        of both (looked up by the match's form, as the linker chose: a stem's is not its text)."""
        for line, _, slug, outcome, form in state.decisions:
            if outcome in _NOT_A_MENTION or outcome.startswith("linked"):
                continue
            claimants = [s for s, _ in ambiguous.get(form.lower(), ())] if outcome.startswith("ambiguous") else ()
            for claimant in claimants or [slug]:
                if claimant != self_slug:
                    self.skipped[claimant].append((source, line, outcome))
        self.linked |= {slug for slug, _ in state.mentions if slug != self_slug}


class _AcceptedOnly:
    """The site's matcher without `explain`'s rejects: the report counts none of them as a
    mention, and finding them (every occurrence, inside words too, checked one by one) is most
    of the time an explained scan takes. The matches are the same (tests/test_properties.py)."""

    def __init__(self, matcher):
        self._matcher = matcher

    def scan(self, text: str, explain: bool = False):
        return self._matcher.scan(text)

    def __getattr__(self, name: str):
        return getattr(self._matcher, name)


def site_report(config: SiteConfig, diags: Diagnostics) -> list[LanguageReport] | None:
    """The report of every language of the site (one for a site of one language); None when
    the content has errors (they are in `diags`)."""
    if not config.languages:
        report = language_report(config, diags)
        return None if report is None else [report]
    check_language_folders(config, diags)
    reports, seen = [], set()
    for sub in language_configs(config, config.root / CACHE_DIR / WORKSPACES):
        local = Diagnostics()
        report = language_report(sub, local)
        diags.extend([item for item in local.items if str(item) not in seen and not seen.add(str(item))])
        reports.append(report)
    return None if diags.has_errors or None in reports else reports


def language_report(config: SiteConfig, diags: Diagnostics) -> LanguageReport | None:
    corpus, graph, _ = read_site(config, diags)
    if diags.has_errors:
        return None
    env = make_environment(config.root)
    install_globals(env, config, diags)
    context = link_context(graph, config, recognise_disabled=True, corpus=corpus, articles=corpus.articles,
                           glossary=True, site_params=True)  # fmt: skip
    linking = dataclasses.replace(context, matcher=_AcceptedOnly(context.matcher))
    md = make_markdown(linking, config.unsafe_html, shortcodes=ShortcodeTemplates(env))
    uses = _Uses()
    for term in graph.terms.values():  # as link_stage.link_term, with explain's record on
        state = LinkState(body_line=term.lines.get("summary", 1), self_slug=term.slug, explain=True,
                          page=page_info(term.title, term_rel(term.slug), term.source),
                          labels=frozenset({term.category.lower()}))  # fmt: skip
        render_inline(md, term.summary, state)
        state.body_line = term.body_line
        rendered = render_markdown(md, term.body, state)
        report_problems(term.source, rendered.errors, corpus, diags)
        uses.record(term.source, state, context.ambiguous, term.slug)
    for article in corpus.articles:
        state = LinkState(body_line=article.body_line, enabled=article.autolink, explain=True,
                          page=article_page_info(article))  # fmt: skip
        rendered = render_markdown(md, article.body, state)
        report_problems(article.source, rendered.errors, corpus, diags)
        uses.record(article.source, state, context.ambiguous)
        uses.links_of[article.source] = len(state.mentions)
    for section in corpus.sections:
        state = LinkState(body_line=section.body_line, explain=True, page=section_page_info(section))
        report_problems(section.source, render_markdown(md, section.body, state).errors, corpus, diags)
        uses.record(section.source, state, context.ambiguous)
    if diags.has_errors:
        return None
    own = [t for t in graph.terms.values() if not t.fallback]  # stand-ins are reported in their language
    lengths = [len(t.summary.strip()) for t in own]
    median = statistics.median(lengths) if len(lengths) >= MEDIAN_FROM else 0.0
    missing, total = _missing(corpus.articles, graph, config, context)
    findings = [
        *_term_findings(own, graph, uses, config, median),
        *missing,
        *(_orphan(a, config) for a in corpus.articles if not uses.links_of[a.source]),
    ]
    order = list(KINDS)
    findings.sort(key=lambda f: order.index(f.kind))  # stable: each kind keeps its own order
    return LanguageReport(config.language, config.title, len(own), len(corpus.articles), median, tuple(findings),
                          total)  # fmt: skip


def _term_findings(terms, graph, uses: _Uses, config: SiteConfig, median: float) -> list[Finding]:
    out = []
    for term in terms:
        title, url, at = term.title, config.url(term_rel(term.slug)), term.lines.get("title", 1)
        skipped = uses.skipped.get(term.slug, [])
        if term.slug not in uses.linked and not skipped:
            out.append(Finding("unmentioned", term.source, at, term.slug,
                               f"'{title}' is mentioned by no article and no other term", url))  # fmt: skip
        elif term.slug not in uses.linked:
            reasons = Counter(why for _, _, why in skipped)
            first = {why: (source, line) for source, line, why in reversed(skipped)}
            said = "; ".join(f"{why} ({first[why][0]}:{first[why][1]}{f', {n}x' if n > 1 else ''})"
                             for why, n in reasons.most_common())  # fmt: skip
            line = term.lines.get("autolink", at) if "autolink is off for this term" in reasons else at
            out.append(Finding("unlinked", term.source, line, term.slug,
                               f"'{title}' is mentioned {len(skipped)}x but never linked: {said}", url,
                               tuple((source, line) for source, line, _ in skipped)))  # fmt: skip
        size = len(term.summary.strip())
        if median and size > median * LONG_SUMMARY:
            out.append(Finding("long-summary", term.source, term.lines.get("summary", at), term.slug,
                               f"the summary of '{title}' is {size} characters, {size / median:.1f} times the "
                               f"median ({median:g}); move the detail into the body", url))  # fmt: skip
        if not term.related:
            others = graph.related.get(term.slug, ())  # declared on their end
            also = f" (its page shows {', '.join(others)}, which list it)" if others else ""
            out.append(Finding("no-related", term.source, at, term.slug,
                               f"'{title}' lists no related terms{also}", url))  # fmt: skip
    return out


def _missing(articles, graph, config: SiteConfig, context) -> tuple[list[Finding], int]:
    known = known_names(graph, config.language)
    used: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)  # phrase -> source -> (first line, count)
    for article in articles:
        for phrase, offset in candidates(article.body, known, context.matcher):
            first, count = used[phrase].get(article.source, (0, 0))
            line = first or article.body_line + article.body.count("\n", 0, offset)
            used[phrase][article.source] = (line, count + 1)
    ranked = sorted(((p, by) for p, by in used.items() if len(by) >= 2),
                    key=lambda item: (-len(item[1]), -sum(c for _, c in item[1].values()), item[0]))  # fmt: skip
    urls = {a.source: config.url(article_rel(a.slug)) for a in articles}
    out = []
    for phrase, by in ranked[:MISSING_SHOWN]:
        places = tuple((source, line) for source, (line, _) in by.items())
        times = sum(c for _, c in by.values())
        elsewhere = ", ".join(f"{s}:{n}" for s, n in places[1:])
        out.append(Finding("missing", places[0][0], places[0][1], phrase,
                           f"'{phrase}' has no entry; {len(by)} articles use it {times}x (also {elsewhere})",
                           urls[places[0][0]], places))  # fmt: skip
    return out, len(ranked)


def _orphan(article, config: SiteConfig) -> Finding:
    why = " (autolink: false, and no [[reference]])" if not article.autolink else ""
    line = article.lines.get("title") or article.heading_line or 1
    return Finding("orphan", article.source, line, article.source,
                   f"'{article.title}' links no term{why}", config.url(article_rel(article.slug)))  # fmt: skip


# --- output -----------------------------------------------------------------------------


def _headline(report: LanguageReport, several: bool) -> str:
    which = f"[{report.language}] " if several else ""
    return (f"{which}{report.title}: {report.terms} terms, {report.articles} articles, "
            f"{len(report.findings)} findings")  # fmt: skip


def _heading(report: LanguageReport, kind: str, count: int) -> str:
    if kind == "long-summary" and report.summary_median:
        return f"{KINDS[kind]}: over {report.summary_limit:g} characters, twice the median ({count})"
    if kind == "missing" and report.missing_total > count:
        return f"{KINDS[kind]} ({count} of {report.missing_total})"
    return f"{KINDS[kind]} ({count})"


def as_text(reports: list[LanguageReport]) -> str:
    """Findings under a heading per kind, one `path:line: message` line each (an editor's
    quickfix list reads them); kinds without findings are left out."""
    lines = []
    for report in reports:
        lines.append(_headline(report, len(reports) > 1))
        for kind in KINDS:
            found = [f for f in report.findings if f.kind == kind]
            if found:
                lines += ["", _heading(report, kind, len(found)) + ":", *map(str, found)]
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def as_json(reports: list[LanguageReport]) -> str:
    """{"languages": [{language, title, terms, articles, summary_median, summary_limit,
    missing_total, counts, findings: [{kind, path, line, subject, message, url, places}]}]}"""
    out = []
    for r in reports:
        findings = [{**dataclasses.asdict(f), "places": [{"path": p, "line": n} for p, n in f.places]}
                    for f in r.findings]  # fmt: skip
        counts = {kind: sum(f.kind == kind for f in r.findings) for kind in KINDS}
        out.append({"language": r.language, "title": r.title, "terms": r.terms, "articles": r.articles,
                    "summary_median": r.summary_median, "summary_limit": r.summary_limit,
                    "missing_total": r.missing_total, "counts": counts, "findings": findings})  # fmt: skip
    return json.dumps({"languages": out}, ensure_ascii=False, indent=2)


def as_html(reports: list[LanguageReport] | None, problems: list[str]) -> str:
    """The dev server's /_report/ page: the same findings, each linked to its page."""
    parts = ["<!doctype html><html lang=en><head><meta charset=utf-8><title>Glossary report</title>",
             "<meta name=viewport content='width=device-width,initial-scale=1'><style>",
             "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}",
             "code{font:13px ui-monospace,monospace}li{margin:.3rem 0}.problems{color:#a00}</style></head><body>",
             "<h1>Glossary report</h1>"]  # fmt: skip
    if problems:
        parts.append("<p class=problems>The content has errors; fix them to see the report:</p><ul class=problems>")
        parts += [f"<li><code>{escape(p)}</code></li>" for p in problems]
        parts.append("</ul>")
    for report in reports or []:
        parts.append(f"<section id='lang-{escape(report.language)}'><h2>{escape(_headline(report, True))}</h2>")
        if not report.findings:
            parts.append("<p>Nothing to report.</p>")
        for kind in KINDS:
            found = [f for f in report.findings if f.kind == kind]
            if not found:
                continue
            parts.append(f"<h3 id='{kind}-{escape(report.language)}'>{escape(_heading(report, kind, len(found)))}</h3><ul>")
            for f in found:
                subject = f"<a href='{escape(f.url)}'>{escape(f.subject)}</a>" if f.url else escape(f.subject)
                parts.append(f"<li class='{kind}'>{subject}: <code>{escape(f.path)}:{f.line}</code> "
                             f"{escape(f.message)}</li>")  # fmt: skip
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("<p>Computed when this page is asked for; not part of the built site.</p></body></html>")
    return "\n".join(parts)
