"""A citizen's report crosses every real part: PostgreSQL, the Redis broker, a Celery
worker, the Redis channel layer and a WebSocket served by the ASGI server."""

from __future__ import annotations

import json
import time

import pytest
from websockets.sync.client import connect

from incidents.models import Incident, Status

pytestmark = pytest.mark.integration


def wait_for(socket, predicate, timeout: float = 15.0) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        if predicate(message):
            return message
    raise AssertionError("the expected message never arrived")


def test_a_report_is_routed_by_the_worker_and_pushed_live_to_the_control_room(
    real_services, celery_worker, asgi_server, reference_configuration, operator, client
) -> None:
    client.force_login(operator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + "/ws/control/"
    with connect(url, additional_headers={"Cookie": cookie}, origin=asgi_server.url) as socket:
        snapshot = json.loads(socket.recv(timeout=10))
        assert snapshot["type"] == "snapshot"

        response = client.post(
            "/signaler/",
            {
                "category": "eclairage-panne",
                "description": "Lampadaire éteint place Darcy",
                "lat": 47.3225,
                "lon": 5.0317,
            },
        )
        assert response.status_code == 302

        routed = wait_for(socket, lambda m: m.get("event", {}).get("kind") == "incident.routed")
    assert routed["feature"]["service"] == "Éclairage public"
    assert routed["seq"] > snapshot["seq"]
    incident = Incident.objects.get()
    assert incident.status == Status.ROUTED
    assert incident.transitions.filter(to_status=Status.ROUTED).count() == 1


def test_a_field_agent_cannot_open_the_control_room_socket(
    real_services, asgi_server, field_agent, client
) -> None:
    from websockets.exceptions import InvalidStatus

    client.force_login(field_agent)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + "/ws/control/"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers={"Cookie": cookie}, origin=asgi_server.url).close()
    assert refused.value.response.status_code == 403


def test_a_socket_from_a_foreign_origin_is_refused(
    real_services, asgi_server, operator, client
) -> None:
    from websockets.exceptions import InvalidStatus

    client.force_login(operator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + "/ws/control/"
    with pytest.raises(InvalidStatus):
        connect(url, additional_headers={"Cookie": cookie}, origin="https://evil.example").close()


def test_a_socket_from_another_port_of_the_same_host_is_refused(
    real_services, asgi_server, operator, client
) -> None:
    from websockets.exceptions import InvalidStatus

    client.force_login(operator)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    url = asgi_server.url.replace("http", "ws") + "/ws/control/"
    other_port = f"http://127.0.0.1:{asgi_server.port + 1}"
    with pytest.raises(InvalidStatus):
        connect(url, additional_headers={"Cookie": cookie}, origin=other_port).close()
    # Positive control: the site's own origin is accepted.
    connect(url, additional_headers={"Cookie": cookie}, origin=asgi_server.url).close()
