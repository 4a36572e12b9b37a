"""What each dataset holds: inventory, availability, every incident, deadlines met."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from incidents.models import Incident, Priority, Status
from lighting.models import LampStatus
from opendata import store
from tests.lighting.factories import LightPointFactory
from tests.opendata.conftest import K, finish, spread
from tests.traffic.factories import CrossroadFactory
from traffic import services as traffic
from traffic.models import ControllerState


def records(api, slug: str, query: str = "") -> list[dict]:
    response = api.get(f"/api/v1/datasets/{slug}/records/?limit=1000&{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_light_point_is_published_with_its_inventory_and_status(api, db):
    point = LightPointFactory(
        reference="LP-INV-1", street="rue Musette", wattage=70, status=LampStatus.LAMP_FAILURE
    )
    (row,) = records(api, "light-points")
    assert row == {
        "id": "LP-INV-1",
        "lat": point.lat,
        "lon": point.lon,
        "commune_insee": "21231",
        "street": "rue Musette",
        "street_class": "residential",
        "technology": "led",
        "wattage": 70,
        "cabinet": point.cabinet.reference,
        "status": "lamp_failed",
        "level": 0,
    }


def test_a_crossroad_is_published_with_its_commune_name_and_availability(api, db):
    crossroad = CrossroadFactory(reference="CAR-AV-1", name="Darcy", commune_insee="21231")
    start = timezone.now() - timedelta(days=6)
    traffic.crossroad_state_set(crossroad=crossroad, state=ControllerState.FAULT, at=start)
    crossroad.refresh_from_db()
    traffic.crossroad_state_set(
        crossroad=crossroad, state=ControllerState.NORMAL, at=start + timedelta(days=3)
    )
    (row,) = records(api, "crossroads")
    assert (row["id"], row["name"], row["commune_insee"], row["status"]) == (
        "CAR-AV-1", "Darcy", "21231", "normal",
    )  # fmt: skip
    assert row["availability"] == 0.9


def test_cameras_and_bollards_carry_their_commune_and_reference(api, every_dataset):
    for slug, reference in (("cameras", "CAM-OD-001"), ("bollards", "BOR-OD-001")):
        (row,) = records(api, slug)
        assert (row["id"], row["commune_insee"]) == (reference, "21231")


def test_closed_incidents_are_published_with_the_open_ones(api, every_dataset):
    rows = records(api, "incidents")
    assert len(rows) == K + 1
    assert sorted(row["status"] for row in rows).count(Status.CLOSED) == 3
    assert len(records(api, "incidents", "status=closed")) == 3


def test_a_duplicate_is_counted_once_through_its_master(api, report, operator):
    from incidents.services import incident_mark_duplicate

    planted = [report(at=spread(n)) for n in range(K + 1)]
    incident_mark_duplicate(
        incident_id=planted[-1].incident_id, master_id=planted[0].incident_id, by=operator
    )
    assert len(records(api, "incidents")) == K


def test_deadlines_met_are_published_as_counts_and_a_share(api, every_dataset, settings):
    settings.OPENDATA_K_THRESHOLD = 3
    rows = records(api, "service-sla")
    month = timezone.localdate().strftime("%Y-%m")
    assert rows == [
        {
            "id": f"{month}-eclairage-normal",
            "month": month,
            "service": "eclairage",
            "service_name": "Éclairage public",
            "priority": "normal",
            "on_time": 2,
            "late": 1,
            "total": 3,
            "share_on_time": 0.6667,
        }
    ]


def test_a_small_priority_is_merged_with_the_other_small_ones_of_its_service_and_month(
    api, every_dataset, settings, report
):
    settings.OPENDATA_K_THRESHOLD = 3
    emergency = report(category_code="eclairage-cable", at=spread(10))
    finish(emergency.incident_id, late=True)
    store.forget()
    assert [row["priority"] for row in records(api, "service-sla")] == ["normal"]
    high = report(at=spread(11))
    Incident.objects.filter(pk=high.incident_id).update(priority=Priority.HIGH)
    finish(high.incident_id)
    low = report(at=spread(12))
    Incident.objects.filter(pk=low.incident_id).update(priority=Priority.LOW)
    finish(low.incident_id)
    store.forget()
    rows = {row["priority"]: (row["on_time"], row["late"]) for row in records(api, "service-sla")}
    assert rows == {"normal": (2, 1), "autres": (2, 1)}


def test_energy_and_deadlines_filter_by_month(api, every_dataset, settings):
    settings.OPENDATA_K_THRESHOLD = 3
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timedelta(days=1)).isoformat()
    for slug in ("lighting-energy", "service-sla"):
        assert len(records(api, slug, f"date_from={this_month.isoformat()}")) == 1, slug
        assert records(api, slug, f"date_to={last_month}") == [], slug
