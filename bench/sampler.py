"""Checking answers under load: a thread asks the server the same question every so often
while wrk runs, and compares each answer with the expected one."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable

from bench.servers import HOST, Server


class Sampler(threading.Thread):
    """Counts sampled answers, and those that were not 200 or not the expected answer."""

    def __init__(self, server: Server, expected: Callable[[bytes], bool], interval: float = 0.25):
        super().__init__(daemon=True)
        self.server, self.expected, self.interval = server, expected, interval
        self.checked = self.wrong = self.failed = 0
        self.problems: list[str] = []
        self._done = threading.Event()

    def run(self) -> None:
        connection = None
        while not self._done.wait(self.interval):
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, self.server.port, timeout=30)
                connection.request(
                    self.server.method,
                    self.server.path,
                    body=self.server.body,
                    headers=self.server.headers,
                )
                response = connection.getresponse()
                status, body = response.status, response.read()
            except (OSError, http.client.HTTPException) as error:
                self.failed += 1
                self._note(f"request failed: {error!r}")
                connection = None
                continue
            self.checked += 1
            if status != 200:
                self.failed += 1
                self._note(f"status {status}: {body[:200]!r}")
            elif not self.expected(body):
                self.wrong += 1
                self._note(f"unexpected answer: {body[:200]!r}")
        if connection is not None:
            connection.close()

    def _note(self, problem: str) -> None:
        if len(self.problems) < 5:
            self.problems.append(problem)

    def stop(self) -> dict:
        self._done.set()
        self.join()
        return {
            "sampled": self.checked,
            "wrong": self.wrong,
            "failed": self.failed,
            "problems": self.problems,
        }


__all__ = ["Sampler"]
