"""A site's own shortcodes: Jinja templates at `templates/shortcodes/NAME.html` in the site or
the theme, which see `args` (positional), `params` (named), `inner` (for `{{% %}}` already
rendered from Markdown), `page` (title, url, date, params) and `site`, and a `markdownify` filter.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, pass_context
from markupsafe import Markup

from ..content.digests import digest
from .templates import template_digests

FOLDER = "shortcodes/"


class ShortcodeTemplates:
    """The shortcode templates of one Jinja environment (linking.shortcodes.SiteShortcodes)."""

    def __init__(self, env: Environment):
        self.env = env
        self.names = frozenset(name[len(FOLDER) : -len(".html")] for name in env.list_templates()
                               if name.startswith(FOLDER) and name.endswith(".html"))  # fmt: skip
        env.filters.setdefault("markdownify", _markdownify)

    def render(self, name: str, context: dict[str, Any]) -> str:
        page_context = {**context, "inner": Markup(context.get("inner") or "")}
        return self.env.get_template(f"{FOLDER}{name}.html").render(**page_context)

    def key(self) -> str:
        """A digest of every shortcode template (with what each includes): rendered bodies that
        used one are stale when it changes."""
        names = sorted(f"{FOLDER}{name}.html" for name in self.names)
        return digest(template_digests(self.env, names)) if names else ""


@pass_context
def _markdownify(context, text: Any) -> Markup:
    render = context.get("markdownify")
    return Markup(render(str(text))) if callable(render) else Markup(str(text))
