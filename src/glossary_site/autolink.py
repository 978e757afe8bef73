"""The term-linking markdown-it plugin: `[[slug|text]]` references and automatic links.

Two rules. An inline rule turns `[[kv-cache]]` / `[[kv-cache|the cache]]` into a
`term_ref` token. A core rule, registered after `text_join` so escapes are already
folded into plain text, rewrites the `text` children of paragraph-level `inline` tokens:
it joins text across soft line breaks, asks the TermMatcher for mentions, and splices
one `term_run` token per run with links in (an explicit reference is a `term_link` token).
It never looks inside headings, code, links, raw `<a>`
or image alt text.
Every mention (linked or not) is recorded in the per-document `LinkState` in `env`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from .diagnostics import did_you_mean
from .matcher import TermMatcher

POLICIES = ("first-per-article", "first-per-section", "every")


@dataclass(frozen=True)
class LinkContext:
    """What the plugin knows about the glossary; the same for every document of a build.

    Plain data (no closures), so it can be sent to worker processes and digested.
    """

    matcher: TermMatcher
    base_path: str
    """URL prefix of the site ('/' or '/my-repo/'); term pages live at base/terms/<slug>/."""
    titles: dict[str, str]
    """Slug -> title: the label of `[[slug]]` when the author gives none."""
    names: dict[str, str]
    """Lower-cased slug, title or alias -> slug, for explicit references."""
    policy: str = "first-per-article"
    disabled: frozenset[str] = frozenset()
    """Terms whose names are recognised but never auto-linked (only `explain` sets this)."""
    describe: bool = False
    """Point each link at its term's preview (`aria-describedby="term-tip-<slug>"`); the page
    template holds the preview, so the body never carries a summary."""
    _tags: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def url_for(self, slug: str) -> str:
        return f"{self.base_path}terms/{slug}/"

    def open_tag(self, slug: str) -> str:
        """`<a ...>` of a link to the term, built once per term and build."""
        tag = self._tags.get(slug)
        if tag is None:
            href, term = escapeHtml(self.url_for(slug)), escapeHtml(slug)
            tip = f' aria-describedby="term-tip-{term}"' if self.describe else ""
            tag = self._tags[slug] = f'<a href="{href}" class="term-link" data-term="{term}"{tip}>'
        return tag

    def title_for(self, slug: str) -> str:
        return self.titles[slug]

    def resolve(self, name: str) -> str | None:
        return self.names.get(name.strip().lower())

    def suggest(self, name: str) -> str:
        return did_you_mean(name, self.titles)


@dataclass
class LinkState:
    """Per-document linking state and record; put in env['glossary'] before parsing."""

    body_line: int = 1
    """File line of the Markdown's first line, so mentions carry file lines."""
    enabled: bool = True
    """False when the article says `autolink: false` (explicit references still work)."""
    self_slug: str = ""
    """On a term's own page, the term that must never link to itself."""
    explain: bool = False
    """Record skipped candidates with reasons (for `glossary-site explain`)."""
    mentions: list[tuple[str, int]] = field(default_factory=list)
    """(slug, line) of every linked or explicitly referenced term, in order."""
    linked: set[str] = field(default_factory=set)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, message, hint, reference) of unknown explicit references."""
    decisions: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, text, slug, outcome) for explain: 'linked' or the reason it was not."""


def autolink_plugin(md: MarkdownIt, context: LinkContext) -> None:
    md.inline.ruler.before("link", "term_ref", _term_ref_rule)
    md.core.ruler.after("text_join", "term_autolink", lambda state: _link_document(state, context))

    def render_term_link(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        return context.open_tag(token.meta["term"]) + self.renderInline(token.children, options, env) + "</a>"

    def render_term_run(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        text, parts, pos = token.content, [], 0
        for start, end, slug in token.meta["links"]:
            parts += (escapeHtml(text[pos:start]), context.open_tag(slug), escapeHtml(text[start:end]), "</a>")
            pos = end
        parts.append(escapeHtml(text[pos:]))
        return "".join(parts)

    md.add_render_rule("term_link", render_term_link)
    md.add_render_rule("term_run", render_term_run)


_REF = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]+))?\]\]")


def _term_ref_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _REF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("term_ref", "", 0)
        token.meta = {"ref": match.group(1).strip(), "text": (match.group(2) or "").strip()}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _link_document(state: StateCore, ctx: LinkContext) -> None:
    doc: LinkState | None = state.env.get("glossary")
    if doc is None:
        return
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and ctx.policy == "first-per-section":
            doc.linked.clear()
        if token.type != "inline" or not token.children:
            continue
        line = doc.body_line + (token.map[0] if token.map else 0)
        in_heading = i > 0 and tokens[i - 1].type == "heading_open"
        token.children = _link_children(token.children, line, in_heading, ctx, doc)


