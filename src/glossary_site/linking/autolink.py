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
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..content.diagnostics import did_you_mean
from ..content.urls import href
from .excerpts import Excerpt, excerpts
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
    math: bool = False
    """Render $...$, $$...$$, \\(...\\) and \\[...\\] as MathML (site.yaml `math`); here because
    every document of a build is rendered with one context."""
    glossary: tuple[tuple[str, str, str, str, str], ...] = ()
    """(slug, title, category, depth, summary) of every term, when the site uses the `definition`
    or `glossary` shortcodes (glossary_shortcodes.py), which show them; else ()."""
    moved: dict[str, str] = field(default_factory=dict)
    """Old slug of a renamed term (the last part of an old URL in its aliases) -> its slug."""
    ref_targets: dict[str, str] = field(default_factory=dict, repr=False)
    """What a `ref` shortcode may name (a page's path in content/, with or without '.md') -> the
    page's URL path (builtin_shortcodes.ref_names)."""
    ambiguous: dict[str, tuple[tuple[str, frozenset[str]], ...]] = field(default_factory=dict, repr=False)
    """Lower-cased surface form that several terms derive -> (slug, its `disambiguate` labels) of
    each: linked to the one whose labels the document's tags or categories hold, if exactly one."""
    common: dict[str, float] = field(default_factory=dict, repr=False)
    """Slug -> share of the articles that mention it, for each common term (`link_common_terms:
    false`): linked only where the document is about it (see `salient_mentions`)."""
    salient_mentions: int = 3
    """A document mentioning a common term this many times (or in a heading, or its title) is about it."""
    max_per_paragraph: int = 0
    """At most this many automatic links in one paragraph (0: any number)."""
    site_params: dict = field(default_factory=dict, repr=False)
    """The site's params, when a text calls the `param` shortcode (which falls back to them, as
    Hugo's does); else {}, so that an edit of the params re-renders no body that cannot show them."""
    _tags: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def entries(self) -> dict[str, tuple[str, str, str, str]]:
        """Slug -> (title, category, depth, summary), from `glossary`."""
        if "entries" not in self._tags:
            self._tags["entries"] = {slug: rest for slug, *rest in self.glossary}  # type: ignore[assignment]
        return self._tags["entries"]  # type: ignore[return-value]

    def url_for(self, slug: str) -> str:
        return f"{self.base_path}terms/{href(slug)}/"

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

    def find(self, name: str) -> tuple[str | None, bool]:
        """(slug, named by an old slug) of the term a reference or shortcode names: a renamed
        term's old slug still finds it, and the caller warns."""
        slug = self.resolve(name) if name.strip() else None
        if slug is None and (slug := self.moved.get(name.strip().lower())) is not None:
            return slug, True
        return slug, False

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
    contexts: dict[str, Excerpt] = field(default_factory=dict)
    """Slug -> the sentence of its first mention (excerpts.excerpt): what backlinks show."""
    linked: set[str] = field(default_factory=set)
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, message, hint, reference) of unknown explicit references."""
    decisions: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    """(line, text, slug, outcome, form) for explain: 'linked', with the rule that matched in
    parentheses when it is not the name as a whole word ('linked (en: plural)'), or the reason
    it was not; `form`: the matcher's form of the match (a stem's is FORM_MARK + head + stem), what
    LinkContext.ambiguous is keyed by (lower-cased), so the report can credit every claimant."""
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, message, hint) of what renders but deserves a word (a shortcode that cannot run here)."""
    page: dict = field(default_factory=dict)
    """What shortcodes may know of the page being rendered: title, url, date, params."""
    labels: frozenset[str] | None = None
    """What chooses between terms that derive one name (`disambiguate`), lower-cased: a term
    page's category; None: the page's `tags` and `categories` (front matter, in `page`)."""
    salient: frozenset[str] = frozenset()
    """The common terms (LinkContext.common) this document is about."""
    paragraph_links: int = 0
    """Automatic links made so far in the paragraph being linked (LinkContext.max_per_paragraph)."""


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
    if not match or "{{<" in match.group(0) or "{{%" in match.group(0):
        return False  # `[[{{< figure ... >}}]]` is a shortcode in brackets, not a reference
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
    plans: dict[int, list[tuple]] = {}
    for i, token in enumerate(tokens):
        if token.type == "inline" and token.children:
            line = doc.body_line + (token.map[0] if token.map else 0)
            in_heading = i > 0 and tokens[i - 1].type == "heading_open"
            plans[i] = _steps(token.children, line, in_heading)
    # Every run the matcher will read, scanned in one pass; the runs then take their matches
    # in order. (`explain` also wants the rejects, so it scans run by run.) With common terms,
    # headings, link texts and the title are read too: they say what the document is about.
    found = None
    if doc.enabled and (ctx.common or not doc.explain):
        runs = [step for plan in plans.values() for step in plan if step[0] == "run" and (ctx.common or not step[3])]
        title = [str(doc.page.get("title") or "")] if ctx.common else []
        scanned = ctx.matcher.scan_many([step[4] for step in runs] + title)
        if ctx.common:
            doc.salient = _salient(runs, scanned, ctx)
        if not doc.explain:
            found = iter([matches for step, matches in zip(runs, scanned) if not step[3]])
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and ctx.policy == "first-per-section":
            doc.linked.clear()
        if token.type == "shortcode":  # a block-level call, alone on its lines
            _claim_shortcode(token, ctx, doc)
        if i in plans:
            first = len(doc.mentions)
            token.children = _apply(plans[i], ctx, doc, found)
            if len(doc.mentions) > first:
                _record_contexts(token.children, doc, first)


