"""What every benchmark shares: the machine line, the stack's processes, results on disk.

Not a test module: benchmarks print figures and never assert a time.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ondijon.settings")
# One key for the benchmark and the servers it starts: sessions it creates are valid there.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))

BENCH_USER = "bench-operator"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def machine() -> str:
    memory_kb = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory_kb / 1024 / 1024:.1f} GiB memory, Python {platform.python_version()}, "
        f"load average {load_average()} (1/5/15 min)"
    )


def command() -> str:
    wanted = ("DATABASE_URL", "REDIS_URL", "BENCH_")
    env = [
        f"{name}={shlex.quote(value)}"
        for name, value in sorted(os.environ.items())
        if name.startswith(wanted)
    ]
    argv = [os.path.relpath(sys.executable, ROOT), *sys.argv]
    return " ".join([*env, *(shlex.quote(part) for part in argv)])


def header(title: str) -> None:
    print(f"== {title} ==")
    print(f"command: {command()}")
    print(f"machine: {machine()}")
    sys.stdout.flush()


def require_stack() -> tuple[str, str]:
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database.startswith("postgres") or not redis:
        sys.exit(
            "Set DATABASE_URL (PostgreSQL) and REDIS_URL: benchmarks run on the real stack, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/ondijon_bench "
            "REDIS_URL=redis://127.0.0.1:6379/8"
        )
    return database, redis


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    connection = psycopg2.connect(url.replace(parsed.path, "/postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup_django(*, inventory: bool = True) -> None:
    """Migrate, and load the territory and the Dijon demo inventory if they are missing."""
    database, _redis = require_stack()
    ensure_database(database)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    if inventory:
        for step in (["load_territory", "--if-empty"], ["seed_demo", "--if-empty"]):
            subprocess.run(
                [sys.executable, "manage.py", *step, "-v0"],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    import django

    django.setup()


def staff_session(role: str = "operator", username: str = BENCH_USER) -> str:
    """A logged-in session of a user with this role; returns the session key."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    user, _created = get_user_model().objects.get_or_create(username=username)
    user.groups.set([Group.objects.get(name=role)])
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def start(argv: Sequence[str], *, quiet: bool = False, **env: str) -> subprocess.Popen[bytes]:
    """A process of the stack, in the project directory, with the benchmark's environment.

    Its own session, so that stopping it stops its children (uvicorn, Celery's pool) too;
    `quiet` drops its standard output (banners), never its errors.
    """
    return subprocess.Popen(
        list(argv),
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def serve(port: int, **env: str) -> subprocess.Popen[bytes]:
    """`manage.py serve`: the ASGI server (uvicorn, one process), ready on return."""
    command = [sys.executable, "manage.py", "serve", "--port", str(port)]
    process = start(command, quiet=True, **env)
    wait_for_port(port, process)
    return process


def celery_worker(**env: str) -> subprocess.Popen[bytes]:
    """A Celery worker as deployed (prefork, two processes), consuming the Redis broker."""
    process = start(
        [sys.executable, "-m", "celery", "-A", "ondijon", "--quiet", "worker",
         "--loglevel", "warning", "--concurrency", "2",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        **env,
    )  # fmt: skip
    return process


def stop(*processes: subprocess.Popen[bytes] | None) -> None:
    for process in processes:
        if process is None or process.poll() is not None:
            continue
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        if process is None:
            continue
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def save(name: str, figures: dict[str, Any]) -> Path:
    """Keep a run's figures beside the command and the machine, for docs and plots."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    record = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command(),
        "machine": machine(),
        **figures,
    }
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    print(f"figures saved in {path.relative_to(ROOT)}")
    return path


def production_environment() -> dict[str, str]:
    """Settings as deployed (DJANGO_DEBUG=false: no query log, static files collected,
    compressed and hashed, served by WhiteNoise), in a var/ folder of the benchmarks', less
    the redirect to HTTPS that the proxy in front would make pointless."""
    var_dir = ROOT / "var" / "bench-production"
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ONDIJON_VAR_DIR": str(var_dir),
        # Plain HTTP on the loopback stands where the TLS-terminating proxy would be.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return env


def descendants(pid: int) -> list[int]:
    """Every process started, directly or not, by this one (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found
