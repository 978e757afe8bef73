"""The glossary's own shortcodes: `term` (an explicit link with its own text), `definition`
(a term's summary inline, as the Kubernetes docs embed glossary definitions) and `glossary`
(a small glossary inside an article, by category and depth).

Each mention they make is recorded like a linked mention in the text: it is backlinked from
the term's page, listed under "Terms in this article" and previewed. `definition` and
`glossary` show summaries, so a site that uses them carries every term's entry in its link
context (LinkContext.glossary) and a summary edit re-renders the bodies (link_stage.names_key).
"""

from __future__ import annotations

from markdown_it.common.utils import escapeHtml

from .autolink import LinkContext
from .shortcode_call import Call

NAMES = ("term", "definition", "glossary")


def uses_glossary_shortcodes(text: str) -> bool:
    """Whether a text may call `definition` or `glossary` (cheap: the words and a shortcode mark)."""
    return "{{" in text and ("definition" in text or "glossary" in text)


def _slug(call: Call, context: LinkContext) -> str | None:
    name = call.get("name", 0).strip()
    if not name:
        call.error(f"shortcode '{call.name}' needs the term it names", f'Write {{{{< {call.name} "kv-cache" >}}}}')
        return None
    slug, old = context.find(name)
    if old:
        call.warn(f"shortcode '{call.name}' names the old slug of '{slug}'", f'Write {{{{< {call.name} "{slug}" >}}}}')
    if slug is None:
        call.error(f"shortcode '{call.name}' names no term: '{name}'", context.suggest(name))
    return slug


def _mention(call: Call, slug: str, link: bool) -> None:
    call.state.mentions.append((slug, call.line))
    if link:
        call.state.linked.add(slug)  # as [[...]]: the text after it does not link the term again


def _link(context: LinkContext, call: Call, slug: str, text: str) -> str:
    if slug == call.state.self_slug:
        return escapeHtml(text)
    return context.open_tag(slug) + escapeHtml(text) + "</a>"


def term(call: Call, pages: dict) -> str:
    """`{{< term "kv-cache" >}}`, `{{< term "kv-cache" "the cache" >}}` (or text="...")."""
    context = call.context
    slug = _slug(call, context) if context is not None else None
    if slug is None:
        return ""
    _mention(call, slug, link=True)
    return _link(context, call, slug, call.get("text", 1) or context.title_for(slug))


def definition(call: Call, pages: dict) -> str:
    """`{{< definition "kv-cache" >}}`: the term's summary, its title linked in front of it."""
    context = call.context
    slug = _slug(call, context) if context is not None else None
    if slug is None:
        return ""
    entry = context.entries().get(slug)
    _mention(call, slug, link=True)
    summary = escapeHtml(entry[3]) if entry else ""
    return (f'<span class="term-definition">{_link(context, call, slug, context.title_for(slug))}: '
            f"{summary}</span>")  # fmt: skip


def glossary(call: Call, pages: dict) -> str:
    """`{{< glossary category="Memory" depth="basics" >}}`: those terms, titles linked, with their
    summaries, in title order; either filter may be left out (all terms: every one)."""
    context = call.context
    if context is None:
        return ""
    category, depth = call.get("category").strip().lower(), call.get("depth").strip().lower()
    chosen = [(slug, e) for slug, e in context.entries().items()
              if (not category or e[1].lower() == category) and (not depth or e[2].lower() == depth)]  # fmt: skip
    if not chosen:
        call.warn(f"glossary shortcode: no term has category '{call.get('category')}' and depth '{call.get('depth')}'"
                  if category and depth else "glossary shortcode: no term matches",
                  "Check the category and depth names against the glossary.")  # fmt: skip
        return ""
    items = []
    for slug, (title, _, _, summary) in sorted(chosen, key=lambda item: (item[1][0].lower(), item[0])):
        _mention(call, slug, link=False)  # listed, not mentioned in the prose: the text may still link it
        items.append(f"<dt>{_link(context, call, slug, title)}</dt><dd>{escapeHtml(summary)}</dd>")
    return f'<dl class="embedded-glossary">{"".join(items)}</dl>\n'


SHORTCODES = {"term": term, "definition": definition, "glossary": glossary}
