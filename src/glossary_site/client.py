"""The `glossary-site` command: a `build` goes to the site's daemon when one is running
(daemon.py: the same build, without the start-up cost); everything else, and a build that
no daemon takes, runs in this process (cli.py). Nothing else is imported until it is known
which: handing a build over costs the interpreter's start and this module."""

from __future__ import annotations

import json
import os
import socket
import sys

from .arguments import parser

SOCKET = os.path.join(".glossary-cache", "daemon.sock")
"""Where a site's daemon listens, relative to the site (in the cache folder: the site's
owner's permissions, and deleted with the cache)."""


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
    or None when no daemon took it: none runs, it declined, or it died before finishing."""
    path = os.path.join(site, SOCKET)
    if not os.path.exists(path):
        return None
    request = {"argv": argv, "cwd": os.getcwd(), "tty": sys.stderr.isatty()}
    try:
        with connect(path) as conn:
            conn.sendall(json.dumps(request).encode() + b"\n")
            for line in conn.makefile("rb"):
                message = json.loads(line)
                if "exit" in message:
                    return message["exit"]
                stream = sys.stdout if "out" in message else sys.stderr
                stream.write(message.get("out", message.get("err", "")))
                stream.flush()
    except (OSError, ValueError):  # a socket left by a daemon that died (refused), or it died mid-build
        pass
    return None


def at_socket(path: str, act) -> None:
    """act(address) for a Unix socket path: a path longer than the 108 bytes a socket
    address holds is reached relative to its folder (only from a single-threaded process)."""
    if len(os.fsencode(path)) < 100:
        act(path)
        return
    here = os.getcwd()
    folder, name = os.path.split(path)
    os.chdir(folder)
    try:
        act(name)
    finally:
        os.chdir(here)


def connect(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        at_socket(path, sock.connect)
    except OSError:
        sock.close()
        raise
    return sock
