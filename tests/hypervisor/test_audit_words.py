"""The audit log reads like a log: actors named or "system", actions and changes in words,
and setting up roles or demo users is one entry, not hundreds."""

from __future__ import annotations

import random

from django.contrib.auth.models import Group

from hypervisor.models import AuditEntry
from hypervisor.roles import sync_role_groups
from hypervisor.selectors import audit_changes_in_words
from hypervisor.services import audit_record


def test_bringing_the_roles_in_line_is_one_entry_counting_the_changes(db) -> None:
    Group.objects.get(name="operator").permissions.clear()
    before = AuditEntry.objects.count()
    sync_role_groups()
    new = AuditEntry.objects.order_by("id")[before:]
    assert [entry.action for entry in new] == ["roles.sync"]
    assert new[0].after["changes"] >= 1


def test_roles_already_in_line_leave_no_entry(db) -> None:
    sync_role_groups()
    before = AuditEntry.objects.count()
    sync_role_groups()
    assert AuditEntry.objects.count() == before


def test_a_permission_changed_by_hand_is_still_recorded_on_its_own(db, operator) -> None:
    Group.objects.get(name="police").permissions.clear()
    assert AuditEntry.objects.filter(action="permissions.change").exists()


def test_seeding_the_demo_users_is_one_entry(db, settings) -> None:
    from hypervisor.demo import seed_demo_users

    settings.DEMO_MODE = True
    before = AuditEntry.objects.count()
    seed_demo_users(rng=random.Random(1), log=lambda line: None)
    new = list(AuditEntry.objects.order_by("id")[before:])
    assert [entry.action for entry in new] == ["demo.users"]


def test_changes_read_as_words(english) -> None:
    lines = audit_changes_in_words({"state": "active"}, {"state": "acknowledged", "comment": ""})
    assert lines == ["state: active → acknowledged", "comment: —"]


def test_the_page_names_the_actor_the_system_and_the_action_in_words(
    english_visitor, client, supervisor, operator, english
) -> None:
    audit_record(
        actor=operator,
        action="alarm.acknowledge",
        target="alarm:7",
        summary="Coupure",
        before={"state": "active"},
        after={"state": "acknowledged", "comment": "Enedis prévenu"},
    )
    audit_record(actor=None, action="login.locked", target="user:9", summary="")
    client.force_login(supervisor)
    page = client.get("/controle/journal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Alarm acknowledged" in page
    assert "state: active → acknowledged" in page
    assert "comment: Enedis prévenu" in page
    assert (operator.get_full_name() or operator.get_username()) in page
    assert "<td>system</td>" in page
    assert "{&#x27;state&#x27;" not in page  # no raw dictionaries


def test_loading_the_demo_leaves_no_membership_noise_in_the_log(
    territory, settings, monkeypatch
) -> None:
    from io import StringIO

    from django.core.management import call_command

    import lighting.demo

    settings.DEMO_MODE = True
    monkeypatch.setattr(lighting.demo, "LIGHT_POINTS", 600)
    monkeypatch.setattr(lighting.demo, "CABINETS", 30)
    call_command("seed_demo", stdout=StringIO())
    assert not AuditEntry.objects.filter(action="permissions.change").exists()
    assert AuditEntry.objects.filter(action="demo.seed").exists()
