"""The dev server: build, serve the output, rebuild on change, reload open tabs.

The site is built into SITE/.glossary-cache/serve (never into the `build` output) with the
base URL set to '/'. Reload events go out over server-sent events only after a rebuild has
been committed, so a tab never reloads into a half-written site. When a rebuild fails the
last good site stays served and every open tab shows the `path:line: message` list.
The live-reload script is added to HTML responses as they are served; built files never
contain it. The glossary report (commands/report.py) is served at /_report/, computed on each
request, and never written.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import posixpath
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..build.cache import CACHE_DIR, BuildCache
from ..build.fast_paths import InPlace, apply_edits
from ..build.languages import build_languages
from ..build.pipeline import build_site
from ..build.search_update import catch_up, pending
from ..content.config import SiteConfig
from ..content.diagnostics import Diagnostics, SourcePos
from .arguments import default_jobs
from .watch import Watcher

EVENTS_PATH = "/__glossary/events"
REPORT_PATH = "/_report/"
"""The glossary report (commands/report.py), computed when asked for: never in the output."""

RELOAD_SCRIPT = """<script>/* glossary-site dev server: live reload and error overlay */
(function () {
  var version = null, source = new EventSource("%s");
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (version !== null && state.version !== version) { location.reload(); return; }
    version = state.version;
    var box = document.getElementById("glossary-errors");
    if (!state.errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "glossary-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b0d0d;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #ff5c5c;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "Build failed; showing the last good version of the site.\\n\\n" + state.errors.join("\\n");
  });
})();
</script>
""" % EVENTS_PATH


class SiteState:
    """The dev server's shared state: build version and current problems, with waiting."""

    def __init__(self):
        self.version = 0
        self.errors: list[str] = []
        self.cond = threading.Condition()

    def publish(self, version_bump: bool, errors: list[str]) -> None:
        with self.cond:
            self.version += version_bump
            self.errors = errors
            self.cond.notify_all()

    def snapshot(self) -> str:
        return json.dumps({"version": self.version, "errors": self.errors})


class DevServer:
    def __init__(self, config: SiteConfig, bind: str = "127.0.0.1", port: int = 8000, quiet: float = 0.05,
                 log=None):  # fmt: skip
        out = config.root / CACHE_DIR / "serve"
        self.config = dataclasses.replace(config, base_url="/", output=out)
        self.cache = BuildCache()
        self.language_caches: dict[str, BuildCache] = {}
        self.state = SiteState()
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.builds = 0
        self.jobs = default_jobs()
        self.httpd = ThreadingHTTPServer((bind, port), _handler_for(self))
        self.httpd.daemon_threads = True
        self.watcher = Watcher(config.root, self.rebuild, quiet=quiet)
        # Edits are published without waiting for search; this thread indexes them after.
        self.lock = threading.Lock()
        self.search_due = threading.Event()
        self._indexer = threading.Thread(target=self._index_in_background, name="glossary-search", daemon=True)
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="glossary-http", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        self.rebuild([])
        self._thread.start()
        self._indexer.start()
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()
        self.stopping = True
        self.search_due.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        with self.state.cond:
            self.state.cond.notify_all()

    stopping = False

    def rebuild(self, changed: list[str]) -> None:
        started = time.perf_counter()
        diags = Diagnostics()
        with self.lock:
            write = InPlace(self.config.output, search_later=True)
            if self.config.languages:  # every language, each from its own cache (no fast path yet)
                result = build_languages(self.config, diags, clean=True, jobs=self.jobs, caches=self.language_caches,
                                         workspace=self.config.root / CACHE_DIR / "serve-languages")  # fmt: skip
            else:
                result = apply_edits(self.cache.live, self.cache, changed, self.jobs, write)
            if result is None:
                result = build_site(self.config, diags, cache=self.cache, clean=True, jobs=self.jobs, keep_bodies=True)
            if result.ok and pending(self.config, self.cache):
                self.search_due.set()
        self.builds += 1
        problems = [str(d) for d in diags.sorted() if d.level != "note"]
        ms = (time.perf_counter() - started) * 1000
        what = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "") or "initial build"
        if result.ok:
            self.state.publish(bool(result.rendered or result.removed), [p for p in problems if ": error:" in p])
            self.log(f"rebuilt ({what}): {len(result.rendered)} written, {len(result.removed)} removed in {ms:.0f} ms")
        else:
            self.state.publish(False, problems)
            self.log(f"build failed ({what}) in {ms:.0f} ms; still serving the last good site")
        for line in problems:
            self.log(f"  {line}")


    def _index_in_background(self) -> None:
        """Re-index what edits left stale, after the page reloads; until stopped."""
        while True:
            self.search_due.wait()
            self.search_due.clear()
            if self.stopping:
                return
            started, diags = time.perf_counter(), Diagnostics()
            try:
                published = catch_up(self.config, self.cache, self.lock, diags, self.jobs)
            except Exception as error:  # the thread must outlive one bad round; the next edit retries
                diags.error(SourcePos("site.yaml"), f"updating the search index failed: {error!r}")
                published = False
            for line in diags.sorted():
                self.log(f"  {line}")
            if published:
                self.log(f"search index updated in {(time.perf_counter() - started) * 1000:.0f} ms")
            with self.lock:
                again = not diags.has_errors and pending(self.config, self.cache)
            if again:  # edited while indexing
                self.search_due.set()


