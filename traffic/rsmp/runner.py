"""Starting the supervisor and the demo's emulators from settings (commands and `serve`)."""

from __future__ import annotations

import asyncio
import contextlib
import ssl

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from traffic.rsmp.emulator import EmulatorSettings, run_fleet
from traffic.rsmp.store import DatabaseStore
from traffic.rsmp.supervisor import Supervisor, SupervisorSettings


def server_tls() -> ssl.SSLContext | None:
    """TLS when ONDIJON_RSMP_TLS_CERT and ONDIJON_RSMP_TLS_KEY name a certificate and key."""
    cert, key = settings.RSMP_TLS_CERT, settings.RSMP_TLS_KEY
    if not cert and not key:
        return None
    if not (cert and key):
        raise ImproperlyConfigured("ONDIJON_RSMP_TLS_CERT and ONDIJON_RSMP_TLS_KEY go together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def supervisor_from_settings(*, host: str | None = None, port: int | None = None) -> Supervisor:
    return Supervisor(
        SupervisorSettings(
            host=host or settings.RSMP_HOST,
            port=settings.RSMP_PORT if port is None else port,
            watchdog_interval=settings.RSMP_WATCHDOG_SECONDS,
            ack_timeout=settings.RSMP_ACK_TIMEOUT_SECONDS,
            ssl_context=server_tls(),
        ),
        DatabaseStore(),
    )


def demo_sites() -> list[tuple[str, int]]:
    """The demo's controllers: the mapped sites of the crossroads, red-light sites first."""
    from traffic.models import RsmpSite

    return [
        (site_id, groups)
        for site_id, groups in RsmpSite.objects.filter(crossroad__isnull=False)
        .order_by("crossroad__reference")
        .values_list("site_id", "crossroad__signal_groups")
    ]


async def run_demo_emulators(
    *, host: str, port: int, sites: list[tuple[str, int]], with_parent: bool = False
) -> None:
    """`with_parent`: stop when the process that started this one is gone (the demo server)."""
    import os

    parent = os.getppid()
    tls = None
    if settings.RSMP_TLS_CERT:
        tls = ssl.create_default_context(cafile=settings.RSMP_TLS_CERT)
    await run_fleet(
        sites,
        EmulatorSettings(
            host=host, port=port, security_code=settings.RSMP_SECURITY_CODE,
            watchdog_interval=settings.RSMP_WATCHDOG_SECONDS, ssl_context=tls,
        ),
        while_true=(lambda: os.getppid() == parent) if with_parent else None,
        unplugged=unplugged_sites,
    )  # fmt: skip


async def serve_supervisor(supervisor: Supervisor) -> None:
    await supervisor.start()
    try:
        await asyncio.Event().wait()
    finally:
        await supervisor.stop()


def unplugged_sites() -> set[str]:
    """Site ids named by the files in var/rsmp-unplugged/: the demo keeps them disconnected."""
    from pathlib import Path

    folder = Path(settings.BASE_DIR) / "var" / "rsmp-unplugged"
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def wait_for_port(host: str, port: int, *, timeout: float) -> bool:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return True
        time.sleep(0.2)
    return False
