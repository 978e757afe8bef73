"""The author loop: dev server with live reload and error overlay, watcher, new, explain."""

import http.client
import json
import threading
import time
from pathlib import Path

import pytest
from conftest import make_site, run_cli

from glossary_site.commands.dev_server import DevServer, _safe_request_path, describe_bind
from glossary_site.commands.watch import Watcher, relevant_path
from glossary_site.content.config import load_config
from glossary_site.content.diagnostics import Diagnostics

TERM = "---\ntitle: GPU\nsummary: A parallel processor.\ncategory: Hardware\ndepth: basics\n---\nBody.\n"
SITE = {
    "terms/gpu.md": TERM,
    "terms/age.md": "---\ntitle: age\nsummary: A file encryption tool.\ncategory: Security\ndepth: deeper\nautolink: false\n---\n",
    "content/post.md": "---\ntitle: Post\n---\nThe first GPU.\n",
}


class Events:
    """Reads the server-sent event stream in a thread; `next_state()` waits for one."""

    def __init__(self, server: DevServer):
        host, port = server.httpd.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=20)
        self.conn.request("GET", "/__glossary/events")
        self.response = self.conn.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.states: list[dict] = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for raw in self.response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    with self.cond:
                        self.states.append(json.loads(line[6:]))
                        self.cond.notify_all()
        except (OSError, ValueError):
            pass

    def next_state(self, after: int, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.states) <= after:
                left = deadline - time.monotonic()
                assert left > 0, f"no event after {after}: {self.states}"
                self.cond.wait(left)
            return self.states[after]


def get(server: DevServer, path: str) -> tuple[int, str]:
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


@pytest.fixture
def server(tmp_path):
    site = make_site(tmp_path / "site", SITE)
    diags = Diagnostics()
    logs: list[str] = []
    dev = DevServer(load_config(site, diags), bind="127.0.0.1", port=0, log=logs.append)
    dev.start()
    dev.logs = logs
    dev.site = site
    yield dev
    dev.stop()


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_serves_the_site_with_the_reload_script_only_in_responses(server):
    status, html = get(server, "/articles/post/")
    assert status == 200 and 'data-term="gpu"' in html and "/__glossary/events" in html
    built = (server.config.output / "articles/post/index.html").read_text()
    assert "/__glossary/events" not in built


def test_file_write_triggers_one_rebuild_and_a_reload_event(server):
    events = Events(server)
    first = events.next_state(0)
    builds = server.builds
    write(server.site / "content/post.md", "---\ntitle: Post\n---\nThe first GPU, edited.\n")
    state = events.next_state(1)
    assert state["version"] == first["version"] + 1 and state["errors"] == []
    assert server.builds == builds + 1
    assert "edited" in get(server, "/articles/post/")[1]
    assert any("rebuilt (content/post.md)" in line for line in server.logs)


def test_atomic_rename_save_is_one_rebuild_and_temp_files_none(server):
    events = Events(server)
    events.next_state(0)
    builds = server.builds
    # Editors' temporaries: no rebuild at all.
    write(server.site / "content/.#post.md", "lock")
    write(server.site / "content/post.md~", "backup")
    write(server.site / "content/.post.md.swp", "swap")
    time.sleep(0.5)
    assert server.builds == builds
    # Write a temporary file, then rename it over the original: one save, one rebuild.
    tmp = server.site / "content/.post.md.tmp123"
    write(tmp, "---\ntitle: Post\n---\nSaved by rename.\n")
    tmp.replace(server.site / "content/post.md")
    events.next_state(1)
    time.sleep(0.5)
    assert server.builds == builds + 1
    assert "Saved by rename." in get(server, "/articles/post/")[1]


def test_broken_file_shows_errors_and_keeps_serving_the_last_good_page(server):
    events = Events(server)
    first = events.next_state(0)
    write(server.site / "terms/gpu.md", TERM.replace("depth: basics", "depth: shallow"))
    state = events.next_state(1)
    assert state["version"] == first["version"]
    assert state["errors"] == ["terms/gpu.md:5: error: unknown depth 'shallow'. Use one of: basics, deeper, deepest."]
    status, html = get(server, "/terms/gpu/")
    assert status == 200 and "A parallel processor." in html
    write(server.site / "terms/gpu.md", TERM.replace("A parallel processor.", "Fixed summary."))
    state = events.next_state(2)
    assert state["errors"] == [] and state["version"] == first["version"] + 1
    assert "Fixed summary." in get(server, "/terms/gpu/")[1]


@pytest.mark.parametrize("path", ["/../site.yaml", "/..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/terms/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/x", "/..\\..\\x",
                                  "/terms/..%5c..%5cx"])
def test_path_traversal_gets_404(server, path):
    assert get(server, path)[0] == 404


def test_unknown_page_gets_the_404_page(server):
    status, html = get(server, "/no/such/page/")
    assert status == 404 and "Page not found" in html


def test_binds_loopback_by_default_and_warns_otherwise(server):
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert describe_bind("127.0.0.1") is None and describe_bind("localhost") is None
    assert "reachable from other machines" in describe_bind("0.0.0.0")


