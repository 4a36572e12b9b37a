from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from citizens.models import Report
from hypervisor.models import RoutingRule, Service
from incidents.demo import SHIFT
from incidents.models import Category, Incident


@pytest.fixture(autouse=True)
def _smaller_inventory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's proportions with a tenth of its light points: these tests are about seeding."""
    import lighting.demo

    monkeypatch.setattr(lighting.demo, "LIGHT_POINTS", 3_500)
    monkeypatch.setattr(lighting.demo, "CABINETS", 120)


def test_seeding_without_territory_says_to_load_it_first(db) -> None:
    with pytest.raises(CommandError, match="load_territory"):
        call_command("seed_demo", stdout=StringIO())


def test_the_demo_has_services_categories_routing_users_and_reports(territory, settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    assert Service.objects.count() >= 8
    assert Category.objects.count() >= 12
    assert RoutingRule.objects.filter(commune__isnull=False).exists()
    assert get_user_model().objects.filter(username="operateur").exists()
    assert Incident.objects.count() == 40 + len(SHIFT)


def test_seeding_again_with_if_empty_changes_nothing(territory, settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Incident.objects.count() == 40 + len(SHIFT)


def test_outside_the_demo_mode_no_demo_user_is_created(territory, settings) -> None:
    settings.DEMO_MODE = False
    call_command("seed_demo", stdout=StringIO())
    assert not get_user_model().objects.exists()
    assert Category.objects.exists()


def test_the_demo_is_the_same_for_the_same_seed(territory, settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", "--seed", "7", stdout=StringIO())
    first = list(Incident.objects.order_by("id").values_list("lat", "lon", "category__code"))
    Report.objects.all().delete()
    Incident.objects.all().delete()
    call_command("seed_demo", "--seed", "7", stdout=StringIO())
    second = list(Incident.objects.order_by("id").values_list("lat", "lon", "category__code"))
    assert first == second


def test_the_demo_starts_with_work_to_do(territory, settings) -> None:
    """Open alarms of each kind, incidents in every state, a task given back, a procedure."""
    from django.utils import timezone

    from hypervisor.models import Alarm, AlarmState, ProcedureRun
    from incidents.models import Priority, Task

    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    open_kinds = set(
        Alarm.objects.filter(parent__isnull=True)
        .exclude(state=AlarmState.CLEARED)
        .values_list("asset_type", flat=True)
    )
    assert {"lamp", "cabinet", "crossroad", "camera", "bollard"} <= open_kinds
    assert (
        Alarm.objects.filter(state=AlarmState.ACKNOWLEDGED)
        .exclude(acknowledgement_comment="")
        .exists()
    )
    statuses = set(Incident.objects.values_list("status", flat=True))
    assert {"assigned", "in_progress", "resolved", "closed"} <= statuses
    late = Incident.objects.filter(
        due_at__lt=timezone.now(), status__in=["routed", "assigned", "in_progress"]
    )
    assert late.count() >= 2
    assert Incident.objects.filter(priority=Priority.EMERGENCY).exists()
    assert Task.objects.filter(needs_operator=True).exists()
    assert ProcedureRun.objects.filter(finished_at__isnull=True).exists()
