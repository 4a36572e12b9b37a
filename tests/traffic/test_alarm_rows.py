"""Traffic alarm rows name the crossroad or bollard and its commune; the board never rounds up."""

from __future__ import annotations

from hypervisor.alarm_layer import alarm_features
from hypervisor.models import Alarm, Severity
from traffic.models import Crossroad


def _alarm(asset_type: str, asset_id: str) -> Alarm:
    from django.utils import timezone

    now = timezone.now()
    return Alarm.objects.create(
        kind=f"{asset_type}-fault",
        asset_type=asset_type,
        asset_id=asset_id,
        severity=Severity.MAJOR,
        title="Panne",
        raised_at=now,
        last_raised_at=now,
    )


def test_a_crossroad_alarm_names_the_crossroad_and_its_commune(territory) -> None:
    Crossroad.objects.create(
        reference="CRF-001",
        name="Place Darcy / Boulevard de Sévigné",
        commune_insee="21231",
        lat=47.3225,
        lon=5.0317,
        controller_id="CTRL-1",
    )
    [row] = alarm_features([_alarm("crossroad", "CRF-001")])
    assert row["asset_name"] == "Place Darcy / Boulevard de Sévigné"
    assert row["asset_commune"] == "Dijon"


def test_an_alarm_on_an_unknown_asset_keeps_its_reference(db) -> None:
    [row] = alarm_features([_alarm("crossroad", "GONE-1")])
    assert row["asset_name"] == ""
    assert row["asset"] == "crossroad:GONE-1"


def test_one_crossroad_in_fault_among_a_thousand_does_not_read_one_hundred_percent(
    client, operator, db
) -> None:
    Crossroad.objects.bulk_create(
        Crossroad(
            reference=f"CRF-{n:04d}",
            name=f"Carrefour {n}",
            commune_insee="21231",
            lat=47.32,
            lon=5.04,
            controller_id=f"C{n}",
            state="fault" if n == 0 else "normal",
        )
        for n in range(1000)
    )
    client.force_login(operator)
    response = client.get("/signalisation/")
    assert response.context["availability"]["crossroads"]["percent"] == 99.9
