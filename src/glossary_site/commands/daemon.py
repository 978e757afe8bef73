"""`glossary-site daemon`: a process that stays running and does every `build` of one site.

A `build` in a new process spends most of a one-article edit starting: the interpreter,
the libraries and our modules are 0.2-0.3 s of about 0.45 s. The daemon pays that once.
The `glossary-site` command (entry_point.py) finds its socket in SITE/.glossary-cache/ and
hands it the command line and working directory; the daemon runs the very same build
(build_command.run_build) and streams back its output and exit code, as the daemons of Gradle and mypy do.
Nothing is kept from one build to the next but the loaded code: each build reads the
cache, stats the inputs and checks the output exactly as a new process would, so its
result is the same. One build runs at a time (a second client waits), and the process
stays single-threaded: builds change directory and fork workers.

A daemon whose own code or theme changed on disk (an upgrade, an edited template of the
default theme) declines the next build and exits; a daemon of another install or
interpreter than the client's declines; either way the client then builds in its own
process. Once it has accepted a build, the client never builds too: two builds of one
site at once would share its staging directory. Only the daemon's own user may connect
(the socket is 0600, and the peer's uid is checked); a lock file keeps it to one per site.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import io
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from pathlib import Path

from ..build import up_to_date
from ..build.cache import CACHE_DIR
from .arguments import parser
from .build_command import run_build
from .daemon_socket import SOCKET, at_socket, engine_id

REQUEST_TIMEOUT = 10.0
"""Seconds a client has to send its request once connected (a silent one holds up the builds
behind it this long at most)."""
SEND_TIMEOUT = 30.0
"""Seconds a client may leave the daemon's output unread before it is taken to be gone."""
_PID = os.getpid()


def run_daemon(site: Path) -> int:
    root = site.resolve()
    if not root.is_dir():
        print(f"glossary-site: error: site directory '{site}' does not exist", file=sys.stderr)
        return 2
    folder = root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text("*\n")
    lock = os.open(folder / "daemon.lock", os.O_RDWR | os.O_CREAT, 0o600)  # held while this process lives
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print(f"glossary-site: error: a daemon already runs for {root}", file=sys.stderr)
        return 2
    path = str(root / SOCKET)
    listener = _listen(path)
    inode = os.stat(path).st_ino
    engine = up_to_date.engine()
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
    """Run the build one client asked for; False when this process is stale (nothing run).

    The first answer is {"exit": null} (declined: the client builds itself) or {"accepted":
    true}; then the build's output, then its exit code."""
    if not _same_user(conn):
        return True
    conn.settimeout(REQUEST_TIMEOUT)
    try:
        request = json.loads(conn.makefile("rb").readline())
        argv, cwd = [str(a) for a in request["argv"]], str(request["cwd"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # not a request: dropped
        return True
    conn.settimeout(SEND_TIMEOUT)  # a client that stops reading is dropped, not waited for
    out = _Channel(conn, "out", bool(request.get("tty")))
    err = _Channel(conn, "err", out.tty, out)
    if up_to_date.engine() != engine:
        out.send({"exit": None})
        return False
    started = time.perf_counter()
    here, umask = os.getcwd(), None
    try:
        os.chdir(cwd)
        args = parser().parse_args(argv)
        if args.command != "build" or Path(args.site).resolve() != root or request.get("engine") != engine_id():
            out.send({"exit": None})  # another site, or a client of other code: it builds itself
            return True
        args.jobs = args.jobs or int(request.get("cores") or 0)  # the client's cores, not this process's
        umask = os.umask(int(request.get("umask", 0o022)))  # files as the client's process would create them
        out.send({"accepted": True})
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = _build(args)
    except (OSError, SystemExit, TypeError, ValueError):  # before accepting: no directory, arguments of other code
        out.send({"exit": None})
        return True
    finally:
        os.chdir(here)
        if umask is not None:
            os.umask(umask)
    # Logged first: once the client has its exit code, the build is over.
    print(f"build {' '.join(argv[1:])}: exit {code} in {(time.perf_counter() - started) * 1000:.0f} ms",
          file=sys.stderr, flush=True)  # fmt: skip
    out.send({"exit": code})
    gc.collect()  # a build's cycles (the cache's SQLite connection among them) go now, not later
    return True


def _build(args) -> int:
    try:
        return run_build(args)
    except Exception:  # a bug: reported to the client as a new process would, and the daemon goes on
        traceback.print_exc()
        return 1


class _Channel(io.TextIOBase):
    """A text stream to the client. Once the client has gone (Ctrl+C, or it stopped reading)
    the build goes on silently: stopping it at a print would gain nothing. A worker forked
    during the build inherits it; what a worker prints goes to the daemon's own stderr,
    not into the middle of a frame of this process's."""

    def __init__(self, conn: socket.socket, key: str, tty: bool, shared: "_Channel | None" = None):
        self.conn, self.key, self.tty, self.pid = conn, key, tty, os.getpid()
        self.state = shared.state if shared is not None else {"gone": False}

    def write(self, text: str) -> int:
        if os.getpid() != self.pid:
            sys.__stderr__.write(text)
        elif text:
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


def _same_user(conn: socket.socket) -> bool:
    """Only the daemon's own user may have it build (the socket's mode, 0600, says so too)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return uid == os.getuid()


def _listen(path: str) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by a daemon that died (the lock says none runs)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    umask = os.umask(0o177)  # created 0600: no window in which another user may connect
    try:
        at_socket(path, listener.bind)
    finally:
        os.umask(umask)
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
