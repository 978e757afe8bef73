"""Build this repository's example site: `python build.py [extra build flags]`.

A thin wrapper over the CLI, so the example site is built exactly as users build theirs.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from glossary_site.commands.entry_point import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["build", str(Path(__file__).parent), *sys.argv[1:]]))
