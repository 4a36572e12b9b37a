from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from hypervisor.demo import DEMO_USERS, seed_demo_users
from hypervisor.roles import Role


def test_every_role_has_its_group_after_migrating(db) -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_only_control_room_roles_hold_the_control_room_permission(db) -> None:
    holders = set(
        Group.objects.filter(
            permissions__codename="view_control_room",
            permissions__content_type__app_label="hypervisor",
        ).values_list("name", flat=True)
    )
    assert holders == {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN}


def test_demo_users_get_one_account_per_role_with_the_demo_password(db, settings) -> None:
    settings.DEMO_MODE = True
    settings.DEMO_PASSWORD = "mot-de-passe-demo"
    seed_demo_users(rng=random.Random(0), log=lambda _message: None)
    users = get_user_model().objects.filter(username__in=DEMO_USERS)
    assert users.count() == len(Role)
    operator = users.get(username="operateur")
    assert operator.check_password("mot-de-passe-demo")
    assert operator.has_perm("hypervisor.view_control_room")
    assert not users.get(username="agent").has_perm("hypervisor.view_control_room")


def test_demo_users_are_refused_outside_the_demo_mode(db, settings) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured, match="ONDIJON_DEMO"):
        seed_demo_users(rng=random.Random(0), log=lambda _message: None)
    assert not get_user_model().objects.exists()
