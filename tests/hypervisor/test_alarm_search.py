"""The operator's alarm search."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hypervisor import selectors
from hypervisor.models import Alarm, AlarmState
from tests.hypervisor.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _alarm(title: str, *, state: str = AlarmState.ACTIVE, severity: str = "major") -> Alarm:
    now = timezone.now()
    return Alarm.objects.create(
        kind="test",
        asset_type="cabinet",
        asset_id=title,
        severity=severity,
        state=state,
        title=title,
        raised_at=now,
        last_raised_at=now,
    )


def test_alarms_are_found_by_words_of_their_title() -> None:
    wanted = _alarm("Armoire hors tension")
    _alarm("Feu clignotant")
    assert [row["id"] for row in selectors.alarm_search(text="armoire")] == [wanted.pk]


def test_open_alarms_leave_out_the_cleared_ones() -> None:
    active = _alarm("Armoire A")
    _alarm("Armoire B", state=AlarmState.CLEARED)
    assert [row["id"] for row in selectors.alarm_search(state="open")] == [active.pk]
    assert len(selectors.alarm_search(state="")) == 2  # positive control


def test_alarms_are_filtered_by_severity() -> None:
    critical = _alarm("Armoire A", severity="critical")
    _alarm("Armoire B", severity="minor")
    assert [row["id"] for row in selectors.alarm_search(severity="critical")] == [critical.pk]


def test_the_alarm_search_page_shows_the_matches(operator) -> None:
    _alarm("Armoire hors tension")
    _alarm("Feu clignotant")
    client = Client()
    client.login(username=operator.username, password=PASSWORD)
    body = client.get(reverse("alarm-search"), {"q": "armoire"}).content.decode()
    assert "Armoire hors tension" in body
    assert "Feu clignotant" not in body


def test_a_field_agent_cannot_search_alarms(field_agent) -> None:
    client = Client()
    client.login(username=field_agent.username, password=PASSWORD)
    assert client.get(reverse("alarm-search")).status_code == 403


def test_the_alarm_search_in_english_reads_the_title_and_names_the_equipment(
    operator, settings
) -> None:
    from hypervisor.models import AlarmRule
    from tests.mobility.factories import CarParkFactory

    AlarmRule.objects.create(
        event_kind="test.car_park_stale",
        action=AlarmRule.Action.RAISE,
        alarm_kind="test-car-park-stale",
        severity="minor",
        title_fr="Parking : plus de données récentes",
        title_en="Car park: no recent data",
    )
    CarParkFactory(reference="malraux", name="Parking Malraux")
    now = timezone.now()
    Alarm.objects.create(
        kind="test-car-park-stale",
        asset_type="car_park",
        asset_id="malraux",
        severity="minor",
        title="Parking : plus de données récentes",
        raised_at=now,
        last_raised_at=now,
    )
    client = Client()
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("alarm-search")).content.decode()
    assert "<td>Car park: no recent data</td>" in page
    assert "<td>Parking Malraux</td>" in page
    assert "car_park:malraux" not in page
