"""A redis-server of a test's own, on a free port, that the test may stop and start again.

The shared Redis on 6379 serves everyone's tests on the machine and is never stopped.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import free_port
from tests.services import unavailable

REDIS_SERVER = Path("/usr/bin/redis-server")


class PrivateRedis:
    """Nothing persisted: a restart loses every subscription, as a real restart would."""

    def __init__(self) -> None:
        binary = REDIS_SERVER if REDIS_SERVER.exists() else shutil.which("redis-server")
        if binary is None:
            unavailable("needs redis-server (apt-get install redis-server)")
        self.binary = str(binary)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the private redis-server did not start") from None
                time.sleep(0.02)
            finally:
                client.close()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
