"""Golden sites: every HTML/XML/JSON output file equals the committed expected tree.

Regenerate with `python tests/regen_golden.py` and review the diff.
"""

import difflib
import html
import re
import shutil
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters.html import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from glossary_site.commands.cli import main

SITES_DIR = Path(__file__).parent / "sites"
SITES = sorted(p.name for p in SITES_DIR.iterdir() if (p / "site.yaml").exists())
GOLDEN_SUFFIXES = {".html", ".xml", ".json"}


def build_case(case: str, workdir: Path) -> Path:
    site = workdir / "site"
    shutil.copytree(SITES_DIR / case, site, ignore=shutil.ignore_patterns("expected", ".regen"))
    output = workdir / "out"
    assert main(["build", str(site), "--output", str(output)]) == 0
    return output


def _files(root: Path) -> set[str]:
    """The golden files; Pagefind's bundle is its own format (tested in test_search and the browser tests)."""
    return {rel for p in root.rglob("*") if p.is_file() and p.suffix in GOLDEN_SUFFIXES
            and "/pagefind/" not in "/" + (rel := p.relative_to(root).as_posix())}


_HIGHLIGHTED = re.compile(r'(<pre class="highlight"><code class="language-([\w-]+)">)(.*?)(</code></pre>)', re.S)


def with_installed_pygments(page: str) -> str:
    """`page` with each highlighted code block made again, from its text, by the Pygments that is
    installed. The golden copy pins our markup and each block's code, not Pygments' own escaping
    and token names, which change in its minor releases (2.21 writes `"` where 2.20 wrote `&quot;`)."""
    def again(m: re.Match) -> str:
        code = html.unescape(re.sub(r"</?span[^>]*>", "", m.group(3)))
        try:  # the class holds the fence's language slugified: `c++` is `c`, which Pygments may not name
            lexer = get_lexer_by_name(m.group(2), stripnl=False)
        except ClassNotFound:
            pytest.fail(f"a golden page highlights `{m.group(2)}`, which this comparison cannot look up")
        return m.group(1) + highlight(code, lexer, HtmlFormatter(nowrap=True)) + m.group(4)
    return _HIGHLIGHTED.sub(again, page)


@pytest.mark.parametrize("case", SITES)
def test_golden_site_matches_expected_output(case, tmp_path, capsys):
    built = build_case(case, tmp_path)
    expected = SITES_DIR / case / "expected"
    assert _files(built) == _files(expected), "pages added or removed: run tests/regen_golden.py and review"
    for rel in sorted(_files(expected)):
        want = with_installed_pygments((expected / rel).read_text(encoding="utf-8"))
        got = (built / rel).read_text(encoding="utf-8")
        if want != got:
            diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"expected/{rel}", f"built/{rel}"))
            pytest.fail(f"{rel} differs from the golden copy:\n{diff}")


def test_golden_comparison_ignores_pygments_escaping_but_not_the_code():
    old = '<pre class="highlight"><code class="language-python"><span class="s2">&quot;GPU&quot;</span>\n</code></pre>'
    new = '<pre class="highlight"><code class="language-python"><span class="s2">"GPU"</span>\n</code></pre>'
    other = '<pre class="highlight"><code class="language-python"><span class="s2">"CPU"</span>\n</code></pre>'
    assert with_installed_pygments(old) == with_installed_pygments(new)
    assert with_installed_pygments(old) != with_installed_pygments(other)
    assert with_installed_pygments("<p>&quot;x&quot;</p>") == "<p>&quot;x&quot;</p>"
