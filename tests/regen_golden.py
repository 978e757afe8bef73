"""Rebuild the committed expected output of every golden site (tests/sites/<case>/expected).

Run after an intended change to templates or rendering, then review `git diff tests/sites`.
"""

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_golden_sites import SITES, _files, build_case  # noqa: E402

for case in SITES:
    expected = Path(__file__).parent / "sites" / case / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    built = build_case(case, Path(__file__).parent / "sites" / case / ".regen")
    for rel in sorted(_files(built)):
        target = expected / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((built / rel).read_bytes())
    shutil.rmtree(built.parent)
    print(f"regenerated {expected}")