def _handler_for(server: DevServer):
    root = server.config.output

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
            pass  # one line per rebuild is the useful output, not one per request

        def do_GET(self):
            path = urlsplit(self.path).path
            if path == EVENTS_PATH:
                return self._events()
            if path in (REPORT_PATH, REPORT_PATH.rstrip("/")):
                return self._report()
            if not _safe_request_path(path):
                return self.send_error(HTTPStatus.NOT_FOUND)
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                if not path.endswith("/"):
                    return super().do_GET()  # the stdlib redirects to the slash form
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._html(target)
            if not target.exists():
                return self._not_found()
            return super().do_GET()

        def _report(self):
            from .report import as_html, site_report

            diags = Diagnostics()
            reports = site_report(server.config, diags)
            problems = [str(d) for d in diags.sorted() if d.level == "error"]
            self._html(None, body=as_html(reports, problems).encode("utf-8"))

        def _html(self, target: Path | None, status=HTTPStatus.OK, body: bytes = b""):
            body = target.read_bytes() if target is not None else body
            marker = body.rfind(b"</body>")
            script = RELOAD_SCRIPT.encode("utf-8")
            body = body[:marker] + script + body[marker:] if marker >= 0 else body + script
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _not_found(self):
            page = root / "404.html"
            if page.is_file():
                return self._html(page, HTTPStatus.NOT_FOUND)
            return self.send_error(HTTPStatus.NOT_FOUND)

        def _events(self):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            state = server.state
            last = None
            try:
                while True:
                    with state.cond:
                        snapshot = state.snapshot()
                        if snapshot == last:
                            state.cond.wait(timeout=15)
                            snapshot = state.snapshot()
                    if snapshot == last:
                        self.wfile.write(b": keep-alive\n\n")  # also notices closed tabs
                    else:
                        self.wfile.write(f"event: state\ndata: {snapshot}\n\n".encode("utf-8"))
                        last = snapshot
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _safe_request_path(path: str) -> bool:
    """Refuse anything that names a parent directory, however it is encoded."""
    decoded = path
    for _ in range(3):  # %252e%252e decodes twice
        decoded = unquote(decoded)
    if "\\" in decoded or "\0" in decoded:
        return False
    parts = decoded.split("/")
    return ".." not in parts and posixpath.normpath(decoded).startswith("/")


def describe_bind(bind: str) -> str | None:
    """A warning when the server is reachable from other machines."""
    try:
        if ipaddress.ip_address(bind).is_loopback:
            return None
    except ValueError:
        if bind == "localhost":
            return None
    return f"warning: serving on {bind}: the site is reachable from other machines on the network"
