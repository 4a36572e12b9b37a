"""The PyPI `georeport` Open311 client (GeoReport v2, JSON and XML) against the live server."""

from __future__ import annotations

import pytest
import requests
from django.db import transaction
from georeport import GeoReport

from citizens import services

pytestmark = pytest.mark.integration

JURISDICTION = "dijon-metropole.fr"


@pytest.fixture
def endpoint(real_services, asgi_server, reference_configuration) -> str:  # type: ignore[no-untyped-def]
    return f"{asgi_server.url}/open311/v2"


def _report(category_code: str, lat: float) -> str:
    with transaction.atomic():
        report = services.report_submit(
            category_code=category_code,
            description="Signalé par téléphone",
            lat=lat,
            lon=5.0415,
            link_duplicates=False,
        )
    return report.reference


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_lists_services_and_reads_a_definition(endpoint, output_format):
    client = GeoReport(endpoint, jurisdiction=JURISDICTION, output_format=output_format)
    services_list = client.get_service_list()
    codes = [service["service_code"] for service in services_list]
    assert "voirie-nid-de-poule" in codes
    definition = client.get_service_definition("voirie-nid-de-poule")
    assert definition["service_code"] == "voirie-nid-de-poule"


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_client_filters_on_several_service_codes(endpoint, output_format):
    lamp = _report("eclairage-panne", 47.322)
    hole = _report("voirie-nid-de-poule", 47.33)
    _report("proprete-depot", 47.34)
    client = GeoReport(endpoint, jurisdiction=JURISDICTION, output_format=output_format)
    found = client.get_service_requests(service_code="eclairage-panne,voirie-nid-de-poule")
    found = found if isinstance(found, list) else [found]
    assert {r["service_request_id"] for r in found} == {lamp, hole}
    single = client.get_service_request(lamp)
    assert single["service_request_id"] == lamp
    assert "expected_datetime" not in single


def test_the_client_is_refused_for_another_jurisdiction(endpoint):
    with pytest.raises(requests.HTTPError) as refused:
        GeoReport(endpoint, jurisdiction="paris.fr").get_service_list()
    assert refused.value.response.status_code == 404