def test_safe_request_path():
    assert _safe_request_path("/terms/gpu/") and not _safe_request_path("/a/../../b")


@pytest.mark.parametrize("path,expected", [
    ("content/post.md", "content/post.md"), ("terms/a/b.md", "terms/a/b.md"), ("site.yaml", "site.yaml"),
    ("templates/base.html", "templates/base.html"), ("static/x.css", "static/x.css"),
    ("content/.#post.md", None), ("content/post.md~", None), ("content/.post.md.swp", None),
    ("public/index.html", None), (".glossary-cache/cache.sqlite", None), ("notes.txt", None),
    ("content/#post.md#", None), ("content/.git/x", None),
])
def test_watcher_classifies_paths(tmp_path, path, expected):
    assert relevant_path(tmp_path, str(tmp_path / path)) == expected


def test_watcher_debounces_a_burst_into_one_call(tmp_path):
    calls = []
    watcher = Watcher(tmp_path, calls.append, quiet=0.1)
    watcher._thread.start()
    for name in ["content/a.md", "content/a.md", "terms/b.md"]:
        watcher.touch([name])
        time.sleep(0.01)
    time.sleep(0.5)
    watcher.stop()
    assert calls == [["content/a.md", "terms/b.md"]]


def test_new_term_and_article_create_complete_files_and_refuse_to_overwrite(tmp_path, capsys):
    site = make_site(tmp_path / "site", {"site.yaml": "categories: [Memory, Hardware]\n"})
    code, out, _ = run_cli(capsys, "new", "term", "KV cache", "--site", site, "--category", "Memory", "--depth", "deeper")
    assert code == 0 and (site / "terms/kv-cache.md").exists()
    text = (site / "terms/kv-cache.md").read_text()
    assert 'title: "KV cache"' in text and 'category: "Memory"' in text and "depth: deeper" in text
    code, _, _ = run_cli(capsys, "new", "article", "My First Post!", "--site", site, "--kind", "inspiration")
    assert code == 0 and 'kind: "inspiration"' in (site / "content/my-first-post.md").read_text()
    code, _, err = run_cli(capsys, "new", "term", "KV cache", "--site", site, "--category", "Memory")
    assert code == 1 and "terms/kv-cache.md: error: file already exists; refusing to overwrite it" in err
    assert run_cli(capsys, "new", "term", "X", "--site", site, "--category", "Nope")[0] == 1
    # The new files are valid content: the site builds (the article is a draft).
    assert run_cli(capsys, "build", site)[0] == 0


EXPLAIN_SITE = {
    **SITE,
    "terms/kv-cache.md": "---\ntitle: KV cache\nsummary: Cache.\ncategory: Memory\ndepth: deeper\n---\n",
    "terms/ram.md": "---\ntitle: RAM\nsummary: Memory.\ncategory: Memory\ndepth: basics\n---\n",
    "content/post.md": (
        "---\ntitle: Post\n---\n"           # lines 1-3
        "# The GPU heading\n\n"             # 4: in a heading
        "A GPU and a GPU.\n\n"              # 6: linked, then already linked earlier
        "Use `KV cache` here.\n\n"          # 8: inside code
        "See [the KV cache](https://x).\n\n"  # 10: inside a link
        "Plenty of ram; a RAMP.\n\n"        # 12: case mismatch, inside a word
        "Files encrypted with age.\n\n"     # 14: autolink off for the term
        "We run Ollama and NVIDIA, then Ollama and NVIDIA again.\n"  # 16: not terms yet
    ),
    "content/off.md": "---\ntitle: Off\nautolink: false\n---\nA GPU.\n",
}


def test_explain_gives_a_reason_for_every_skip(tmp_path, capsys):
    site = make_site(tmp_path / "site", EXPLAIN_SITE)
    code, out, err = run_cli(capsys, "explain", site / "content/post.md", "--site", site)
    assert code == 0, err
    for line in [
        "content/post.md:4: 'GPU' -> gpu: skipped: in a heading",
        "content/post.md:6: 'GPU' -> gpu: linked",
        "content/post.md:6: 'GPU' -> gpu: skipped: already linked earlier",
        "content/post.md:8: 'KV cache' -> kv-cache: skipped: inside code",
        "content/post.md:10: 'KV cache' -> kv-cache: skipped: inside a link",
        "content/post.md:12: 'ram' -> ram: skipped: case mismatch",
        "content/post.md:12: 'RAM' -> ram: skipped: inside a word",
        "content/post.md:14: 'age' -> age: skipped: autolink is off for this term",
    ]:
        assert line in out.splitlines(), line
    assert "  NVIDIA (2x)" in out and "  Ollama (2x)" in out
    code, out, _ = run_cli(capsys, "explain", site / "content/off.md", "--site", site)
    assert "content/off.md:5: 'GPU' -> gpu: skipped: autolink is off for this document" in out.splitlines()


def test_explain_refuses_a_file_that_is_not_an_article(tmp_path, capsys):
    site = make_site(tmp_path / "site", SITE)
    code, _, err = run_cli(capsys, "explain", site / "terms/gpu.md", "--site", site)
    assert code == 1 and "not an article of this site" in err
