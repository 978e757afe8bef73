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
import threading
import time
from pathlib import Path

import pytest
from conftest import make_site
from test_up_to_date import age_inputs

from glossary_site.build.up_to_date import engine
from glossary_site.commands import entry_point as client
from glossary_site.commands.cli import main as build_here
from glossary_site.commands.daemon import serve_one
from glossary_site.commands.daemon_socket import at_socket

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
    assert (site / client.SOCKET).stat().st_mode & 0o777 == 0o600  # its user's alone
    done = subprocess.run([sys.executable, "-m", "glossary_site", "build", "site", "--output", "out"],
                          cwd=tmp_path, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/terms/gpu/index.html").is_file() and not (site / "public").exists()
    assert "into out in" in done.stdout and len(running.builds()) == 1  # paths as the client's cwd has them


def test_files_are_created_with_the_clients_umask(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    running = daemon(site)
    old = os.umask(0o027)
    try:
        code, _, err = via_client(capsys, "build", site)
    finally:
        os.umask(old)
    assert code == 0 and len(running.builds()) == 1, err
    assert (site / "public/terms/gpu/index.html").stat().st_mode & 0o777 == 0o640


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


def request_for(argv, cwd) -> dict:
    return {**client.request(argv), "cwd": str(cwd)}


def test_a_daemon_whose_code_changed_declines_and_stops(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    request = request_for(["build", str(site)], tmp_path)
    stale = {**engine(), "/gone/module.py": (1, 2, 3)}
    assert ask(site, request, stale) == (False, [{"exit": None}])
    assert not (site / "public").exists()


def test_a_daemon_declines_another_site_and_other_commands(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    other = make_site(tmp_path / "other", FILES)
    elsewhere = {**request_for(["build", "site"], tmp_path), "engine": ["/other/install/glossary_site", "/usr/bin/python"]}
    requests = [request_for(argv, tmp_path) for argv in (["build", str(other)], ["check", str(site)], ["build", "--bogus"])]
    for request in [*requests, elsewhere, {**request_for(["build", "site"], tmp_path / "gone")}]:
        fresh, replies = ask(site, request, engine())
        assert fresh and replies == [{"exit": None}], request
    assert not (site / "public").exists() and not (other / "public").exists()
    fresh, replies = ask(site, request_for(["build", "site"], tmp_path), engine())
    assert replies[0] == {"accepted": True} and replies[-1] == {"exit": 0}
    assert any("built" in r.get("out", "") for r in replies)
    assert os.getcwd() != str(tmp_path)  # the daemon went back to its own directory


class FakeDaemon:
    """A socket that answers a client with the given frames, then closes (a daemon that
    declines, or that dies in the middle of a build)."""

    def __init__(self, site: Path, frames: list[bytes]):
        (site / ".glossary-cache").mkdir(parents=True, exist_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        at_socket(str(site / client.SOCKET), self.listener.bind)
        self.listener.listen(1)
        self.frames = frames
        self.thread = threading.Thread(target=self._answer, daemon=True)
        self.thread.start()

    def _answer(self):
        conn, _ = self.listener.accept()
        with conn:
            conn.makefile("rb").readline()
            for frame in self.frames:
                conn.sendall(frame + b"\n")
        self.listener.close()


def test_a_client_never_builds_once_the_daemon_has_accepted(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    FakeDaemon(site, [b'{"accepted": true}', b'{"out": "half a build"}'])
    code, out, err = via_client(capsys, "build", site)
    assert code == 1 and "the daemon stopped during the build" in err and out == "half a build"
    assert not (site / "public").exists()  # this process did not build as well


def test_a_client_whose_output_is_closed_still_gets_the_exit_code(tmp_path, monkeypatch):
    site = make_site(tmp_path / "site", FILES)
    FakeDaemon(site, [b'{"accepted": true}', b'{"out": "built"}', b'{"err": "warning"}', b'{"exit": 0}'])

    class Closed:
        def write(self, text):
            raise BrokenPipeError

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Closed())
    assert client.via_daemon(str(site), ["build", str(site)]) == 0 and not (site / "public").exists()


def test_a_declining_daemon_leaves_the_build_to_the_client(tmp_path, capsys):
    site = make_site(tmp_path / "site", FILES)
    FakeDaemon(site, [b'{"exit": null}'])
    code, out, _ = via_client(capsys, "build", site)
    assert code == 0 and (site / "public/terms/gpu/index.html").is_file()


def test_a_build_on_workers_leaves_the_daemon_quiet_and_serving(tmp_path, daemon, capsys):
    """The pool's workers are forked from the daemon and ended with SIGTERM, which in the
    daemon itself means "stop": in a worker it must only end the worker."""
    files = dict(FILES, **{f"content/n{i}.md": ARTICLE.replace("Notes", f"Notes {i}") for i in range(80)})
    site = make_site(tmp_path / "site", files)
    running = daemon(site)
    for _ in range(2):
        code, out, err = via_client(capsys, "build", site, "--jobs", "2", "--no-cache")
        assert code == 0 and "(108 written" in out, out + err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert running.proc.poll() is None and len(running.builds()) == 2
    assert "Traceback" not in running.log.read_text() and "KeyboardInterrupt" not in running.log.read_text()


def test_a_garbled_request_is_dropped_and_the_daemon_goes_on(tmp_path, daemon, capsys):
    site = make_site(tmp_path / "site", FILES)
    running = daemon(site)
    with client.connect(str(site / client.SOCKET)) as conn:
        conn.settimeout(30)
        conn.sendall(b"not json\n")
        assert conn.recv(100) == b""  # closed without an answer
    assert via_client(capsys, "build", site)[0] == 0 and len(running.builds()) == 1


def _worker_sigterm(_item) -> bool:
    import signal

    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_build_workers_end_on_sigterm_even_under_the_daemons_handler():
    """The daemon turns SIGTERM into a clean stop; its forked workers must not inherit that, or
    one that misses the pool's terminate() just before it blocks keeps the build waiting."""
    import signal

    from glossary_site.build.workers import fork_map

    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        assert fork_map(_worker_sigterm, list(range(200)), 2) == [True] * 200
    finally:
        signal.signal(signal.SIGTERM, previous)
