"""Golden sites: every HTML/XML/JSON output file equals the committed expected tree.

Regenerate with `python tests/regen_golden.py` and review the diff.
"""

import difflib
import shutil
from pathlib import Path

import pytest

from glossary_site.cli import main

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
            and not (rel := p.relative_to(root).as_posix()).startswith("pagefind/")}


@pytest.mark.parametrize("case", SITES)
def test_golden_site_matches_expected_output(case, tmp_path, capsys):
    built = build_case(case, tmp_path)
    expected = SITES_DIR / case / "expected"
    assert _files(built) == _files(expected), "pages added or removed: run tests/regen_golden.py and review"
    for rel in sorted(_files(expected)):
        want = (expected / rel).read_text(encoding="utf-8")
        got = (built / rel).read_text(encoding="utf-8")
        if want != got:
            diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), f"expected/{rel}", f"built/{rel}"))
            pytest.fail(f"{rel} differs from the golden copy:\n{diff}")
