"""Fault injection: the system under test runs as real processes we may kill.

A Celery worker, Celery beat and the ASGI server (`manage.py serve`) run as subprocesses
against pytest's test database and a private Redis server started here, on a free
loopback port, that the tests may stop and restart without disturbing anyone else's Redis.
Every process is bounded in time and stopped at teardown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import free_port
from tests.services import database_url, require_postgresql, unavailable

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = Path(os.environ.get("ONDIJON_REDIS_SERVER", "/usr/bin/redis-server"))


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.1,
    what: str | Callable[[], str] = "",
) -> None:
    """Poll `condition` until it is true; fail saying `what` (a text, or a function giving
    the state at the time of failure) once `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"not within {timeout:.0f} s: {said}")
        time.sleep(interval)


class PrivateRedis:
    """A redis-server of our own on a free port, stopped and started again at will."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.directory / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(REDIS_SERVER),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, timeout=10, interval=0.05, what="the private Redis answers")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Gone at once, like a crashed server: SIGKILL, nothing saved."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=5)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not REDIS_SERVER.exists():
        unavailable(f"needs {REDIS_SERVER} (apt-get install redis-server)")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class Processes:
    """Starts the processes under test with one environment; stops them all at teardown."""

    def __init__(self, directory: Path, environment: dict[str, str]) -> None:
        self.directory = directory
        self.environment = environment
        self.running: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{name}.log").open("ab")
        process = subprocess.Popen(
            arguments,
            cwd=ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running.append(process)
        return process

    def worker(self, name: str, *, concurrency: int = 2) -> subprocess.Popen[bytes]:
        """A worker as deployed: prefork, reading the urgent queue before the ordinary one."""
        return self.start(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "ondijon",
                "worker",
                "-P",
                "prefork",
                "-c",
                str(concurrency),
                "-Q",
                "urgent,celery",
                "-n",
                f"{name}@faults",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
            ],
        )

    def beat(self) -> subprocess.Popen[bytes]:
        schedule = self.directory / "celerybeat-schedule"
        return self.start(
            "beat",
            [str(BIN / "celery"), "-A", "ondijon", "beat", "-l", "warning", "-s", str(schedule)],
        )

    def serve(self, port: int) -> subprocess.Popen[bytes]:
        return self.start("serve", [str(BIN / "python"), "manage.py", "serve", "--port", str(port)])

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process and its children (a prefork worker's pool), as a crash does."""
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill(process)

    def log(self, name: str) -> str:
        path = self.directory / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def processes(
    transactional_db: None, private_redis: PrivateRedis, tmp_path: Path
) -> Iterator[Processes]:
    """Subprocesses on the test database and the private Redis, in production's shape."""
    require_postgresql()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "ONDIJON_", "DJANGO_", "PYTEST"))
    }
    environment.update(
        DATABASE_URL=database_url(),
        REDIS_URL=private_redis.url,
        DJANGO_SETTINGS_MODULE="ondijon.settings",
        ONDIJON_VAR_DIR=str(tmp_path / "var"),
        ONDIJON_LOG_LEVEL="WARNING",
    )
    running = Processes(tmp_path, environment)
    yield running
    running.stop_all()
