from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

import pytest

from citizens.models import Report
from incidents.models import Incident
from tests.citizens.factories import DIJON, submit_report


def parse_xml(content: bytes) -> Any:
    """The server's own answer, parsed; nothing untrusted reaches the parser here."""
    return ElementTree.fromstring(content)  # noqa: S314


def post_request(client, key: str, fmt: str = "json", **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "api_key": key,
        "jurisdiction_id": "dijon-metropole.fr",
        "service_code": "voirie-nid-de-poule",
        "lat": str(DIJON["lat"]),
        "long": str(DIJON["lon"]),
        "description": "Nid-de-poule profond devant l'école",
        "email": "app-user@example.org",
        "first_name": "Camille",
        "last_name": "Durand",
        "phone": "0600000000",
        **overrides,
    }
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_discovery_names_the_endpoint_and_its_formats(client, db) -> None:
    document = client.get("/open311/v2/discovery.json").json()
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def test_the_service_list_gives_each_category_as_a_service(client, reference_configuration) -> None:
    services = client.get("/open311/v2/services.json").json()
    by_code = {service["service_code"]: service for service in services}
    assert by_code["eclairage-panne"]["metadata"] is True
    assert by_code["eclairage-panne"]["type"] == "realtime"
    assert {"service_name", "description", "keywords", "group"} <= set(by_code["eclairage-panne"])


def test_a_service_definition_lists_its_attributes_in_xml(client, reference_configuration) -> None:
    response = client.get("/open311/v2/services/eclairage-panne.xml")
    root = parse_xml(response.content)
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert attribute.findtext("code") == "danger"
    assert attribute.findtext("datatype") == "singlevaluelist"
    assert [value.findtext("key") for value in attribute.findall("values/value")] == ["yes", "no"]


def test_an_unknown_service_is_a_404_in_the_error_format(client, reference_configuration) -> None:
    response = client.get("/open311/v2/services/no-such-thing.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": response.json()[0]["description"]}]


def test_a_post_then_get_round_trip_in_json(client, reference_configuration, open311_key) -> None:
    created = post_request(client, open311_key)
    assert created.status_code == 201
    [answer] = created.json()
    request_id = answer["service_request_id"]
    [found] = client.get(f"/open311/v2/requests/{request_id}.json", {"api_key": open311_key}).json()
    assert found["service_request_id"] == request_id
    assert found["service_code"] == "voirie-nid-de-poule"
    assert found["status"] == "open"
    assert (found["lat"], found["long"]) == (DIJON["lat"], DIJON["lon"])
    assert found["requested_datetime"][-6:] in ("+01:00", "+02:00")
    assert Incident.objects.get(reference=request_id).source == "open311"
    [by_token] = client.get(f"/open311/v2/tokens/{answer['token']}.json").json()
    assert by_token["service_request_id"] == request_id


def test_a_post_then_get_round_trip_in_xml(client, reference_configuration, open311_key) -> None:
    created = post_request(client, open311_key, fmt="xml")
    assert created.status_code == 201
    assert created["Content-Type"].startswith("text/xml")
    request_id = parse_xml(created.content).findtext("request/service_request_id")
    assert request_id
    listing = parse_xml(
        client.get("/open311/v2/requests.xml", {"service_request_id": request_id}).content
    )
    assert listing.tag == "service_requests"
    [request] = listing.findall("request")
    assert request.findtext("service_code") == "voirie-nid-de-poule"
    assert request.findtext("status") == "open"


def test_no_reporter_name_or_contact_ever_appears(
    client, reference_configuration, open311_key
) -> None:
    post_request(client, open311_key)
    for url in ("/open311/v2/requests.json", "/open311/v2/requests.xml"):
        body = client.get(url).content.decode()
        for private in ("Camille", "Durand", "app-user@example.org", "0600000000"):
            assert private not in body
    assert Report.objects.get().contact_email == "app-user@example.org"


def test_requests_are_filtered_by_service_code_status_and_dates(
    client, reference_configuration, operator
) -> None:
    from incidents.services import incident_reject

    lighting = submit_report()
    pothole = submit_report(category_code="voirie-nid-de-poule", lat=47.30)
    incident_reject(incident_id=pothole.incident_id, by=operator, reason="Privé")
    by_code = client.get("/open311/v2/requests.json", {"service_code": "eclairage-panne"}).json()
    assert [item["service_request_id"] for item in by_code] == [lighting.reference]
    closed = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [item["service_request_id"] for item in closed] == [pothole.reference]
    assert closed[0]["status_notes"] == "Privé"
    future = client.get(
        "/open311/v2/requests.json", {"start_date": "2099-01-01T00:00:00+01:00"}
    ).json()
    assert future == []


def test_a_malformed_date_is_a_400_error(client, db) -> None:
    response = client.get("/open311/v2/requests.json", {"start_date": "yesterday"})
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_a_post_without_a_valid_api_key_is_refused(
    client, reference_configuration, open311_key
) -> None:
    response = post_request(client, "wrong-key")
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    assert not Report.objects.exists()


