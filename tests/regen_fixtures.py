"""Fill the expected HTML of tests/fixtures/autolink.md from the current linker.

Run it only after changing a rule on purpose, then read the diff (`git diff tests/fixtures`)
line by line: the fixture file is the specification of the linker.
"""

import sys
from pathlib import Path

from markdown_it.utils import read_fixture_file

sys.path.insert(0, str(Path(__file__).parent))
from test_autolink import render_case  # noqa: E402

path = Path(__file__).parent / "fixtures" / "autolink.md"
parts = []
for _, title, source, _expected in read_fixture_file(path):
    parts.append(f"{title}\n.\n{source}.\n{render_case(title, source)}.\n")
path.write_text("\n".join(parts), encoding="utf-8")
