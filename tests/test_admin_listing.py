"""The admin lists the lighting, traffic and open-data models, with translated labels, read-only."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from hypervisor.roles import Role
from tests.hypervisor.factories import UserFactory

MODELS = [
    ("lighting", "cabinet"),
    ("lighting", "lightpoint"),
    ("lighting", "dimmingprofile"),
    ("lighting", "lightingoverride"),
    ("lighting", "monthlyenergy"),
    # Crossroads are listed too, but stay editable: an admin marks the main axes whose yellow
    # flash a supervisor confirms (RSMP commands, docs/rsmp.md).
    ("traffic", "camera"),
    ("traffic", "bollard"),
    ("traffic", "evidencerequest"),
    ("traffic", "registerentry"),
    ("traffic", "retentionexpiry"),
    ("opendata", "apikey"),
]


@pytest.fixture
def administrator(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="adele", roles=[Role.ADMIN], is_staff=True, is_superuser=True)


def test_the_admin_index_names_each_model_in_french(client, administrator) -> None:
    client.force_login(administrator)
    page = client.get(reverse("admin:index")).content.decode()
    untranslated = []
    for app_label, model_name in MODELS:
        model = apps.get_model(app_label, model_name)
        with translation.override("fr"):
            french = str(model._meta.verbose_name_plural)
        with translation.override("en"):
            english = str(model._meta.verbose_name_plural)
        assert escape(french[:1].upper() + french[1:]) in page, (app_label, model_name, french)
        if french == english:
            untranslated.append(english)
    assert untranslated == []


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
def test_each_model_is_listed_and_cannot_be_edited_there(
    client, administrator, app_label: str, model_name: str
) -> None:
    client.force_login(administrator)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403
