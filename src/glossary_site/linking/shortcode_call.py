"""One shortcode call as its renderer sees it: its arguments, its inner text, and the document's
Markdown, linker state and base path, with the helpers every renderer needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from .autolink import LinkContext, LinkState
from .site_links import with_base


@dataclass
class Call:
    """One shortcode call, as its renderer sees it."""

    name: str
    args: tuple[str, ...]
    params: dict[str, str]
    inner: str | None
    """The text between the opening and closing tags (None: the call stands alone)."""
    markdown: bool
    line: int
    """The file line of the opening tag."""
    inner_line: int
    md: MarkdownIt = field(repr=False)
    state: LinkState = field(repr=False)
    base_path: str = "/"
    context: LinkContext | None = field(default=None, repr=False)
    """The glossary, for the shortcodes that link or show terms (glossary_shortcodes.py)."""

    def get(self, key: str, position: int | None = None, default: str = "") -> str:
        """A named parameter, or else the positional argument at `position`."""
        if key in self.params:
            return self.params[key]
        if position is not None and position < len(self.args):
            return self.args[position]
        return default

    def markdownify(self, text: str | None = None, inline: bool = False) -> str:
        """Markdown (the inner text by default) rendered with this document's rules; terms are not
        auto-linked inside a shortcode."""
        text = self.inner if text is None else text
        if not text:
            return ""
        child = LinkState(body_line=self.inner_line, enabled=False, page=self.state.page)
        child.errors, child.warnings = self.state.errors, self.state.warnings
        env = {"glossary": child}
        return self.md.renderInline(text, env) if inline else self.md.render(text.strip("\n") + "\n", env)

    def inner_html(self) -> str:
        """The inner text as the call's kind asks: Markdown for `{{% %}}`, else as written."""
        return self.markdownify() if self.markdown else (self.inner or "")

    def error(self, message: str, hint: str = "") -> str:
        self.state.errors.append((self.line, message, hint, ""))
        return ""

    def warn(self, message: str, hint: str = "") -> None:
        self.state.warnings.append((self.line, message, hint))

    def highlight(self, code: str, lang: str, attrs: str = "") -> str:
        made = self.md.options.get("highlight") and self.md.options["highlight"](code, lang, attrs)
        if made:
            return made
        return f'<pre><code class="language-{escapeHtml(lang)}">{escapeHtml(code)}</code></pre>\n' if lang else \
            f"<pre><code>{escapeHtml(code)}</code></pre>\n"  # fmt: skip

    def url(self, path: str) -> str:
        """A root-relative path with the site's base path, as Markdown links get it."""
        return with_base(path, self.base_path)
