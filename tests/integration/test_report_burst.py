"""A burst of 200 simultaneous citizen reports: every one accepted, none a server error.

Replays the review's attack: 200 concurrent reports made the production server open up to
78 PostgreSQL connections (503 "too many clients", the operator page took 10 s) and the
embedded mode answer "database is locked". Real server (uvicorn), real PostgreSQL.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection

from citizens.models import Report

pytestmark = pytest.mark.integration
BURST = 200


def _connections_to_test_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def test_a_burst_of_citizen_reports_is_accepted_without_server_errors(
    real_services, asgi_server, reference_configuration, settings
) -> None:
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"  # 200 citizens, not one client
    session = requests.Session()
    form = session.get(f"{asgi_server.url}/signaler/", timeout=30)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert csrf is not None
    cookies = session.cookies.get_dict()
    peak, sampling = [0], threading.Event()

    def sample() -> None:
        from django.db import connections

        while not sampling.is_set():
            peak[0] = max(peak[0], _connections_to_test_database())
            time.sleep(0.05)
        connections.close_all()

    def report(number: int) -> int:
        response = requests.post(
            f"{asgi_server.url}/signaler/",
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "category": "voirie-nid-de-poule",
                "description": f"Nid-de-poule numéro {number} sur la chaussée",
                "lat": 47.315 + (number % 20) * 0.0008,
                "lon": 5.025 + (number // 20) * 0.0015,
                "submit_anyway": "1",
            },
            cookies=cookies,
            headers={
                "X-Forwarded-For": f"198.51.{number // 250}.{number % 250 + 1}",
                "Referer": f"{asgi_server.url}/signaler/",
            },
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(max_workers=BURST) as pool:
            codes = list(pool.map(report, range(BURST)))
    finally:
        sampling.set()
        sampler.join()
    assert [code for code in codes if code >= 500] == []
    assert {code for code in codes} == {302}, sorted(set(codes))
    assert codes.count(302) == BURST
    assert Report.objects.count() == BURST
    # The burst ran in its lane: a handful of connections, not one per request.
    lanes = settings.HTTP_PUBLIC_WRITE_CONCURRENCY + settings.HTTP_CONCURRENCY
    assert peak[0] <= lanes + 3
