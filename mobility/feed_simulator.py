"""The demo's outside world: an HTTP server publishing the feeds a transport operator would.

Car parks (the replayed DiviaPark series, JSON), GTFS-Realtime protobuf (vehicle positions,
trip updates, service alerts) and GBFS (v2.3 and v3). It reads the demo network from the
database; it is a separate process from the product, as the operator's servers would be.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.db import close_old_connections

from mobility import replay

logger = logging.getLogger(__name__)

Route = Callable[[str], tuple[bytes, str]]


def _json(document: Any) -> tuple[bytes, str]:
    return json.dumps(document, ensure_ascii=False).encode(), "application/json"


def car_parks_document(base: str) -> tuple[bytes, str]:
    return _json({"records": replay.latest_samples()})


def routes() -> dict[str, Route]:
    from mobility import transit_simulation

    table: dict[str, Route] = {"/car-parks.json": car_parks_document}
    table.update(transit_simulation.routes())
    return table


class _Handler(BaseHTTPRequestHandler):
    table: dict[str, Route] = {}

    def do_GET(self) -> None:
        route = self.table.get(self.path.split("?")[0])
        if route is None:
            self._send(404, b"not found", "text/plain")
            return
        try:
            close_old_connections()
            body, content_type = route(f"http://{self.headers.get('Host', 'localhost')}")
        except Exception:
            logger.exception("Feed simulator: %s failed", self.path)
            self._send(500, b"simulator error", "text/plain")
            return
        self._send(200, body, content_type)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("Feed simulator: " + format, *args)


def make_server(host: str, port: int) -> ThreadingHTTPServer:
    handler = type("FeedHandler", (_Handler,), {"table": routes()})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start a server on a background thread (tests, benchmarks); port 0 picks a free one."""
    server = make_server(host, port)
    threading.Thread(target=server.serve_forever, name="mobility-feeds", daemon=True).start()
    return server
