"""Small replies leave the server at once: the frame sets TCP_NODELAY on the server's sockets (Linux), which
Streamlit's own listener lacks (see mirps_dash/sockets.py)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from mirps_dash import sockets
from tests.conftest import open_page

pytestmark = pytest.mark.skipif(not sockets.OPEN_FILES.is_dir(), reason="lists open sockets through Linux's /proc")


def nodelay(held: socket.socket) -> bool:
    return bool(held.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening socket bound as Streamlit binds its own (`proto` 0), and a process that has not yet set
    TCP_NODELAY."""
    sockets.send_without_delay.cache_clear()
    held = socket.socket(socket.AF_INET)
    held.bind(("127.0.0.1", 0))
    held.listen()
    assert held.proto == 0 and not nodelay(held)
    yield held
    held.close()
    sockets.send_without_delay.cache_clear()


def test_the_listener_and_its_connections_send_without_delay(listener):
    before = socket.create_connection(listener.getsockname())
    accepted_before, _ = listener.accept()
    assert not nodelay(accepted_before)

    others = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM), *socket.socketpair()]  # not TCP: skipped, no error

    assert sockets.send_without_delay() >= 3  # the listener and both ends of the connection

    after = socket.create_connection(listener.getsockname())
    accepted_after, _ = listener.accept()
    assert nodelay(listener) and nodelay(accepted_before)
    assert nodelay(accepted_after)  # inherited from the listener
    for each in (before, accepted_before, after, accepted_after, *others):
        each.close()


def test_a_page_run_sets_it_on_the_server(listener, app_database):
    app = open_page("pages/about.py", lang="en")
    assert not app.exception
    assert nodelay(listener)
