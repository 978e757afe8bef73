"""Watch a site's sources and turn bursts of file events into single rebuild requests.

Editors save in many ways: write in place, write a temporary file and rename it over the
original (several events), keep `.#x.md` locks, `x.md~` backups and `.swp` files. The
classification below is pure (tested without a file system); the Watcher only debounces:
a rebuild starts once no relevant event has arrived for `quiet` seconds.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePath
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..content.hugo_config import CONFIG_FILES
from ..content.sources import is_ignored_name

WATCHED_DIRS = ("content", "terms", "templates", "static", "config", "i18n")
WATCHED_FILES = ("site.yaml", *(name for name in CONFIG_FILES if "/" not in name))


def relevant_path(root: Path, path: str) -> str | None:
    """The site-relative path if a change to `path` can change the site, else None."""
    try:
        rel = PurePath(path).relative_to(root)
    except ValueError:
        return None
    parts = rel.parts
    if not parts or any(is_ignored_name(part) for part in parts):
        return None
    if len(parts) == 1:
        return rel.as_posix() if parts[0] in WATCHED_FILES or parts[0] in WATCHED_DIRS else None
    return rel.as_posix() if parts[0] in WATCHED_DIRS else None


def event_paths(event: FileSystemEvent) -> list[str]:
    paths = [event.src_path]
    if getattr(event, "dest_path", ""):
        paths.append(event.dest_path)
    return [p.decode() if isinstance(p, bytes) else p for p in paths]


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: "Watcher"):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads never change the site
        if event.is_directory and event.event_type == "modified":
            return  # a directory's mtime changes with every file event inside it
        changed = [r for p in event_paths(event) if (r := relevant_path(self.watcher.root, p))]
        if changed:
            self.watcher.touch(changed)


class Watcher:
    """Calls `rebuild(changed_paths)` once per burst of relevant events, never concurrently."""

    def __init__(self, root: Path, rebuild: Callable[[list[str]], None], quiet: float = 0.05):
        self.root = root.resolve()
        self.rebuild = rebuild
        self.quiet = quiet
        self._pending: set[str] = set()
        self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self._observer = Observer()
        handler = _Handler(self)
        self._observer.schedule(handler, str(self.root), recursive=False)
        for name in WATCHED_DIRS:
            if (self.root / name).is_dir():
                self._observer.schedule(handler, str(self.root / name), recursive=True)
        self._thread = threading.Thread(target=self._loop, name="glossary-rebuild", daemon=True)

    def start(self) -> None:
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def touch(self, changed: list[str]) -> None:
        with self._cond:
            self._pending.update(changed)
            self._last = time.monotonic()
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                # Debounce: wait until the burst of events of one save is over.
                while (left := self._last + self.quiet - time.monotonic()) > 0:
                    self._cond.wait(left)
                changed, self._pending = sorted(self._pending), set()
            self.rebuild(changed)