def test_a_post_for_another_jurisdiction_is_refused(
    client, reference_configuration, open311_key
) -> None:
    response = post_request(client, open311_key, jurisdiction_id="paris.fr")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("service_code", ""),
        ("lat", "north"),
        ("lat", "48.8566"),
        ("description", "x" * 4001),
    ],
)
def test_an_invalid_post_is_a_400_error_in_xml(
    client, reference_configuration, open311_key, field: str, value: str
) -> None:
    response = post_request(client, open311_key, fmt="xml", **{field: value})
    assert response.status_code == 400
    root = parse_xml(response.content)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "400"
    assert root.findtext("error/description")


def test_the_danger_attribute_raises_the_priority(
    client, reference_configuration, open311_key
) -> None:
    post_request(client, open311_key, **{"attribute[danger]": "yes"})
    assert Incident.objects.get().priority == "high"


def test_open311_posts_are_rate_limited_per_client(
    client, settings, reference_configuration, open311_key
) -> None:
    settings.CITIZENS_RATE_LIMIT = "1/h"
    assert post_request(client, open311_key).status_code == 201
    limited = post_request(client, open311_key, lat="47.30")
    assert limited.status_code == 429
    assert json.loads(limited.content)[0]["code"] == 429


@pytest.fixture
def liberty_street(reference_configuration) -> None:  # type: ignore[no-untyped-def]
    from hypervisor.places import StreetRecord
    from hypervisor.services.places import places_set_demo_streets

    places_set_demo_streets(
        streets=[StreetRecord(commune_insee="21231", street="Rue de la Liberté", **DIJON)]
    )


def test_a_post_located_by_address_string_alone_is_accepted(
    client, liberty_street, open311_key
) -> None:
    response = post_request(
        client, open311_key, lat="", long="", address_string="rue de la liberte dijon"
    )
    assert response.status_code == 201, response.content
    incident = Report.objects.get().incident
    assert (incident.lat, incident.lon) == (DIJON["lat"], DIJON["lon"])


def test_an_address_string_the_gazetteer_does_not_know_waits_for_an_operator(
    client, liberty_street, open311_key
) -> None:
    response = post_request(client, open311_key, lat="", long="", address_string="Zzyzx Road")
    assert response.status_code == 201, response.content
    incident = Report.objects.get().incident
    assert incident.lat is None
    assert incident.address == "Zzyzx Road"


def test_a_post_with_only_an_address_id_says_what_to_send_instead(
    client, reference_configuration, open311_key
) -> None:
    response = post_request(client, open311_key, lat="", long="", address_id="ADR-42")
    assert response.status_code == 400
    assert "address_string" in response.json()[0]["description"]


def test_the_description_is_optional(client, reference_configuration, open311_key) -> None:
    response = post_request(client, open311_key, description="")
    assert response.status_code == 201, response.content
    services = client.get("/open311/v2/services.json").json()
    name = next(s["service_name"] for s in services if s["service_code"] == "voirie-nid-de-poule")
    assert Incident.objects.get().description == name


def test_a_description_of_4000_characters_is_kept_whole(
    client, reference_configuration, open311_key
) -> None:
    text = "Nid-de-poule. " * 285 + "Fin."
    assert len(text) <= 4000
    response = post_request(client, open311_key, description=text)
    assert response.status_code == 201
    assert Incident.objects.get().description == text.strip()


@pytest.mark.parametrize(
    "url",
    [
        "/open311/v2/services.json",
        "/open311/v2/services/voirie-nid-de-poule.json",
        "/open311/v2/requests.json",
    ],
)
def test_another_jurisdiction_is_refused_on_reads_as_on_posts(
    client, reference_configuration, url
) -> None:
    assert client.get(url, {"jurisdiction_id": "dijon-metropole.fr"}).status_code == 200
    response = client.get(url, {"jurisdiction_id": "paris.fr"})
    assert response.status_code == 404
    assert "paris.fr" in response.json()[0]["description"]


def test_a_comma_separated_service_code_selects_each_service(
    client, reference_configuration
) -> None:
    lamp = submit_report(category_code="eclairage-panne")
    hole = submit_report(category_code="voirie-nid-de-poule", lat=47.33, lon=5.03)
    codes = "eclairage-panne,voirie-nid-de-poule"
    found = client.get("/open311/v2/requests.json", {"service_code": codes}).json()
    assert {r["service_request_id"] for r in found} == {lamp.reference, hole.reference}
    one = client.get("/open311/v2/requests.json", {"service_code": "eclairage-panne"}).json()
    assert [r["service_request_id"] for r in one] == [lamp.reference]


def test_expected_datetime_is_left_out_rather_than_empty(client, reference_configuration) -> None:
    report = submit_report()
    (document,) = client.get(f"/open311/v2/requests/{report.reference}.json").json()
    assert "expected_datetime" not in document
    assert document["requested_datetime"]


def test_discovery_states_the_deliberate_differences(client, db) -> None:
    notes = client.get("/open311/v2/discovery.json").json()["notes"]
    assert any("address_id" in note for note in notes)
