import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hypervisor.demo import DEMO_USERS


class Command(BaseCommand):
    help = (
        "Serve the ASGI application (HTTP and WebSockets) in one process, optionally with the "
        "simulator running inside it. Production runs uvicorn workers directly instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--simulate", action="store_true", help="Run the simulator too")

    def handle(self, *args: Any, host: str, port: int, simulate: bool, **options: Any) -> None:
        if simulate:
            settings.SIMULATOR_ENABLED = True
        from ondijon.asgi import application

        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        base = f"http://{shown_host}:{port}"
        if not os.environ.get("ONDIJON_PUBLIC_URL"):
            # Links sent to citizens (tracking, fix confirmation) lead to this very server,
            # whatever port it was given, unless the deployment names its public address.
            settings.CITIZENS_PUBLIC_URL = base
            os.environ["ONDIJON_PUBLIC_URL"] = base
        lines = [
            "",
            f"  OnDijon — {settings.TERRITORY_NAME}",
            f"  Control room      {base}/controle/",
            f"  Report a problem  {base}/signaler/",
            f"  Administration    {base}/admin/",
        ]
        if settings.DEMO_MODE:
            lines.append(
                f"  Demo logins       {', '.join(DEMO_USERS)} — password: {settings.DEMO_PASSWORD}"
            )
        if simulate:
            lines.append(f"  Simulator         on, ×{settings.SIMULATION_SPEED}")
        self.stdout.write("\n".join(lines) + "\n")
        companions = _start_demo_processes() if simulate else []
        try:
            uvicorn.run(
                application,
                host=host,
                port=port,
                lifespan="on",
                log_level="warning",
                ws="websockets-sansio",
            )
        finally:
            for process in companions:
                process.terminate()
            for process in companions:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(5)


def _start_demo_processes() -> list[subprocess.Popen[bytes]]:
    """Emulated devices run beside the server, as real peers over the network."""
    from hypervisor.registry import registry

    manage = Path(settings.BASE_DIR) / "manage.py"
    return [
        subprocess.Popen([sys.executable, str(manage), *command])  # noqa: S603
        for command in registry.demo_processes().values()
    ]
