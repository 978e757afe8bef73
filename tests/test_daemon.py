"""`glossary-site daemon`: builds handed over by the command produce what a build in its own
process produces, report problems the same way, and a daemon that is gone, stale or for
another site never stands between the author and a build."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_site
from test_uptodate import age_inputs
from glossary_site import client
from glossary_site.cli import main as build_here
from glossary_site.daemon import serve_one
from glossary_site.uptodate import engine

TERM = "---\ntitle: GPU\nsummary: A parallel processor.\ncategory: Hardware\ndepth: basics\n{extra}---\nA GPU runs maths.\n"
ARTICLE = "---\ntitle: Notes\ndate: 2026-01-02\nsummary: About GPUs.\n---\nThe GPU was busy.\n"
FILES = {
    "site.yaml": "search: false\n",
    "terms/gpu.md": TERM.format(extra=""),
    "terms/vram.md": TERM.replace("GPU", "VRAM").format(extra="related: [gpu]\n"),
    "content/notes.md": ARTICLE,
}


class Daemon:
    def __init__(self, site: Path, log: Path):
        self.site, self.log = site, log
        with open(log, "wb") as sink:
            self.proc = subprocess.Popen([sys.executable, "-m", "glossary_site", "daemon", str(site)],
                                         stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 30
        while "runs here now" not in log.read_text():
            assert self.proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the daemon did not start"
            time.sleep(0.05)

    def builds(self) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith("build ")]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=30)


@pytest.fixture
def daemon(tmp_path):
    started = []

    def start(site: Path) -> Daemon:
        started.append(Daemon(site, tmp_path / f"daemon{len(started)}.log"))
        return started[-1]

    yield start
    for d in started:
        d.stop()


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def via_client(capsys, *args) -> tuple[int, str, str]:
    code = client.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_daemon_builds_byte_for_byte_what_a_process_builds(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    age_inputs(site)  # outside the up-to-date check's racy window: the edit takes the edit path
    running = daemon(site)
    code, out, _ = via_client(capsys, "build", site)
    assert code == 0 and "built" in out
    (site / "content/notes.md").write_text(ARTICLE.replace("was busy", "was busy; its VRAM was full"))
    code, out, _ = via_client(capsys, "build", site)
    assert code == 0 and "1 edited file applied" in out, out
    assert len(running.builds()) == 2  # both ran in the daemon, not in this process
    alone = shutil.copytree(site, tmp_path / "alone", ignore=shutil.ignore_patterns(".glossary-cache", "public"))
    assert build_here(["build", str(alone), "--no-cache", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert tree(site / "public") == tree(alone / "public")
    assert 'href="/terms/vram/"' in (site / "public/articles/notes/index.html").read_text()


def test_the_console_command_hands_the_build_over(tmp_path, daemon):
    site = make_site(tmp_path / "site", FILES)
    running = daemon(site)
    done = subprocess.run([sys.executable, "-m", "glossary_site", "build", "site", "--output", "../out"],
                          cwd=site, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2 and "does not exist" in done.stderr  # `site` is relative to the client's cwd
    done = subprocess.run([sys.executable, "-m", "glossary_site", "build", "site", "--output", "out"],
                          cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/terms/gpu/index.html").is_file() and not (site / "public").exists()
    assert "into out in" in done.stdout and len(running.builds()) == 1


def test_problems_come_back_as_lines_and_the_output_stays(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    daemon(site)
    assert via_client(capsys, "build", site)[0] == 0
    before = tree(site / "public")
    (site / "terms/vram.md").write_text(TERM.replace("GPU", "VRAM").format(extra="related: [gpus]\n"))
    (site / "content/notes.md").write_text(ARTICLE.replace("busy", "busy, see [[vrm]]"))
    code, out, err = via_client(capsys, "build", site)
    assert code == 1
    assert "terms/vram.md:6: error: related term 'gpus' does not exist. Did you mean 'gpu'?" in err
    assert "content/notes.md:6: error: reference [[vrm]] names no term. Did you mean 'vram'?" in err
    assert "Traceback" not in err and tree(site / "public") == before
    (site / "terms/vram.md").write_text(TERM.replace("GPU", "VRAM").format(extra="related: [gpu]\n"))
    (site / "content/notes.md").write_text(ARTICLE)
    assert via_client(capsys, "build", site)[0] == 0


def test_a_dead_daemon_leaves_a_socket_the_command_builds_past(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    first = daemon(site)
    first.proc.kill()
    first.proc.wait()
    assert (site / client.SOCKET).exists()  # SIGKILL: nothing removed it
    code, out, _ = via_client(capsys, "build", site)
    assert code == 0 and (site / "public/terms/gpu/index.html").is_file() and first.builds() == []
    second = daemon(site)  # and a new daemon takes the socket over
    assert via_client(capsys, "build", site)[0] == 0 and len(second.builds()) == 1
    assert second.stop() == 0 and not (site / client.SOCKET).exists()


def test_one_daemon_per_site(tmp_path, daemon):
    site = make_site(tmp_path / "site", FILES)
    daemon(site)
    again = subprocess.run([sys.executable, "-m", "glossary_site", "daemon", str(site)], capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert again.returncode == 2 and "a daemon already runs" in again.stderr


def ask(root: Path, request: dict, engine_state: dict) -> tuple[bool, list[dict]]:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(json.dumps(request).encode() + b"\n")
        ours.shutdown(socket.SHUT_WR)
        fresh = serve_one(theirs, root, engine_state)
        theirs.shutdown(socket.SHUT_WR)
        replies = [json.loads(line) for line in ours.makefile("rb")]
    return fresh, replies


def test_a_daemon_whose_code_changed_declines_and_stops(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    request = {"argv": ["build", str(site)], "cwd": str(tmp_path), "tty": False}
    stale = {**engine(), "/gone/module.py": (1, 2, 3)}
    assert ask(site, request, stale) == (False, [{"exit": None}])
    assert not (site / "public").exists()


def test_a_daemon_declines_another_site_and_other_commands(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    other = make_site(tmp_path / "other", FILES)
    for argv in (["build", str(other)], ["check", str(site)], ["build", "--bogus"]):
        fresh, replies = ask(site, {"argv": argv, "cwd": str(tmp_path), "tty": False}, engine())
        assert fresh and replies[-1] == {"exit": None}, argv
    assert not (site / "public").exists() and not (other / "public").exists()
    fresh, replies = ask(site, {"argv": ["build", "site"], "cwd": str(tmp_path), "tty": False}, engine())
    assert replies[-1] == {"exit": 0} and any("built" in r.get("out", "") for r in replies)
    assert os.getcwd() != str(tmp_path)  # the daemon went back to its own directory


def test_a_build_on_workers_leaves_the_daemon_quiet_and_serving(tmp_path, daemon, capsys):
    """The pool's workers are forked from the daemon and ended with SIGTERM, which in the
    daemon itself means "stop": in a worker it must only end the worker."""
    files = dict(FILES, **{f"content/n{i}.md": ARTICLE.replace("Notes", f"Notes {i}") for i in range(80)})
    site = make_site(tmp_path / "site", files)
    running = daemon(site)
    for _ in range(2):
        code, out, err = via_client(capsys, "build", site, "--jobs", "2", "--no-cache")
        assert code == 0 and "(107 written" in out, out + err
    assert running.proc.poll() is None and len(running.builds()) == 2
    assert "Traceback" not in running.log.read_text() and "KeyboardInterrupt" not in running.log.read_text()


def test_a_client_that_says_nothing_or_garbage_is_ignored(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    running = daemon(site)
    with client.connect(str(site / client.SOCKET)) as conn:
        conn.sendall(b"not json\n")
        assert conn.recv(100) == b""  # closed without an answer
    assert via_client(capsys, "build", site)[0] == 0 and len(running.builds()) == 1
