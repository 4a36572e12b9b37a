"""Categories, trades and crews are managed in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hypervisor.roles import Role
from tests.hypervisor.factories import UserFactory


@pytest.fixture
def administrator(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="adele", roles=[Role.ADMIN], is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", ["category", "trade", "crew", "incident", "task"])
def test_the_admin_lists_and_opens_the_model(
    client, administrator, open_incident, lighting_crew, model
) -> None:
    from incidents.models import Category, Crew, Incident, Task, Trade

    open_incident()
    client.force_login(administrator)
    assert client.get(reverse(f"admin:incidents_{model}_changelist")).status_code == 200
    instance = {
        "category": Category,
        "trade": Trade,
        "crew": Crew,
        "incident": Incident,
        "task": Task,
    }[model].objects.first()
    change = reverse(f"admin:incidents_{model}_change", args=[instance.pk])
    assert client.get(change).status_code == 200
