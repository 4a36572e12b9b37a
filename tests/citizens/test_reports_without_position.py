"""Reports without a position: located from their address or commune, else queued to locate."""

from __future__ import annotations

import pytest

from citizens.models import Report
from hypervisor.places import AddressRecord
from hypervisor.services import places_load_addresses
from incidents.models import Incident, LocatedBy
from tests.citizens.test_open311 import post_request

pytestmark = pytest.mark.django_db


def _liberte() -> None:
    places_load_addresses(
        records=[
            AddressRecord(
                line=1,
                commune_insee="21231",
                street="Rue de la Liberté",
                number=12,
                suffix="",
                postcode="21000",
                lat=47.32205,
                lon=5.03810,
            )
        ]
    )


def _phone_report(client, teleoperator, **fields: str):  # type: ignore[no-untyped-def]
    client.force_login(teleoperator)
    return client.post(
        "/portail/",
        {
            "action": "report",
            "category": "eclairage-panne",
            "description": "Lampadaire éteint signalé par téléphone",
            **fields,
        },
    )


def test_a_phone_report_with_an_address_is_located_from_it(
    client, teleoperator, reference_configuration
) -> None:
    _liberte()
    assert _phone_report(client, teleoperator, address="12 rue de la Liberté").status_code == 302
    incident = Incident.objects.get()
    assert incident.located_by == LocatedBy.ADDRESS
    assert (incident.lat, incident.lon) == (47.32205, 5.03810)
    assert Report.objects.get().lat == 47.32205


def test_a_phone_report_with_only_a_commune_is_placed_at_the_commune(
    client, teleoperator, reference_configuration
) -> None:
    _phone_report(client, teleoperator, place="Chenôve")
    incident = Incident.objects.get()
    assert incident.located_by == LocatedBy.COMMUNE
    assert incident.lat is not None


def test_a_phone_report_at_a_place_nobody_knows_waits_to_be_located(
    client, teleoperator, reference_configuration
) -> None:
    response = _phone_report(client, teleoperator, address="derrière le vieux lavoir")
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.lat is None
    assert incident.located_by == LocatedBy.NOWHERE


def test_an_open311_request_with_an_address_only_is_accepted_and_located(
    client, reference_configuration, settings
) -> None:
    _liberte()
    settings.OPEN311_API_KEYS = ["cle-test"]
    response = post_request(
        client, "cle-test", lat="", long="", address_string="12 rue de la Liberté"
    )
    assert response.status_code == 201, response.content
    incident = Incident.objects.get()
    assert incident.located_by == LocatedBy.ADDRESS
    assert incident.address == "12 rue de la Liberté"


def test_an_open311_request_without_any_location_is_refused(
    client, reference_configuration, settings
) -> None:
    settings.OPEN311_API_KEYS = ["cle-test"]
    response = post_request(client, "cle-test", lat="", long="")
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_the_staff_incident_detail_counts_reports_and_followers(
    client, teleoperator, reference_configuration
) -> None:
    from incidents import selectors as incident_selectors

    _phone_report(client, teleoperator, place="Chenôve")
    incident = Incident.objects.get()
    detail = incident_selectors.incident_detail(incident_id=incident.pk)
    [section] = [s for s in detail["sections"] if s["key"] == "citizen-reports"]
    assert section["data"]["reports"] == 1
    assert section["data"]["followers"] == 0