def _steps(children: list[Token], line: int, in_heading: bool) -> list[tuple]:
    """An inline token's children in order, as ("run", tokens, line, skip, joined, text,
    breaks) for each run of text and soft breaks (`skip`: why nothing in it may link),
    ("ref", token, line, plain), ("code", token, line) and ("keep", token)."""
    steps: list[tuple] = []
    run: list[Token] = []
    link_depth = 0  # inside a Markdown link, autolink or raw <a>: never link again

    def flush() -> None:
        nonlocal run
        if run:
            skip = "in a heading" if in_heading else ("inside a link" if link_depth else "")
            steps.append(("run", run, run_line, skip, *_run_text(run)))
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
        elif child.type == "term_ref" or (child.type == "shortcode" and (child := _as_reference(child)).type == "term_ref"):
            steps.append(("ref", child, line, in_heading or link_depth > 0))
            continue
        elif child.type == "code_inline":
            steps.append(("code", child, line))
            continue
        steps.append(("keep", child))
    flush()
    return steps


def _run_text(run: list[Token]) -> tuple[str, str, list[int]]:
    """(joined, text, breaks): the run matched with each soft break as a space (a name may
    wrap), re-emitted with the "\n" a softbreak renders to (the `breaks` option is never on),
    so offsets agree; and where the breaks are."""
    if len(run) == 1 and run[0].type == "text":  # the common case, a run without soft breaks
        return run[0].content, run[0].content, []
    joined = "".join(" " if t.type == "softbreak" else t.content for t in run)
    text = "".join("\n" if t.type == "softbreak" else t.content for t in run)
    return joined, text, _break_offsets(run)


def _apply(steps: list[tuple], ctx: LinkContext, doc: LinkState, found) -> list[Token]:
    """The new children: runs linked (with their share of `found`, or scanned here when it is
    None), references resolved, the rest kept."""
    out: list[Token] = []
    doc.paragraph_links = 0
    for step in steps:
        kind = step[0]
        if kind == "run":
            matches = next(found) if found is not None and not step[3] else None
            out.extend(_link_run(*step[1:], ctx, doc, matches))
        elif kind == "ref":
            out.extend(_explicit_ref(step[1], step[2], ctx, doc, plain=step[3]))
        elif kind == "code":
            if doc.explain:
                _explain_only(step[1].content, step[2], "inside code", ctx, doc)
            out.append(step[1])
        else:
            _claim_shortcode(step[1], ctx, doc)
            out.append(step[1])
    return out


def _as_reference(token: Token) -> Token:
    """An inline `{{< term "kv-cache" "the cache" >}}` is `[[kv-cache|the cache]]` by another
    name: the same token, so it is plain text in a heading or a link, records its sentence and
    warns about an old slug as the reference does. Any other shortcode is returned as it is."""
    tag = token.meta.get("tag") if token.meta else None
    if tag is None or tag.name != "term" or tag.closing or tag.escaped or tag.error:
        return token
    params = dict(tag.params)
    ref = Token("term_ref", "", 0)
    ref.meta = {"ref": (params.get("name") or (tag.args[0] if tag.args else "")).strip(),
                "text": (params.get("text") or (tag.args[1] if len(tag.args) > 1 else "")).strip(), "call": "term"}
    return ref


