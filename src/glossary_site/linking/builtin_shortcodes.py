"""The shortcodes every site has, rendered as Hugo renders them: figure, highlight, ref, relref,
details, param, youtube and vimeo (privacy-friendly embeds), comment and qr; and those of the
PaperMod theme, so its posts build as they are: collapse, rawhtml, ltr, rtl, audio, video,
inTextImg and its figure variant; and the glossary's own (glossary_shortcodes.py). Embeds that need a third party at build time (x, tweet,
instagram, gist) become a plain link to the post, with a warning.

Each takes a shortcodes.Call and the `ref` table and returns HTML; every value an author
wrote is escaped.
"""

from __future__ import annotations

import posixpath
from typing import Callable

from markdown_it.common.utils import escapeHtml

from ..content.diagnostics import did_you_mean
from .glossary_shortcodes import SHORTCODES
from .shortcode_call import Call


def _attr(name: str, value: str) -> str:
    return f' {name}="{escapeHtml(value)}"' if value else ""


def figure(call: Call, pages: dict) -> str:
    src = call.url(call.get("src", 0))
    if not src:
        return call.error("figure needs a src", 'Write {{< figure src="picture.png" alt="..." >}}.')
    img = f"<img{_attr('src', src)}{_attr('alt', call.get('alt') or call.get('caption'))}" \
          f"{_attr('width', call.get('width'))}{_attr('height', call.get('height'))}" \
          f"{_attr('title', call.get('title'))} loading=\"lazy\">"  # fmt: skip
    link = call.get("link")
    if link:
        img = f"<a{_attr('href', call.url(link))}{_attr('target', call.get('target'))}{_attr('rel', call.get('rel'))}>{img}</a>"
    caption = call.get("caption")
    attr, attrlink = call.get("attr"), call.get("attrlink")
    text = ""
    if call.get("title"):
        text += f"<h4>{escapeHtml(call.get('title'))}</h4>"
    if caption:
        text += call.markdownify(caption, inline=True)
    if attr:
        credit = call.markdownify(attr, inline=True)
        text += " " + (f'<a{_attr("href", attrlink)}>{credit}</a>' if attrlink else credit)
    classes = " ".join(c for c in (call.get("class"), f"align-{call.get('align')}" if call.get("align") else "") if c)
    caption_html = f"<figcaption>{text.strip()}</figcaption>" if text else ""
    return f"<figure{_attr('class', classes)}>{img}{caption_html}</figure>"


def highlight(call: Call, pages: dict) -> str:
    lang = call.get("lang", 0)
    return call.highlight((call.inner or "").strip("\n") + "\n", lang, call.get("options", 1))


def ref(call: Call, pages: dict) -> str:
    target = call.get("path", 0)
    if target.startswith("#"):
        return escapeHtml(target)  # an anchor on this page
    found = resolve_ref(pages, target, call.state.page.get("folder", "")) if target else None
    if found is None:
        hint = did_you_mean(target, [n for n in pages if not n.startswith("/")])
        return call.error(f"{call.name} to '{target}' finds no page",
                          hint or "Name the page by its path in content/, e.g. posts/hello.md.")  # fmt: skip
    return escapeHtml(call.url("/" + found if not found.startswith("/") else found))


def disclosure(open_param: str) -> Callable:
    """Hugo's `details` (`open=true`) and PaperMod's `collapse` (`openByDefault=true`)."""

    def render(call: Call, pages: dict) -> str:
        summary = call.get("summary", 0) or "Details"
        opened = " open" if call.get(open_param) in ("true", "open") else ""
        return f"<details{opened}><summary>{call.markdownify(summary, inline=True)}</summary>\n{call.markdownify()}</details>"

    return render


def param(call: Call, pages: dict) -> str:
    """Hugo's `param`: the page's front matter, else the site's params; a dotted name
    ('versions.core') reaches into tables."""
    name = call.get("name", 0)
    value = _dotted(call.state.page.get("params", {}), name)
    if value is None and call.context is not None:
        value = _dotted(call.context.site_params, name)
    if value is None:
        return call.error(f"param '{name}' is not in this page's front matter nor in the site's params",
                          "Add it under params: in site.yaml (or [params] in hugo.toml), or to the front matter.")
    return escapeHtml(str(value))


def _dotted(params, name: str):
    for part in name.split("."):
        if not isinstance(params, dict):
            return None
        params = next((value for key, value in params.items() if str(key).lower() == part.lower()), None)
    return params


def embed(player: str, example: str, extra: str = "") -> Callable:
    """A video player without the host's cookies: `player` is its URL with `{id}` for the video."""

    def render(call: Call, pages: dict) -> str:
        video = call.get("id", 0)
        if not video:
            return call.error(f"{call.name} needs a video id", f'Write {{{{< {call.name} id="{example}" >}}}}.')
        title = call.get("title") or f"{call.name.capitalize()} video"
        src = player.format(id=escapeHtml(video))
        return f'<div class="embed"><iframe src="{src}"{_attr("title", title)} allowfullscreen loading="lazy"{extra}></iframe></div>'

    return render


def comment(call: Call, pages: dict) -> str:
    return ""


def qr(call: Call, pages: dict) -> str:
    import io

    import segno

    text = call.get("text", 0) or (call.inner or "").strip()
    if not text:
        return call.error("qr needs a text", 'Write {{< qr text="https://example.org" />}}.')
    out = io.BytesIO()
    segno.make(text, error=call.get("level") or "m").save(out, kind="svg", xmldecl=False, svgns=True,
                                                          title=call.get("title") or text, scale=4)  # fmt: skip
    return f'<div class="qr">{out.getvalue().decode()}</div>'


