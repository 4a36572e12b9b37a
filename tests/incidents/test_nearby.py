"""Open incidents near a point, whatever their source: what duplicate checks read."""

from __future__ import annotations

import math
from datetime import timedelta

import time_machine
from django.utils import timezone

from incidents import selectors, services
from incidents.models import Incident, Status

HERE = (47.3220, 5.0415)
METRE_LAT = 1 / 111_320


def _open(
    category_code: str = "eclairage-panne",
    *,
    north_m: float = 0,
    east_m: float = 0,
    source: services.Source = services.Source.WEB,
) -> Incident:
    return services.incident_open(
        category_code=category_code,
        description="Lampadaire éteint",
        lat=HERE[0] + north_m * METRE_LAT,
        lon=HERE[1] + east_m * METRE_LAT / math.cos(math.radians(HERE[0])),
        source=source,
    )


def _near(**extra: object) -> list[dict]:
    return selectors.incident_list_open_near(
        category_code="eclairage-panne",
        lat=HERE[0],
        lon=HERE[1],
        radius_m=50,
        **extra,  # type: ignore[arg-type]
    )


def test_incidents_from_every_source_are_found(reference_configuration) -> None:
    sources = [services.Source.EQUIPMENT, services.Source.OPERATOR, services.Source.PHONE]
    for number, source in enumerate(sources):
        _open(north_m=10 * number, source=source)
    assert {row["source"] for row in _near()} == set(sources)


def test_the_nearest_comes_first_with_its_distance(reference_configuration) -> None:
    far, near = _open(north_m=40), _open(north_m=5)
    rows = _near()
    assert [row["incident_id"] for row in rows] == [near.pk, far.pk]
    assert round(rows[0]["distance_m"]) == 5


def test_an_incident_in_the_boxs_corner_but_beyond_the_radius_is_left_out(
    reference_configuration,
) -> None:
    _open(north_m=40, east_m=40)  # inside the 50 m box, 57 m away
    assert _near() == []


def test_another_category_is_left_out(reference_configuration) -> None:
    _open("voirie-nid-de-poule")
    assert _near() == []


def test_finished_incidents_are_left_out(reference_configuration, operator) -> None:
    incident = _open()
    services.incident_cancel(incident_id=incident.pk, by=operator, reason="Erreur")
    assert _near() == []


def test_the_time_window_keeps_incidents_opened_since(reference_configuration) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=30)):
        old = _open()
    recent = _open(north_m=5)
    since = timezone.now() - timedelta(hours=24)
    assert [row["incident_id"] for row in _near(since=since)] == [recent.pk]
    assert {row["incident_id"] for row in _near()} == {old.pk, recent.pk}


def test_an_incident_reopened_within_the_window_counts(reference_configuration) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        incident = _open()
        Incident.objects.filter(pk=incident.pk).update(
            status=Status.RESOLVED, service=None, routed_at=timezone.now()
        )
    services.incident_reopen(incident_id=incident.pk, by=None, note="")
    since = timezone.now() - timedelta(hours=24)
    assert [row["incident_id"] for row in _near(since=since)] == [incident.pk]