def _claim_shortcode(token: Token, ctx: LinkContext, doc: LinkState) -> None:
    """A `term` or `definition` shortcode links its term as `[[...]]` does, but is rendered later
    (glossary_shortcodes.py): the term counts as linked from here on, so the text after it does
    not link it again under the first-mention policy."""
    tag = token.meta.get("tag") if token.type == "shortcode" and token.meta else None
    if tag is None or tag.closing or tag.name not in ("term", "definition"):
        return
    name = (dict(tag.params).get("name") or (tag.args[0] if tag.args else "")).strip()
    slug = ctx.find(name)[0]
    if slug is not None:
        doc.linked.add(slug)


def _explicit_ref(token: Token, line: int, ctx: LinkContext, doc: LinkState, plain: bool) -> list[Token]:
    """`plain`: in a heading or inside a link, where no link may go (a heading's text is its
    anchor's, and links do not nest): the reference still names the term, as its label."""
    ref, text = token.meta["ref"], token.meta["text"]
    call = token.meta.get("call")  # a `term` shortcode (_as_reference), named so in messages
    written = f'{{{{< term "{ref}" >}}}}' if call else f"[[{ref}]]"
    slug, old = ctx.find(ref)
    if old:
        doc.warnings.append((line, f"{written} names the old slug of '{slug}'",
                             f'Write {{{{< term "{slug}" >}}}}' if call else f"Write [[{slug}]]"))  # fmt: skip
    if slug is None:
        message = f"shortcode 'term' names no term: '{ref}'" if call else f"reference [[{ref}]] names no term"
        doc.errors.append((line, message, ctx.suggest(ref) if ref else 'Write {{< term "kv-cache" >}}', ref))
        return [_text(token.content)]
    label = text or ctx.title_for(slug)
    doc.mentions.append((slug, line))
    if plain:
        return [_text(label, slug)]
    doc.linked.add(slug)
    if slug == doc.self_slug:
        return [_text(label, slug)]
    return [_link_token(slug, [_text(label)])]


def _link_run(run: list[Token], line: int, skip: str, joined: str, text: str, breaks: list[int],
              ctx: LinkContext, doc: LinkState, matches=None) -> list[Token]:
    """`matches`: the run's share of the document's scan (None: scan it here)."""
    if skip or not doc.enabled:
        if doc.explain:
            reason = skip or "autolink is off for this document"
            _explain_only(joined, line, reason, ctx, doc, breaks)
        return run
    rejected: list = []
    if matches is None:
        matches, rejected = ctx.matcher.scan(joined, explain=doc.explain)
    for r in rejected:
        doc.decisions.append((_line_at(line, breaks, r.start), joined[r.start : r.end], r.slug, r.reason, r.form))
    links: list[tuple[int, int, str]] = []
    for m in matches:
        at = _line_at(line, breaks, m.start) if breaks else line
        slug, chosen = (m.slug, "") if not ctx.ambiguous else _choose(m, ctx, doc)
        reason = _why_not(slug, ctx, doc) if not chosen.startswith("ambiguous") else chosen
        if doc.explain:
            how = "" if reason else "; ".join(filter(None, (ctx.matcher.how(joined, m), chosen)))
            doc.decisions.append((at, joined[m.start : m.end], slug, reason or (f"linked ({how})" if how else "linked"),
                                  m.form))  # fmt: skip
        if reason:
            continue
        doc.mentions.append((slug, at))
        doc.linked.add(slug)
        doc.paragraph_links += 1
        links.append((m.start, m.end, slug))
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
    if slug in ctx.common and slug not in doc.salient:
        return (f"common term (mentioned on {ctx.common[slug]:.0%} of articles), and this page is not about it"
                f" (fewer than {ctx.salient_mentions} mentions, none in a heading or the title)")  # fmt: skip
    if ctx.max_per_paragraph and doc.paragraph_links >= ctx.max_per_paragraph:
        return f"this paragraph has {ctx.max_per_paragraph} links already"
    return ""