def _link_children(children: list[Token], line: int, in_heading: bool, ctx: LinkContext, doc: LinkState):
    out: list[Token] = []
    run: list[Token] = []
    link_depth = 0  # inside a Markdown link, autolink or raw <a>: never link again

    def flush() -> None:
        nonlocal run
        if run:
            skip = "in a heading" if in_heading else ("inside a link" if link_depth else "")
            out.extend(_link_run(run, run_line, skip, ctx, doc))
            run = []

    run_line = line
    for child in children:
        if child.type in ("text", "softbreak"):
            if not run:
                run_line = line
            run.append(child)
            if child.type == "softbreak":
                line += 1
            continue
        flush()
        if child.type == "hardbreak":
            line += 1
        elif child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth = max(0, link_depth - 1)
        elif child.type == "html_inline":
            if re.match(r"<a[\s>]", child.content, re.I):
                link_depth += 1
            elif re.match(r"</a\s*>", child.content, re.I):
                link_depth = max(0, link_depth - 1)
        elif child.type == "term_ref":
            out.extend(_explicit_ref(child, line, ctx, doc, plain=in_heading or link_depth > 0))
            continue
        elif child.type == "code_inline" and doc.explain:
            _explain_only(child.content, line, "inside code", ctx, doc)
        out.append(child)
    flush()
    return out


def _explicit_ref(token: Token, line: int, ctx: LinkContext, doc: LinkState, plain: bool) -> list[Token]:
    """`plain`: in a heading or inside a link, where no link may go (a heading's text is its
    anchor's, and links do not nest): the reference still names the term, as its label."""
    ref, text = token.meta["ref"], token.meta["text"]
    slug = ctx.resolve(ref)
    if slug is None:
        doc.errors.append((line, f"reference [[{ref}]] names no term", ctx.suggest(ref), ref))
        return [_text(token.content)]
    label = text or ctx.title_for(slug)
    doc.mentions.append((slug, line))
    if plain:
        return [_text(label)]
    doc.linked.add(slug)
    if slug == doc.self_slug:
        return [_text(label)]
    return [_link_token(slug, [_text(label)])]


def _link_run(run: list[Token], line: int, skip: str, ctx: LinkContext, doc: LinkState) -> list[Token]:
    if len(run) == 1 and run[0].type == "text":  # the common case, a run without soft breaks
        joined = text = run[0].content
        breaks: list[int] = []
    else:
        # Matched with each soft break as a space (a name may wrap), re-emitted as the "\n" a
        # softbreak renders to (the `breaks` option is never on), so offsets agree.
        joined = "".join(" " if t.type == "softbreak" else t.content for t in run)
        text = "".join("\n" if t.type == "softbreak" else t.content for t in run)
        breaks = _break_offsets(run)
    if skip or not doc.enabled:
        if doc.explain:
            reason = skip or "autolink is off for this document"
            _explain_only(joined, line, reason, ctx, doc, breaks)
        return run
    matches, rejected = ctx.matcher.scan(joined, explain=doc.explain)
    for r in rejected:
        doc.decisions.append((_line_at(line, breaks, r.start), joined[r.start : r.end], r.slug, r.reason))
    links: list[tuple[int, int, str]] = []
    for m in matches:
        at = _line_at(line, breaks, m.start) if breaks else line
        reason = _why_not(m.slug, ctx, doc)
        if doc.explain:
            doc.decisions.append((at, joined[m.start : m.end], m.slug, reason or "linked"))
        if reason:
            continue
        doc.mentions.append((m.slug, at))
        doc.linked.add(m.slug)
        links.append((m.start, m.end, m.slug))
    if not links:
        return run  # nothing linked: keep the original tokens untouched
    return [_run_token(text, links)]


def _why_not(slug: str, ctx: LinkContext, doc: LinkState) -> str:
    if slug in ctx.disabled:
        return "autolink is off for this term"
    if slug == doc.self_slug:
        return "the term's own page"
    if slug in doc.linked and ctx.policy != "every":
        return "already linked earlier" if ctx.policy == "first-per-article" else "already linked in this section"
    return ""


def _explain_only(text: str, line: int, reason: str, ctx: LinkContext, doc: LinkState, breaks=()) -> None:
    matches, _ = ctx.matcher.scan(text)
    for m in matches:
        doc.decisions.append((_line_at(line, breaks, m.start), text[m.start : m.end], m.slug, reason))


def _break_offsets(run: list[Token]) -> list[int]:
    offsets, pos = [], 0
    for t in run:
        if t.type == "softbreak":
            offsets.append(pos)
            pos += 1
        else:
            pos += len(t.content)
    return offsets


def _line_at(line: int, breaks, offset: int) -> int:
    return line + bisect_left(breaks, offset)  # breaks are ascending offsets


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _run_token(text: str, links: list[tuple[int, int, str]]) -> Token:
    """One `term_run` token for a run of text and the automatic links in it (meta: start,
    end and slug of each), rendered straight to HTML: an article makes about a hundred
    links, and a text token before each and a term_link token with a child for each cost
    more to make and render than the linking itself (the same bytes: escaping is per character)."""
    return Token("term_run", "", 0, content=text, meta={"links": links})


def _link_token(slug: str, inner: list[Token]) -> Token:
    """One `term_link` token (meta: the term's slug) around the linked text: a third of the
    tokens of link_open/text/link_close, and the opening tag is rendered once per term
    (LinkContext.open_tag); an article links about a hundred terms.
    No summary here: a body then depends only on where links go, so a summary edit
    re-assembles the pages that show it from their cached bodies (the page carries it)."""
    token = Token("term_link", "a", 0, meta={"term": slug})
    token.children = inner
    return token
