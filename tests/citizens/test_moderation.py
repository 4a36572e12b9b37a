from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from citizens import services
from citizens.models import CallLog, CallReason, Follower, ReportPhoto
from hypervisor.models import AuditEntry
from incidents.services import incident_reject
from tests.citizens.factories import submit_report, upload


def test_hiding_a_photo_removes_it_from_public_views_and_is_audited(
    client, reference_configuration, operator
) -> None:
    services.photos_stage(form_token="m" * 32, uploads=[upload()])
    report = submit_report(form_token="m" * 32)
    photo = ReportPhoto.objects.get()
    services.report_photo_hide(photo_id=photo.pk, by=operator, reason="Visage visible")
    photo.refresh_from_db()
    assert photo.hidden
    entry = AuditEntry.objects.get(action="citizens.photo_hidden")
    assert entry.actor == operator
    assert entry.target == f"report:{report.pk}"
    body = client.get("/open311/v2/requests.json").content.decode()
    assert photo.image.name not in body


def test_hiding_personal_details_is_audited(reference_configuration, operator) -> None:
    report = submit_report(contact_email="ana@example.org", contact_consent=True)
    services.report_contact_hide(report_id=report.pk, by=operator, reason="Demande de l'usager")
    report.refresh_from_db()
    assert report.contact_hidden
    assert AuditEntry.objects.filter(action="citizens.contact_hidden", actor=operator).exists()


def test_contacts_are_purged_once_the_retention_after_closure_has_passed(
    reference_configuration, operator, settings, teleoperator
) -> None:
    settings.CITIZENS_CONTACT_RETENTION_DAYS = 730
    report = submit_report(
        contact_email="ana@example.org", contact_phone="0612345678", contact_consent=True
    )
    follower = services.incident_follow(incident_id=report.incident_id, contact_email="b@x.org")
    call = services.call_log(
        reason=CallReason.FOLLOW_UP, caller_number="0611", taken_by=teleoperator, report=report
    )
    incident_reject(incident_id=report.incident_id, by=operator, reason="Privé")
    with time_machine.travel(timezone.now() + timedelta(days=729)):
        assert services.contacts_purge_expired() == 0
    report.refresh_from_db()
    assert report.contact_email == "ana@example.org"
    with time_machine.travel(timezone.now() + timedelta(days=731)):
        assert services.contacts_purge_expired() == 2
    report.refresh_from_db()
    assert (report.contact_email, report.contact_phone) == ("", "")
    assert report.contact_purged_at is not None
    assert not Follower.objects.filter(pk=follower.pk).exists()
    assert CallLog.objects.get(pk=call.pk).caller_number == ""


def test_contacts_of_an_open_incident_are_kept_however_old(reference_configuration) -> None:
    report = submit_report(contact_email="ana@example.org", contact_consent=True)
    with time_machine.travel(timezone.now() + timedelta(days=2000)):
        services.contacts_purge_expired()
    report.refresh_from_db()
    assert report.contact_email == "ana@example.org"


def test_the_purge_is_scheduled_daily() -> None:
    from ondijon.celery import app

    schedule = app.conf.beat_schedule["citizens-purge-contacts"]
    assert schedule == {"task": "citizens.tasks.purge_expired_contacts", "schedule": 86_400}


def test_photos_of_abandoned_forms_are_swept(reference_configuration) -> None:
    services.photos_stage(form_token="z" * 32, uploads=[upload()])
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        assert services.staged_photos_sweep() == 1


def test_an_operator_hides_a_photo_from_the_moderation_screen(
    client, reference_configuration, operator
) -> None:
    services.photos_stage(form_token="n" * 32, uploads=[upload()])
    submit_report(form_token="n" * 32)
    photo = ReportPhoto.objects.get()
    client.force_login(operator)
    assert photo.image.url in client.get("/moderation/signalements/").content.decode()
    response = client.post(f"/moderation/photos/{photo.pk}/masquer/")
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.hidden
    assert AuditEntry.objects.filter(action="citizens.photo_hidden", actor=operator).exists()


def test_an_operator_hides_personal_details_from_the_moderation_screen(
    client, reference_configuration, operator
) -> None:
    report = submit_report(contact_phone="0612345678", contact_consent=True)
    client.force_login(operator)
    client.post(f"/moderation/signalements/{report.pk}/masquer-coordonnees/")
    report.refresh_from_db()
    assert report.contact_hidden
    assert "0612345678" not in client.get("/moderation/signalements/").content.decode()


@pytest.mark.parametrize("persona", ["teleoperator", "field_agent", "elected_official"])
def test_other_roles_cannot_moderate(
    client, request, reference_configuration, persona: str
) -> None:
    report = submit_report(contact_phone="0612345678", contact_consent=True)
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/moderation/signalements/").status_code == 403
    response = client.post(f"/moderation/signalements/{report.pk}/masquer-coordonnees/")
    assert response.status_code == 403
    report.refresh_from_db()
    assert not report.contact_hidden