def _choose(m, ctx: LinkContext, doc: LinkState) -> tuple[str, str]:
    """(slug, note) of a match: for a name several terms derive, the one term whose `disambiguate`
    labels the document's tags or categories hold, or 'ambiguous: ...' (not linked)."""
    claimants = ctx.ambiguous.get(m.form.lower())
    if not claimants:
        return m.slug, ""
    labels = _labels(doc)
    chosen = [(slug, sorted(own & labels)) for slug, own in claimants if own & labels]
    if len(chosen) == 1:
        return chosen[0][0], f"chosen by {', '.join(chosen[0][1])}"
    names = ", ".join(slug for slug, _ in claimants)
    if chosen:
        return m.slug, f"ambiguous: {names} (the page's tags choose more than one)"
    return m.slug, f"ambiguous: {names} (no disambiguate of theirs matches the page's tags or categories)"


def _labels(doc: LinkState) -> frozenset[str]:
    """The document's tags and categories, lower-cased (a term page: its category)."""
    if doc.labels is not None:
        return doc.labels
    params = doc.page.get("params") or {}
    found = set()
    for key in ("tags", "categories"):
        value = params.get(key)
        for item in [value] if isinstance(value, str) else value if isinstance(value, list) else ():
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                found.add(str(item).strip().lower())
    doc.labels = frozenset(found)
    return doc.labels


def _salient(runs: list[tuple], scanned: list, ctx: LinkContext) -> frozenset[str]:
    """The common terms a document is about: mentioned `salient_mentions` times in its text,
    headings and link texts (not code), or once in a heading or in its title (the last of
    `scanned`, after the runs' matches)."""
    counts: dict[str, int] = {}
    about = {m.slug for m in scanned[-1] if m.slug in ctx.common}
    for step, matches in zip(runs, scanned):
        for m in matches:
            if m.slug in ctx.common:
                counts[m.slug] = counts.get(m.slug, 0) + 1
                if step[3] == "in a heading":
                    about.add(m.slug)
    return frozenset(about | {slug for slug, n in counts.items() if n >= ctx.salient_mentions})


def _explain_only(text: str, line: int, reason: str, ctx: LinkContext, doc: LinkState, breaks=()) -> None:
    matches, _ = ctx.matcher.scan(text)
    for m in matches:
        doc.decisions.append((_line_at(line, breaks, m.start), text[m.start : m.end], m.slug, reason, m.form))


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


def _text(content: str, mention: str = "") -> Token:
    """`mention`: the term a reference names where it cannot link (_record_contexts finds it)."""
    token = Token("text", "", 0)
    token.content = content
    if mention:
        token.meta = {"mention": mention}
    return token


_PLAIN = frozenset(("text", "code_inline", "math_inline", "math_inline_double"))
"""Inline tokens whose content is text a reader sees (the rest is markup, or has no words)."""


def _record_contexts(children: list[Token], doc: LinkState, first: int) -> None:
    """The sentence of each term this paragraph mentions first (doc.mentions[first:]), from the
    paragraph's text as a reader sees it (markup dropped, soft breaks as spaces)."""
    wanted = {slug for slug, _ in doc.mentions[first:] if slug not in doc.contexts}
    if not wanted:
        return
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for child in children:
        kind = child.type
        if kind == "term_run":
            piece = child.content.replace("\n", " ")
            spans += [(pos + start, pos + end, slug) for start, end, slug in child.meta["links"]]
        elif kind == "term_link":
            piece = "".join(c.content for c in child.children or ())
            spans.append((pos, pos + len(piece), child.meta["term"]))
        elif kind in _PLAIN:
            piece = child.content
            if child.meta and "mention" in child.meta:
                spans.append((pos, pos + len(piece), child.meta["mention"]))
        elif kind in ("softbreak", "hardbreak"):
            piece = " "
        else:
            continue
        parts.append(piece)
        pos += len(piece)
    firsts = []
    for start, end, slug in spans:
        if slug in wanted:
            wanted.discard(slug)
            firsts.append((start, end, slug))
    found = excerpts("".join(parts), [(start, end) for start, end, _ in firsts])
    for (_, _, slug), context in zip(firsts, found):
        doc.contexts[slug] = context


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
