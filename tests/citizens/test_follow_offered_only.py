"""Only an incident the form offered as the same problem can be followed.

Replays the review's attack: `POST /signaler/` with `follow=<any open incident>`
subscribed anyone to any incident, anywhere, of any category.
"""

from __future__ import annotations

from citizens.models import Follower
from tests.citizens.factories import form_data, submit_report

FAR_AWAY = {"lat": "47.2950", "lon": "5.0050"}  # Chenôve, kilometres from the incident


def test_following_an_incident_that_was_not_offered_is_refused(
    client, reference_configuration
) -> None:
    elsewhere = submit_report(category_code="voirie-nid-de-poule")
    response = client.post(
        "/signaler/",
        form_data(
            follow=str(elsewhere.incident_id),
            contact_email="curieux@example.org",
            consent="on",
            **FAR_AWAY,
        ),
    )
    assert response.status_code == 400
    assert not Follower.objects.exists()


def test_an_offered_incident_can_still_be_followed(client, reference_configuration) -> None:
    nearby = submit_report()
    response = client.post(
        "/signaler/",
        form_data(follow=str(nearby.incident_id), contact_email="a@example.org", consent="on"),
    )
    assert response.status_code == 302  # positive control
    assert Follower.objects.get().incident_id == nearby.incident_id
