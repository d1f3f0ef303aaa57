"""Small replies leave the server at once: TCP_NODELAY on the server's sockets.

Streamlit binds its listening socket itself and leaves its `proto` at 0, and asyncio sets TCP_NODELAY only on
accepted sockets whose `proto` is IPPROTO_TCP. So Nagle's algorithm held back the body of every reply until the
browser had acknowledged its headers, and Linux delays that acknowledgement by 40 ms: each request (a page's
60 static files on a first visit, the health check) took 44 ms on loopback instead of 1. On Linux an accepted
socket inherits TCP_NODELAY from the listener, so it is set once, on every TCP socket the process holds: the
listener and the connections it has already accepted."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
from pathlib import Path

OPEN_FILES = Path("/proc/self/fd")


@functools.cache
def send_without_delay() -> int:
    """Set TCP_NODELAY on this process's TCP sockets, once per process; how many it set (none where Linux's
    /proc is not there to list them)."""
    if not OPEN_FILES.is_dir():
        return 0
    return sum(_set_nodelay(entry) for entry in OPEN_FILES.iterdir())


def _set_nodelay(entry: Path) -> bool:
    """TCP_NODELAY on the open file `entry` (/proc/self/fd/N) if it is a TCP socket. Never raises: a page run
    must not fail for it."""
    try:
        if not os.readlink(entry).startswith("socket:"):
            return False
        duplicate = os.dup(int(entry.name))
    except OSError:
        return False  # closed since it was listed
    try:
        held = socket.socket(fileno=duplicate)
    except OSError:
        os.close(duplicate)  # its number went to something other than a socket
        return False
    with held, contextlib.suppress(OSError):  # held is a duplicate: closing it leaves the server's own open
        if held.family in (socket.AF_INET, socket.AF_INET6) and held.type == socket.SOCK_STREAM:
            held.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return True
    return False
