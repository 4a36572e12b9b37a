"""The admin refuses lookups on personal fields, hidden or not.

Replays the review's attack: a superuser recovered a hidden e-mail address one character
at a time with `?contact_email__startswith=…` on the reports' list.
"""

from __future__ import annotations

import pytest

from citizens import services
from tests.citizens.factories import submit_report


@pytest.mark.parametrize(
    "query",
    [
        "contact_email__startswith=ana",
        "contact_phone__contains=06",
        "contact_name__istartswith=a",
        "contact_email=ana@example.org",
    ],
)
def test_a_lookup_on_a_personal_field_is_refused(
    client, admin_user, operator, reference_configuration, query
) -> None:
    report = submit_report(contact_email="ana@example.org", contact_consent=True)
    services.report_contact_hide(report_id=report.pk, by=operator)
    client.force_login(admin_user)
    response = client.get(f"/admin/citizens/report/?{query}")
    assert response.status_code == 400
    assert b"ana@example.org" not in response.content


def test_other_filters_still_work(client, admin_user, reference_configuration) -> None:
    submit_report()
    client.force_login(admin_user)
    assert client.get("/admin/citizens/report/?source=web").status_code == 200  # control
