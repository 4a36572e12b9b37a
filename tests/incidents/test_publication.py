"""Reads for open data: every incident's bare facts, and deadlines met per month."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from incidents import selectors, services
from incidents.models import Incident, Status


def _resolve(incident: Incident, *, late: bool, status: str = Status.CLOSED) -> None:
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(
        status=status,
        resolved_at=now,
        closed_at=now if status == Status.CLOSED else None,
        due_at=now + timedelta(hours=-1 if late else 1),
    )


def test_publication_rows_hold_seven_facts_and_no_free_text(open_incident):
    incident = open_incident()
    (row,) = selectors.incident_publication_rows()
    assert row == (
        incident.pk,
        incident.created_at,
        "21231",
        "eclairage-panne",
        incident.status,
        incident.lat,
        incident.lon,
    )
    assert incident.description not in map(str, row)


def test_closed_and_cancelled_incidents_are_published_duplicates_and_rejections_are_not(
    open_incident, operator
):
    still_open, closed, cancelled, rejected, master, duplicate = (
        open_incident(at=(47.3225 + n * 0.003, 5.0317)) for n in range(6)
    )
    _resolve(closed, late=False)
    services.incident_cancel(incident_id=cancelled.pk, by=operator, reason="Signalé par erreur")
    services.incident_reject(incident_id=rejected.pk, by=operator, reason="Domaine privé")
    services.incident_mark_duplicate(incident_id=duplicate.pk, master_id=master.pk, by=operator)
    published = {row[0]: row[4] for row in selectors.incident_publication_rows()}
    assert published == {
        still_open.pk: Status.ROUTED,
        closed.pk: Status.CLOSED,
        cancelled.pk: Status.CANCELLED,
        master.pk: Status.ROUTED,
    }
    assert set(selectors.incident_status_codes()) >= set(published.values())
    assert Status.DUPLICATE not in selectors.incident_status_codes()


def test_an_incident_without_a_place_is_not_published(reference_configuration):
    services.incident_open(
        category_code="eclairage-panne",
        description="Quelque part",
        lat=None,
        lon=None,
        source=services.Source.PHONE,
    )
    assert selectors.incident_publication_rows() == []


def test_deadline_counts_group_resolutions_by_month_service_and_priority(open_incident):
    on_time, late, also_late = (open_incident(at=(47.3225 + n * 0.003, 5.0317)) for n in range(3))
    urgent = open_incident("eclairage-cable", at=(47.34, 5.04))
    _resolve(on_time, late=False)
    _resolve(late, late=True, status=Status.RESOLVED)
    _resolve(also_late, late=True)
    _resolve(urgent, late=False)
    now = timezone.now()
    counts = selectors.incident_deadline_counts(
        start=now - timedelta(days=40), end=now + timedelta(days=1)
    )
    month = timezone.localdate().replace(day=1)
    assert counts == [
        (month, "eclairage", "Éclairage public", "emergency", 1, 0),
        (month, "eclairage", "Éclairage public", "normal", 1, 2),
    ]


def test_deadline_counts_leave_out_incidents_resolved_outside_the_period(open_incident):
    _resolve(open_incident(), late=False)
    now = timezone.now()
    later = selectors.incident_deadline_counts(
        start=now + timedelta(hours=1), end=now + timedelta(days=1)
    )
    assert later == []
