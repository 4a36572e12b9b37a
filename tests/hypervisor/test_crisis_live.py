"""The crisis cell live everywhere: every staff screen hears activation, change and closing;
the crisis view lists what stands inside its zone; members are picked by name and role."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from hypervisor import selectors
from hypervisor.consumers import CrisisBannerConsumer
from hypervisor.forms import CrisisMemberForm
from hypervisor.models import Alarm, Severity
from hypervisor.roles import Role
from hypervisor.services import crisis_activate, crisis_close, crisis_log

# A polygon around central Dijon (place Darcy to place de la Libération).
CENTRE = {
    "type": "Polygon",
    "coordinates": [[[5.02, 47.31], [5.06, 47.31], [5.06, 47.33], [5.02, 47.33], [5.02, 47.31]]],
}


def _alarm(title: str, lat: float, lon: float) -> Alarm:
    now = timezone.now()
    return Alarm.objects.create(
        kind="test",
        asset_type="test",
        asset_id=title,
        severity=Severity.MAJOR,
        title=title,
        lat=lat,
        lon=lon,
        raised_at=now,
        last_raised_at=now,
    )


def test_the_crisis_view_lists_the_alarms_inside_its_zone_and_not_outside(
    supervisor, territory
) -> None:
    _alarm("Inondation quai Nicolas Rolin", 47.318, 5.045)
    _alarm("Panne à Chenôve", 47.290, 5.005)
    crisis = crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=CENTRE, by=supervisor
    )
    inside = {s["name"]: s for s in selectors.crisis_zone_contents(crisis)}
    texts = [item["text"] for item in inside["alarms"]["items"]]
    assert len(texts) == 1
    assert texts[0].startswith("Inondation quai Nicolas Rolin")


def test_the_member_picker_shows_people_by_name_and_role(supervisor, operator, english) -> None:
    operator.first_name, operator.last_name = "Olivia", "Martin"
    operator.save()
    labels = [label for _value, label in CrisisMemberForm().fields["member"].choices]
    assert f"Olivia Martin — {Role.OPERATOR.label}" in labels


def test_the_banner_state_says_whether_a_crisis_is_active(supervisor, territory) -> None:
    assert selectors.crisis_state() == {"type": "crisis", "active": False}
    crisis = crisis_activate(
        title="Crue", severity="major", commune_ids=[], zone=CENTRE, by=supervisor
    )
    state = selectors.crisis_state()
    assert (state["active"], state["id"], state["title"]) == (True, crisis.pk, "Crue")


@pytest.mark.django_db(transaction=True)
def test_an_open_screen_hears_a_crisis_activated_changed_and_closed(
    supervisor, operator, territory
) -> None:
    async def conversation() -> list[dict[str, Any]]:
        communicator = WebsocketCommunicator(CrisisBannerConsumer.as_asgi(), "/ws/crisis/")
        communicator.scope["user"] = operator
        assert (await communicator.connect())[0]
        heard = [await communicator.receive_json_from()]
        crisis = await database_sync_to_async(crisis_activate)(
            title="Crue", severity="major", commune_ids=[], zone=CENTRE, by=supervisor
        )
        heard.append(await communicator.receive_json_from(timeout=5))
        await database_sync_to_async(crisis_log)(
            crisis_id=crisis.pk, kind="decision", text="Fermer le pont", by=supervisor
        )
        heard.append(await communicator.receive_json_from(timeout=5))
        await database_sync_to_async(crisis_close)(
            crisis_id=crisis.pk, summary="Décrue", by=supervisor
        )
        heard.append(await communicator.receive_json_from(timeout=5))
        await communicator.disconnect()
        return heard

    heard = async_to_sync(conversation)()
    assert [state["active"] for state in heard] == [False, True, True, False]
    assert heard[2]["log_size"] > heard[1]["log_size"]


@pytest.mark.django_db(transaction=True)
def test_a_field_agent_may_not_listen_to_the_crisis_banner(field_agent) -> None:
    async def conversation() -> bool:
        communicator = WebsocketCommunicator(CrisisBannerConsumer.as_asgi(), "/ws/crisis/")
        communicator.scope["user"] = field_agent
        connected, _code = await communicator.connect()
        return connected

    assert async_to_sync(conversation)() is False


def test_staff_pages_carry_the_live_crisis_banner_and_citizen_pages_do_not(
    client, supervisor, db
) -> None:
    assert 'id="crisis-banner"' not in client.get("/").content.decode()
    client.force_login(supervisor)
    assert 'id="crisis-banner"' in client.get("/controle/kpis/").content.decode()
