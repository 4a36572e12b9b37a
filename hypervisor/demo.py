"""Demo users, one per role, for the embedded demo mode only."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from hypervisor.roles import Role

DEMO_USERS: dict[str, tuple[Role, str, str]] = {
    "operateur": (Role.OPERATOR, "Olivia", "Opératrice"),
    "superviseur": (Role.SUPERVISOR, "Samuel", "Superviseur"),
    "agent": (Role.FIELD_AGENT, "Aurélien", "Agent"),
    "teleoperateur": (Role.TELEOPERATOR, "Théa", "Téléopératrice"),
    "police": (Role.POLICE, "Paul", "Police municipale"),
    "elu": (Role.ELECTED_OFFICIAL, "Élise", "Élue"),
    "mobilite": (Role.MOBILITY_OPERATOR, "Mathis", "Mobilités"),
    "admin": (Role.ADMIN, "Adèle", "Administratrice"),
}


@transaction.atomic
def seed_demo_users(*, rng: random.Random, log: Callable[[str], None]) -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("ONDIJON_DEMO: demo users exist only in the embedded demo mode.")
    from hypervisor.audit_signals import recorded_as_one

    with recorded_as_one(action="demo.users", target="demo", summary=""):
        _seed_users(log)


def _seed_users(log: Callable[[str], None]) -> None:
    user_model = get_user_model()
    for username, (role, first_name, last_name) in DEMO_USERS.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name},
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = role is Role.ADMIN
        user.is_superuser = role is Role.ADMIN
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        if created:
            log(f"demo user {username} ({role.label})")
    _link_demo_official()


# The demo's elected official watches Dijon and can be texted (a number of the range
# reserved for fiction, so nothing ever reaches a real phone).
DEMO_OFFICIAL = ("elu", "21231", "+33639980042")


def _link_demo_official() -> None:
    from hypervisor.models import Commune, StaffProfile

    username, insee, phone = DEMO_OFFICIAL
    commune = Commune.objects.filter(insee=insee).first()
    user = get_user_model().objects.filter(username=username).first()
    if commune is None or user is None:
        return
    StaffProfile.objects.update_or_create(user=user, defaults={"commune": commune, "phone": phone})


@transaction.atomic
def seed_alarm_work_under_way(*, rng: random.Random, log: Callable[[str], None]) -> None:
    """The alarms raised by the apps' faults, one acknowledged with a comment, one procedure
    started: what an operator finds when taking over a shift."""
    from hypervisor.models import Alarm, AlarmState, Event, Procedure, ProcedureRun
    from hypervisor.services import alarm_acknowledge, alarm_apply_rules, procedure_start

    # With a broker the worker may not have applied the faults' rules yet: do it now (once).
    pending = (
        Event.objects.filter(rules_applied_at__isnull=True)
        .exclude(asset_type="alarm")
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for event_id in list(pending[:2000]):
        alarm_apply_rules(event_id=event_id)
    operator = get_user_model().objects.filter(username="operateur").first()
    if operator is None or ProcedureRun.objects.exists():
        return
    # Alarms with a known cause (works under way) need no procedure: leave them aside.
    open_roots = Alarm.objects.filter(
        parent__isnull=True, state=AlarmState.ACTIVE, suppressed_reason=""
    )
    with_procedure = open_roots.filter(
        kind__in=Procedure.objects.values_list("alarm_kind", flat=True)
    ).order_by("raised_at")
    run_on = with_procedure.first()
    if run_on is not None:
        procedure_start(alarm_id=run_on.pk, by=operator)
    others = open_roots.exclude(pk=run_on.pk) if run_on is not None else open_roots
    to_acknowledge = others.order_by("raised_at").first()
    if to_acknowledge is not None:
        alarm_acknowledge(
            alarm_id=to_acknowledge.pk, by=operator, comment="Équipe prévenue, en route."
        )
    log(f"{open_roots.count()} open alarms, one procedure under way")
