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
