"""The `glossary-site` command: a `build` goes to the site's daemon when one is running
(daemon.py: the same build, without the start-up cost); everything else, and a build that
no daemon takes, runs in this process (cli.py). Nothing else is imported until it is known
which: handing a build over costs the interpreter's start and this module."""

from __future__ import annotations

import json
import os
import socket
import sys

from .arguments import default_jobs, parser
from .daemon_socket import SOCKET, connect, engine_id


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser().parse_args(argv)
    if args.command == "build":
        code = via_daemon(args.site, argv)
        if code is not None:
            return code
    from .cli import run

    return run(args)


def via_daemon(site: str, argv: list[str]) -> int | None:
    """The exit code of the build the site's daemon ran for `argv` (its output printed here),
    or None when no daemon took it: none answers, it declined, or it went before starting.

    Once the daemon has said it is building, this process never builds too (two builds of
    one site at once would share its staging directory): whatever happens next, the
    answer is the daemon's exit code or a failure."""
    path = os.path.join(site, SOCKET)
    if not os.path.exists(path):
        return None
    try:
        conn = connect(path)
    except OSError:  # a socket left by a daemon that died: nothing answers on it
        return None
    with conn:
        frames = _frames(conn, request(argv))
        first = next(frames, None)
        if first is None or first.get("exit", 0) is None:
            return None  # it declined (another site, stale code), or went before starting
        output = _Output()
        for message in frames:
            if "exit" in message:
                return message["exit"]
            output.write(message)
    print("glossary-site: error: the daemon stopped during the build (run it again)", file=sys.stderr)
    return 1


def request(argv: list[str]) -> dict:
    """What the daemon needs to run the build this process would: where, how, and with
    which code (a daemon of another install or interpreter declines)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return {"argv": argv, "cwd": os.getcwd(), "tty": sys.stderr.isatty(), "umask": umask, "cores": default_jobs(),
            "engine": engine_id()}  # fmt: skip


def _frames(conn: socket.socket, message: dict):
    """The daemon's answer as messages; ends at the end of the stream or a garbled frame."""
    try:
        conn.sendall(json.dumps(message).encode() + b"\n")
        for line in conn.makefile("rb"):
            yield json.loads(line)
    except (OSError, ValueError):
        return


class _Output:
    """Prints the daemon's output here; once this process's own output fails (a closed
    pipe), the rest is dropped and the build still finishes, as it would in the daemon."""

    def __init__(self):
        self.broken = False

    def write(self, message: dict) -> None:
        if self.broken:
            return
        stream = sys.stdout if "out" in message else sys.stderr
        try:
            stream.write(message.get("out", message.get("err", "")))
            stream.flush()
        except (OSError, ValueError):
            self.broken = True
