"""A real HTTP server on a free port, answering what each test tells it to."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from mobility import replay
from tests.services import unavailable


class FeedServer:
    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                status, content_type, body = server.answers.get(
                    self.path, (404, "text/plain", b"not found")
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        content_type: str = "application/json",
    ) -> str:
        self.answers[path] = (
            status,
            content_type,
            body.encode() if isinstance(body, str) else body,
        )
        return self.url + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def diviapark_series() -> dict[str, list[Any]]:
    """The real 2023 DiviaPark series from the shared reference data."""
    path = replay.series_path()
    if not path.exists():
        unavailable(f"needs the shared reference data: {path}")
    return replay.load_series(str(path))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are asserted in English (their ids); one test checks the French ones."""
    from django.utils import translation

    with translation.override("en"):
        yield
