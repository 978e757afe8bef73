"""fork_map: apply a function to a list in forked worker processes, results in list order.

Workers inherit the function and the list through fork (nothing is pickled on the way
in, so closures over the build's state are fine); only indexes go out and results come
back. Where fork is unavailable, or for short lists, it is a plain loop in this process.
"""

from __future__ import annotations

import multiprocessing
import signal
from typing import Any, Callable

THRESHOLD = 64
"""Fewer items than this are cheaper to handle in this process than to fork for."""

_WORK: tuple[Callable[[Any], Any], list] | None = None


def _default_signals() -> None:
    """A worker ends on SIGTERM, whatever its parent does with it: the pool's terminate()
    sends one, and a handler inherited from the daemon (which turns SIGTERM into a clean
    stop) could miss it just before the worker blocks, leaving it, and the build, waiting."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(indexes: range) -> list:
    assert _WORK is not None
    fn, items = _WORK
    return [fn(items[i]) for i in indexes]


def fork_map(fn: Callable[[Any], Any], items: list, jobs: int, progress: Callable[[int, int], None] | None = None,
             meanwhile: Callable[[], None] | None = None) -> list:  # fmt: skip
    """`progress(done, total)` is called now and then with the number of results so far;
    `meanwhile()` runs in this process while the workers work (after them, without any)."""
    global _WORK
    if jobs <= 1 or len(items) < THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        results = [fn(item) for item in items]
        if meanwhile:
            meanwhile()
        return results
    # Small batches keep both workers busy to the end; large ones cost less to send.
    chunk = max(8, min(64, len(items) // (jobs * 8) or 1))
    batches = [range(i, min(i + chunk, len(items))) for i in range(0, len(items), chunk)]
    results: list = []
    _WORK = (fn, items)
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_default_signals) as pool:
            pending = pool.imap(_run, batches)
            if meanwhile:
                meanwhile()
            for done, batch in enumerate(pending, start=1):
                results += batch
                if progress and (done % 20 == 0 or done == len(batches)):
                    progress(len(results), len(items))
    finally:
        _WORK = None
    return results
