"""A client that hangs up is gone for every request it sent (`blkg.web.connections`): the one
being answered learns it whichever request was parsed last, those pipelined behind it are
never started, and the idle check of a connection reset under it does not fail.

The server runs in-process with an application that, once it has a request's body, waits to
hear that its client has left; the hang-up is the event the test waits for, never a time."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import SimpleNamespace

import pytest

from blkg.config import Limits
from blkg.web.bodies import client_gone
from blkg.web.connections import GuardedHttpToolsProtocol
from tests.conftest import serving_in_thread
from tests.raw_http import connect

GET = b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n"


class Listening:
    """Answers nothing: each request waits, after its body, to be told its client is gone."""

    def __init__(self):
        self.told: list[str] = []
        self.all_told = threading.Event()
        self.expected = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        message = await receive()  # after the body, it returns only when the client is gone
        self.told.append(f"{scope['path']} {message['type']}")
        if len(self.told) == self.expected:
            self.all_told.set()


@pytest.mark.parametrize("pipelined", [1, 2, 3])
def test_every_request_of_a_client_that_hangs_up_learns_it(pipelined):
    app = Listening()
    app.expected = 1
    with serving_in_thread(app, Limits()) as port:
        sock = connect(port)
        try:
            sock.sendall(b"".join(GET % n for n in range(pipelined)))
        finally:
            sock.close()
        # A failure here means a request never heard: the bound is not an ordering.
        assert app.all_told.wait(timeout=30), app.told
    # The first was being answered; those queued behind it are never started.
    assert app.told == ["/0 http.disconnect"]


@pytest.mark.parametrize("closing", [False, True])
def test_a_connection_closed_under_the_idle_check_holds_nothing_unread(closing):
    protocol = GuardedHttpToolsProtocol.__new__(GuardedHttpToolsProtocol)
    sock = socket.socket()
    sock.close()  # its descriptor is now -1, as a reset connection's is
    protocol.transport = SimpleNamespace(
        get_extra_info=lambda name: sock, is_closing=lambda: closing
    )
    assert protocol._unread() is False


def test_a_client_that_has_hung_up_is_seen_gone_without_waiting():
    async def receive():
        return {"type": "http.disconnect"}

    assert client_gone(receive) is True


def test_a_client_still_there_is_not_gone_and_nothing_is_left_waiting():
    async def check():
        arrived = asyncio.Event()

        async def receive():
            await arrived.wait()  # as the server's receive waits, once the body is read
            return {"type": "http.disconnect"}

        gone = client_gone(receive)
        return gone, len(arrived._waiters)

    assert asyncio.run(check()) == (False, 0)


def test_a_message_other_than_a_hang_up_is_not_gone():
    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    assert client_gone(receive) is False
