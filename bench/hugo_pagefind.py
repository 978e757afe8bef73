"""The peer of a site with search: Hugo, then Pagefind over Hugo's output, as a Hugo user runs them.

    python bench/hugo_pagefind.py HUGO_BINARY HUGO_SITE

Runs `hugo --quiet -s HUGO_SITE`, then `python -m pagefind --site HUGO_SITE/public
--output-path HUGO_SITE/public/pagefind --silent`, one after the other, and prints each
step's wall time and peak RSS as JSON. bench/measure.py measures the whole (one wall time;
the peak of the largest process, which is Hugo's or Pagefind's): this script's own
figures only split it.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def step(command: list[str]) -> dict:
    """Run `command`; its wall time and the peak RSS of its largest process (wait4's rusage)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace"))
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}  # Linux: KiB


def main() -> None:
    hugo, root = sys.argv[1], Path(sys.argv[2])
    public = root / "public"
    steps = {"Hugo": step([hugo, "--quiet", "-s", str(root)])}
    steps["Pagefind"] = step([sys.executable, "-m", "pagefind", "--site", str(public),
                              "--output-path", str(public / "pagefind"), "--silent"])  # fmt: skip
    print(json.dumps(steps))


if __name__ == "__main__":
    main()
