"""The elected official's page: their commune on a map, its open alarms, the crisis over it,
its KPIs; the demo's official watches Dijon."""

from __future__ import annotations

import random

from django.utils import timezone

from hypervisor.models import Alarm, Commune, Severity, StaffProfile
from hypervisor.selectors import elected_board
from hypervisor.services import crisis_activate

DIJON_CENTRE = {
    "type": "Polygon",
    "coordinates": [[[5.02, 47.31], [5.06, 47.31], [5.06, 47.33], [5.02, 47.33], [5.02, 47.31]]],
}


def _alarm(title: str, lat: float, lon: float, **extra: object) -> Alarm:
    now = timezone.now()
    fields = {"raised_at": now, "last_raised_at": now, **extra}
    return Alarm.objects.create(
        kind="test",
        asset_type="test",
        asset_id=title,
        severity=Severity.MAJOR,
        title=title,
        lat=lat,
        lon=lon,
        **fields,  # type: ignore[arg-type]
    )


def _watching_dijon(user) -> None:  # type: ignore[no-untyped-def]
    StaffProfile.objects.create(user=user, commune=Commune.objects.get(insee="21231"))


def test_the_demo_official_watches_dijon_and_can_be_texted(territory, settings) -> None:
    from hypervisor.demo import seed_demo_users

    settings.DEMO_MODE = True
    seed_demo_users(rng=random.Random(1), log=lambda line: None)
    profile = StaffProfile.objects.get(user__username="elu")
    assert profile.commune.insee == "21231"
    assert profile.phone


def test_the_board_shows_the_crisis_over_the_commune(
    elected_official, supervisor, territory
) -> None:
    _watching_dijon(elected_official)
    assert elected_board(user=elected_official)["crisis"] is None
    crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=DIJON_CENTRE, by=supervisor
    )
    assert elected_board(user=elected_official)["crisis"]["title"] == "Crue"


def test_a_crisis_elsewhere_is_not_shown_on_the_commune(
    elected_official, supervisor, territory
) -> None:
    StaffProfile.objects.create(user=elected_official, commune=Commune.objects.get(insee="21617"))
    crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=DIJON_CENTRE, by=supervisor
    )
    assert elected_board(user=elected_official)["crisis"] is None


def test_the_commune_kpis_count_only_the_commune_alarms(elected_official, territory) -> None:
    _watching_dijon(elected_official)
    _alarm("Dijon", 47.322, 5.041)
    _alarm("Talant", 47.3372, 4.9985)
    kpis = {kpi["key"]: kpi for kpi in elected_board(user=elected_official)["kpis"]}
    assert sum(value for _day, value in kpis["alarms-per-day"]["series"]) == 1


def test_the_page_has_the_commune_map_and_its_kpis(client, elected_official, territory) -> None:
    _watching_dijon(elected_official)
    client.force_login(elected_official)
    page = client.get("/elus/").content.decode()
    assert 'id="elected-map"' in page
    assert 'id="elected-outline"' in page
    assert 'data-testid="elected-kpis"' in page


def test_an_operator_may_not_open_the_elected_page(client, operator) -> None:
    client.force_login(operator)
    assert client.get("/elus/").status_code == 403
