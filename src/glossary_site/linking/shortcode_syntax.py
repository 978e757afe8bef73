"""Hugo's shortcode syntax: read one `{{< name args >}}` or `{{% name args %}}` tag at a position.

Forms: an opening tag (`{{< figure src="a.png" >}}`), a self-closing one (`{{< x />}}`), a
closing one (`{{< /details >}}`), and the escape `{{</* figure */>}}`, which stands for its
text. Arguments follow Hugo's quoting: words, "double quoted" (backslash escapes), `raw`
(backticks, may span lines), positional or `name=value`. Nothing here knows Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = ("{{<", "{{%")


@dataclass(frozen=True)
class Tag:
    name: str
    start: int
    end: int
    """Offsets of the tag in the text it was read from (end: just after `>}}`)."""
    markdown: bool = False
    """`{{% %}}`: the inner text is Markdown."""
    closing: bool = False
    self_closing: bool = False
    args: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    escaped: str = ""
    """For `{{</* x */>}}`: the text it stands for, `{{< x >}}`."""
    error: str = ""
    """Why the text at `start` is not a well-formed tag ('' when it is)."""


def read_tag(src: str, pos: int) -> Tag:
    """The tag starting at `pos` (where src has `{{<` or `{{%`)."""
    markdown = src[pos + 2] == "%"
    close = "%}}" if markdown else ">}}"
    i = _skip_space(src, pos + 3)
    if src.startswith("/*", i):  # an escaped call: written out as it stands, without the comment
        end = src.find("*/" + close, i)
        if end < 0:
            return Tag("", pos, pos + 3, markdown, error=f"this escaped shortcode is never closed with '*/{close}'")
        inner = src[i + 2 : end].strip()
        return Tag("", pos, end + 2 + len(close), markdown, escaped=f"{src[pos:pos + 3]} {inner} {close}")
    closing = src.startswith("/", i)
    if closing:
        i = _skip_space(src, i + 1)
    name_end = i
    while name_end < len(src) and (src[name_end].isalnum() or src[name_end] in "_-./"):
        name_end += 1
    name = src[i:name_end].rstrip("/")
    name_end = i + len(name)
    if not name:
        return Tag("", pos, pos + 3, markdown, error="a shortcode needs a name after '" + src[pos : pos + 3] + "'")
    args: list[str] = []
    params: list[tuple[str, str]] = []
    i = name_end
    while True:
        i = _skip_space(src, i)
        if i >= len(src):
            return Tag(name, pos, pos + 3, markdown, closing, error=f"shortcode '{name}' is never closed with '{close}'")
        if src.startswith(close, i):
            return Tag(name, pos, i + 3, markdown, closing, False, tuple(args), tuple(params))
        if src.startswith("/" + close, i):
            return Tag(name, pos, i + 4, markdown, closing, True, tuple(args), tuple(params))
        value, i, error = _value(src, i, close)
        if error:
            return Tag(name, pos, pos + 3, markdown, closing, error=f"shortcode '{name}': {error}")
        if i < len(src) and src[i] == "=" and value is not None:
            value2, i, error = _value(src, i + 1, close)
            if error or value2 is None:
                return Tag(name, pos, pos + 3, markdown, closing, error=f"shortcode '{name}': no value after '{value}='")
            params.append((value, value2))
        elif value is not None:
            args.append(value)


def _skip_space(src: str, i: int) -> int:
    while i < len(src) and src[i] in " \t\r\n":
        i += 1
    return i


def _value(src: str, i: int, close: str) -> tuple[str | None, int, str]:
    """(value, position after it, error) of one argument word, quoted string or raw string."""
    char = src[i]
    if char == '"':
        out, i = [], i + 1
        while i < len(src) and src[i] != '"':
            if src[i] == "\\" and src.startswith('"', i + 1):  # as Hugo: only \" is an escape
                i += 1
            out.append(src[i])
            i += 1
        if i >= len(src):
            return None, i, "a quoted argument is never closed"
        return "".join(out), i + 1, ""
    if char == "`":
        end = src.find("`", i + 1)
        if end < 0:
            return None, i, "a `raw` argument is never closed"
        return src[i + 1 : end], end + 1, ""
    start = i
    while i < len(src) and src[i] not in " \t\r\n=\"`" and not src.startswith(close, i) and not src.startswith("/" + close, i):
        i += 1
    if i == start:
        return None, i + 1, f"unexpected '{char}'"
    return src[start:i], i, ""


def find_closing(src: str, tag: Tag) -> Tag | None:
    """The tag that closes `tag` (same name, nested pairs skipped), or None: `tag` stands alone."""
    if "/" + tag.name not in src[tag.end :] and "/ " + tag.name not in src[tag.end :]:
        return None  # no closing tag can follow: a document of a thousand figures stays linear
    depth, pos = 0, tag.end
    while True:
        pos = min((p for p in (src.find("{{<", pos), src.find("{{%", pos)) if p >= 0), default=-1)
        if pos < 0:
            return None
        other = read_tag(src, pos)
        if other.error or other.escaped or other.name != tag.name:
            pos = other.end if not other.error else pos + 3
            continue
        if other.closing:
            if depth == 0:
                return other
            depth -= 1
        elif not other.self_closing:
            depth += 1
        pos = other.end
