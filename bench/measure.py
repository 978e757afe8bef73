"""Run a command and print its wall time and the peak RSS of its largest process as JSON.

Run in a fresh process per measurement, so RUSAGE_CHILDREN only sees that command's tree.
    python bench/measure.py -- COMMAND ...
"""

import json
import resource
import subprocess
import sys
import time

command = sys.argv[sys.argv.index("--") + 1 :]
started = time.perf_counter()
result = subprocess.run(command, capture_output=True, text=True)
wall = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB, largest child
print(json.dumps({"wall": wall, "peak_mb": peak_kb / 1024, "code": result.returncode,
                  "stdout": result.stdout[-2000:], "stderr": result.stderr[-2000:]}))
