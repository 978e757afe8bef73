"""`glossary-site daemon`: a process that stays running and does every `build` of one site.

A `build` in a new process spends most of a one-article edit starting: the interpreter,
the libraries and our modules are 0.2-0.3 s of about 0.45 s. The daemon pays that once.
The `glossary-site` command (client.py) finds its socket in SITE/.glossary-cache/ and
hands it the command line and working directory; the daemon runs the very same build
(cli.run) and streams back its output and exit code, as the daemons of Gradle and mypy do.
Nothing is kept from one build to the next but the loaded code: each build reads the
cache, stats the inputs and checks the output exactly as a new process would, so its
result is the same. One build runs at a time (a second client waits), and the process
stays single-threaded: builds change directory and fork workers.

A daemon whose own code or theme changed on disk (an upgrade, an edited template of the
default theme) declines the next build and exits; the client then builds in its own process.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import signal
import socket
import sys
import time
import traceback
from pathlib import Path

from . import uptodate
from .arguments import parser
from .cache import CACHE_DIR
from .cli import run
from .client import SOCKET, at_socket, connect

REQUEST_TIMEOUT = 10.0
"""Seconds a client has to send its request once connected."""
_PID = os.getpid()


def run_daemon(site: Path) -> int:
    root = site.resolve()
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{site}' does not exist", file=sys.stderr)
        return 2
    path = str(root / SOCKET)
    if _answers(path):
        print(f"glossary-site: error: a daemon already runs for {root} ({path})", file=sys.stderr)
        return 2
    listener = _listen(root, path)
    inode = os.stat(path).st_ino
    engine = uptodate.engine()
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"daemon for {root}: `glossary-site build` of this site runs here now (Ctrl+C to stop)",
          file=sys.stderr, flush=True)  # fmt: skip
    try:
        while True:
            conn, _ = listener.accept()
            with conn:
                if not serve_one(conn, root, engine):
                    print("the engine changed on disk: stopping (builds run in their own process until restarted)",
                          file=sys.stderr, flush=True)  # fmt: skip
                    return 0
    except KeyboardInterrupt:
        return 0
    finally:
        _close(listener, path, inode)


def serve_one(conn: socket.socket, root: Path, engine: dict) -> bool:
    """Run the build one client asked for; False when this process is stale (nothing run)."""
    conn.settimeout(REQUEST_TIMEOUT)  # a client that connects and says nothing holds up no build
    try:
        request = json.loads(conn.makefile("rb").readline())
        tty = bool(request.get("tty"))
    except (OSError, ValueError, AttributeError):  # not a request (or no longer a client): ignored
        return True
    conn.settimeout(None)
    out = _Channel(conn, "out", tty)
    err = _Channel(conn, "err", tty, out)
    if uptodate.engine() != engine:
        out.send({"exit": None})
        return False
    started = time.perf_counter()
    here = os.getcwd()
    code = None
    try:
        os.chdir(request["cwd"])
        args = parser().parse_args(request["argv"])
        if args.command == "build" and Path(args.site).resolve() == root:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = _build(args)
    except (KeyError, TypeError, OSError, SystemExit):  # a request this daemon cannot run: the client builds itself
        code = None
    finally:
        os.chdir(here)
    if code is not None:  # logged first: once the client has its exit code, the build is over
        print(f"build {' '.join(request['argv'][1:])}: exit {code} in {(time.perf_counter() - started) * 1000:.0f} ms",
              file=sys.stderr, flush=True)  # fmt: skip
    out.send({"exit": code})
    gc.collect()  # a build's cycles (the cache's SQLite connection among them) go now, not later
    return True


def _build(args) -> int:
    try:
        return run(args)
    except Exception:  # a bug: reported to the client as a new process would, and the daemon goes on
        traceback.print_exc()
        return 1


class _Channel(io.TextIOBase):
    """A text stream to the client. Once the client has gone (Ctrl+C) the build goes on
    silently: stopping it at a print would gain nothing."""

    def __init__(self, conn: socket.socket, key: str, tty: bool, shared: "_Channel | None" = None):
        self.conn, self.key, self.tty = conn, key, tty
        self.state = shared.state if shared is not None else {"gone": False}

    def write(self, text: str) -> int:
        if text:
            self.send({self.key: text})
        return len(text)

    def send(self, message: dict) -> None:
        if not self.state["gone"]:
            try:
                self.conn.sendall(json.dumps(message).encode() + b"\n")
            except OSError:
                self.state["gone"] = True

    def isatty(self) -> bool:
        return self.tty  # progress lines when the client's terminal would show them


def _answers(path: str) -> bool:
    try:
        connect(path).close()
    except OSError:
        return False
    return True


def _listen(root: Path, path: str) -> socket.socket:
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text("*\n")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by a daemon that died: nothing answered on it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    at_socket(path, listener.bind)
    listener.listen(8)
    return listener


def _close(listener: socket.socket, path: str, inode: int) -> None:
    listener.close()
    with contextlib.suppress(OSError):
        if os.stat(path).st_ino == inode:  # not a socket another daemon has bound since
            os.unlink(path)


def _interrupt(signum, frame):
    if os.getpid() != _PID:  # a forked worker its pool is ending: go, as without this handler
        os._exit(128 + signum)
    raise KeyboardInterrupt
