"""A PostgreSQL connection killed in the middle of a request, or while idle between two.

The real ASGI application serves the requests from a thread of this process, so a signal
handler here can terminate the request's own backend (`pg_terminate_backend`, from another
connection) between two statements of a write: after the report row is saved and before
its photos are, after the incident's new status is saved and before its history row is.
The client must get a clean 503 asking it to retry, nothing of the request may remain, and
the next request must succeed.

A connection killed while idle costs nothing here: under ASGI each request opens its own
connection, and Celery's Django fixup closes the worker's after every task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import pytest
import requests
from django.db import connection
from django.db.models.signals import post_save

from citizens.models import Report, ReportPhoto, StagedPhoto
from hypervisor.models import Event
from incidents import services
from incidents.models import Incident, Status, Transition
from tests.citizens.factories import image_bytes
from tests.conftest import AsgiServer
from tests.faults.conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.faults]

FORM_TOKEN = "f" * 32


class Killer:
    """Terminates a backend from a connection of its own and waits until it is gone."""

    def __init__(self) -> None:
        settings = connection.settings_dict
        self.connection = psycopg2.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
        )
        self.connection.autocommit = True
        self.killed: list[int] = []

    def kill(self, pid: int) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            wait_until(
                lambda: not self._alive(cursor, pid),
                timeout=10,
                interval=0.02,
                what=f"backend {pid} gone",
            )
        self.killed.append(pid)

    @staticmethod
    def _alive(cursor: Any, pid: int) -> bool:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return bool(cursor.fetchone()[0])

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def killer(real_services: None) -> Iterator[Killer]:
    running = Killer()
    yield running
    running.close()


def kill_once_after_save(model: type, killer: Killer, when: Callable[[Any], bool]) -> Callable:
    """A post_save receiver that kills the saving connection the first time `when` holds."""

    def receiver(sender: type, instance: Any, **kwargs: Any) -> None:
        if not killer.killed and when(instance):
            # The request's own connection: this runs in the request, between two statements.
            killer.kill(connection.connection.get_backend_pid())

    post_save.connect(receiver, sender=model, weak=False)
    return receiver


def _browser(server: AsgiServer) -> requests.Session:
    session = requests.Session()
    session.get(f"{server.url}/signaler/", timeout=10).raise_for_status()
    return session


def _send_report(session: requests.Session, server: AsgiServer, **files: Any) -> requests.Response:
    return session.post(
        f"{server.url}/signaler/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "form_token": FORM_TOKEN,
            "category": "eclairage-panne",
            "description": "Lampadaire éteint rue de la Liberté",
            "lat": "47.3225",
            "lon": "5.0317",
            "submit_anyway": "1",
        },
        files=files,
        cookies={"django_language": "en"},
        allow_redirects=False,
        timeout=30,
    )


def test_a_report_whose_connection_dies_mid_write_leaves_nothing_and_can_be_sent_again(
    killer: Killer,
    reference_configuration: None,
    asgi_server: AsgiServer,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    receiver = kill_once_after_save(Report, killer, lambda report: True)
    try:
        browser = _browser(asgi_server)
        photo = ("lampadaire.jpg", image_bytes(), "image/jpeg")
        refused = _send_report(browser, asgi_server, photos=photo)
    finally:
        post_save.disconnect(receiver, sender=Report)

    assert killer.killed, "the connection was not killed"
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "nothing was recorded" in refused.text
    assert not Report.objects.exists()
    assert not ReportPhoto.objects.exists()
    assert not Incident.objects.exists()
    assert not Event.objects.exists()
    # The photo was kept apart before the report was written, for the citizen's next try.
    assert StagedPhoto.objects.filter(form_token=FORM_TOKEN).count() == 1

    accepted = _send_report(browser, asgi_server)
    assert accepted.status_code == 302
    report = Report.objects.get()
    assert report.photos.count() == 1
    assert Incident.objects.get().pk == report.incident_id


def test_a_status_change_whose_connection_dies_mid_write_leaves_the_incident_as_it_was(
    killer: Killer,
    reference_configuration: None,
    asgi_server: AsgiServer,
    operator: Any,
    client: Any,
) -> None:
    incident = services.incident_open(
        category_code="eclairage-panne",
        description="Lampadaire éteint place Darcy",
        lat=47.3225,
        lon=5.0317,
        source=services.Source.PHONE,
    )
    history = Transition.objects.filter(incident=incident).count()
    events = Event.objects.count()
    client.force_login(operator)
    session = _browser(asgi_server)
    session.cookies.set("sessionid", client.cookies["sessionid"].value)

    def cancel() -> requests.Response:
        return session.post(
            f"{asgi_server.url}/api/v1/incidents/{incident.pk}/cancel/",
            data={"reason": "Signalé deux fois par téléphone"},
            headers={"X-CSRFToken": session.cookies["csrftoken"], "Accept-Language": "fr"},
            timeout=30,
        )

    receiver = kill_once_after_save(
        Incident, killer, lambda saved: saved.status == Status.CANCELLED
    )
    try:
        refused = cancel()
    finally:
        post_save.disconnect(receiver, sender=Incident)

    assert killer.killed, "the connection was not killed"
    assert refused.status_code == 503
    assert "Réessayez dans quelques secondes" in refused.json()["error"]
    incident.refresh_from_db()
    assert incident.status == Status.NEW
    assert Transition.objects.filter(incident=incident).count() == history
    assert Event.objects.count() == events

    accepted = cancel()
    assert accepted.status_code == 200
    incident.refresh_from_db()
    assert incident.status == Status.CANCELLED
    assert incident.transitions.filter(to_status=Status.CANCELLED).count() == 1
