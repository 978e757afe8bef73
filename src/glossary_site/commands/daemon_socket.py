"""Where a site's daemon listens and how either side reaches it: shared by the `glossary-site`
command (entry_point.py), which connects, and the daemon (daemon.py), which listens."""

from __future__ import annotations

import os
import socket
import sys

SOCKET = os.path.join(".glossary-cache", "daemon.sock")
"""Where a site's daemon listens, relative to the site (in the cache folder: the site's
owner's permissions, and deleted with the cache)."""


def engine_id() -> list[str]:
    """Which install and interpreter a process runs: a daemon of another declines the build."""
    return [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), sys.executable]


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