def rawhtml(call: Call, pages: dict) -> str:
    return call.inner or ""  # what PaperMod's rawhtml is for: the author's own HTML, as written


def direction(value: str) -> Callable:
    def render(call: Call, pages: dict) -> str:
        return f'<div dir="{value}">{call.markdownify()}</div>'

    return render


def media(tag: str) -> Callable:
    def render(call: Call, pages: dict) -> str:
        src = call.url(call.get("src", 0))
        if not src:
            return call.error(f"{call.name} needs a src")
        return f"<{tag} controls preload=\"metadata\"{_attr('src', src)}></{tag}>"

    return render


def in_text_img(call: Call, pages: dict) -> str:
    src = call.url(call.get("url", 0))
    return f'<img class="in-text-img"{_attr("src", src)}{_attr("alt", call.get("alt"))}{_attr("height", call.get("height"))}>'


def third_party(kind: str, base: str) -> Callable:
    def render(call: Call, pages: dict) -> str:
        two = len(call.args) > 1  # gist takes (user, id) by position; x and instagram name them
        user, post = call.get("user", 0 if two else None), call.get("id", 1 if two else 0)
        url = f"{base}{user}/{post}" if user and post else (f"{base}{post}" if post else base)
        call.warn(f"{call.name} embeds need {kind} at build time: a plain link to the post is shown instead")
        return f'<p class="embed-link"><a{_attr("href", url)}>{escapeHtml(f"View the post on {kind}")}</a></p>'

    return render


def ref_table(pages: list[tuple[str, str]]) -> dict[str, str]:
    """Every name a `ref` may give a page by -> its URL path, from (source, URL path) pairs: the
    file's path in content/ with and without '/' and '.md', a bundle's folder, and, when no
    other page shares it, the bare file name ('hello.md', 'hello'), as Hugo resolves them."""
    table: dict[str, str] = {}
    bare: dict[str, set[str]] = {}
    for source, path in pages:
        rel = source[len("content/") :] if source.startswith("content/") else source
        stem = rel[:-3] if rel.endswith(".md") else rel
        names = {rel, "/" + rel, stem, "/" + stem}
        if stem.endswith("/index") or stem.endswith("/_index"):
            folder = stem.rsplit("/", 1)[0]
            names |= {folder, "/" + folder}
            stem = folder
        for name in names:
            table.setdefault(name, path)
        for name in {stem.rsplit("/", 1)[-1], rel.rsplit("/", 1)[-1]}:
            bare.setdefault(name, set()).add(path)
    for name, paths in bare.items():
        if len(paths) == 1:
            table.setdefault(name, next(iter(paths)))
    return table


_LOWERED: list = [None, {}]
"""The last ref table and its names lower-cased -> URL paths (one table serves a whole build)."""


def _lowered(pages: dict[str, str]) -> dict[str, set[str]]:
    if _LOWERED[0] is not pages:
        lowered: dict[str, set[str]] = {}
        for key, url in pages.items():
            lowered.setdefault(key.lower(), set()).add(url)
        _LOWERED[:] = [pages, lowered]
    return _LOWERED[1]


def resolve_ref(pages: dict[str, str], target: str, here: str = "") -> str | None:
    """The URL path of a `ref` target ('posts/hello.md', '/posts/hello', 'hello.md#part',
    '../other.md' from the folder `here` of the page that asks), if any."""
    name, _, anchor = target.partition("#")
    name = name.strip()
    if not name:
        return None
    found = pages.get(name)
    if found is None and here and not name.startswith("/"):  # relative to the page's own folder
        found = pages.get(posixpath.normpath(posixpath.join(here, name)))
    if found is None:
        found = pages.get(name.lstrip("./"))
    if found is None:  # Hugo finds pages whatever the case of the path ('Two-Sum-II-Input-Array...')
        lowered = _lowered(pages)
        wanted = {name.lower(), name.lstrip("./").lower()}
        if here and not name.startswith("/"):
            wanted.add(posixpath.normpath(posixpath.join(here, name)).lower())
        matches = set().union(*(lowered.get(key, ()) for key in wanted))
        found = matches.pop() if len(matches) == 1 else None  # two pages that differ by case: neither
    if found is None:
        return None
    return found + ("#" + anchor if anchor else "")



_BUILTINS: dict[str, Callable] = {
    "figure": figure, "highlight": highlight, "ref": ref, "relref": ref, "details": disclosure("open"), "param": param,
    "youtube": embed("https://www.youtube-nocookie.com/embed/{id}", "w7Ft2ymGmfc",
                     ' referrerpolicy="strict-origin-when-cross-origin"'),
    "vimeo": embed("https://player.vimeo.com/video/{id}?dnt=1", "146022717"), "comment": comment, "qr": qr,
    # PaperMod's
    "collapse": disclosure("openByDefault"), "rawhtml": rawhtml, "ltr": direction("ltr"), "rtl": direction("rtl"),
    "audio": media("audio"), "video": media("video"), "inTextImg": in_text_img,
    # third parties, not contacted at build time
    "x": third_party("X", "https://x.com/"), "tweet": third_party("X", "https://x.com/"),
    "twitter": third_party("X", "https://x.com/"), "instagram": third_party("Instagram", "https://www.instagram.com/p/"),
    "gist": third_party("GitHub", "https://gist.github.com/"),
    # the glossary's own: term, definition, glossary
    **SHORTCODES,
}  # fmt: skip


def names() -> frozenset[str]:
    return frozenset(_BUILTINS)


def get(name: str) -> Callable | None:
    return _BUILTINS.get(name)
