"""A citizen's report reaches the tablet of the crew it is dispatched to, through every real
part: PostgreSQL, the Redis broker, a Celery worker, the Redis channel layer, the ASGI server.

Timing is measured by bench/ (report → tablet), not asserted here: this test proves the
path works end to end and that every report's task arrives.
"""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import connect

from incidents.models import CrewMember, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.integration
REPORTS = 3


def test_each_report_reaches_the_dispatched_crews_tablet(
    real_services, celery_worker, asgi_server, reference_configuration, field_agent, client
) -> None:
    crew = CrewFactory(
        code="eclairage-mesure",
        trades=[Trade.objects.get(code="electricien")],
        lat=47.3225,
        lon=5.0317,
    )
    CrewMember.objects.create(user=field_agent, crew=crew)
    client.force_login(field_agent)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + "/ws/field/"
    delivered = []
    with connect(url, additional_headers={"Cookie": cookie}, origin=asgi_server.url) as tablet:
        assert json.loads(tablet.recv(timeout=10))["type"] == "snapshot"
        for index in range(REPORTS):
            response = client.post(
                "/signaler/",
                {
                    "category": "eclairage-panne",
                    "description": f"Lampadaire éteint n° {index}",
                    "lat": 47.3225 + index * 0.002,
                    "lon": 5.0317,
                },
            )
            assert response.status_code == 302
            expected = f"Lampadaire éteint n° {index}"
            while True:  # the previous task's later refreshes may still be on their way
                message = json.loads(tablet.recv(timeout=10))
                if message.get("op") == "upsert" and message["task"]["description"] == expected:
                    break
            delivered.append(expected)
    assert len(delivered) == REPORTS
