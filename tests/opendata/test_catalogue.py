"""The catalogue page, the DCAT-AP catalogue and the self-service key request."""

from __future__ import annotations

import json

from django.urls import reverse
from rdflib import RDF, Graph
from rdflib.namespace import DCAT, DCTERMS

from opendata import datasets
from opendata.models import ApiKey


def test_the_catalogue_page_lists_every_dataset_with_its_downloads(api, db):
    page = api.get("/opendata/").content.decode()
    for dataset in datasets.published():
        assert f'id="{dataset.slug}"' in page
        assert reverse("opendata:api-csv", args=[dataset.slug]) in page
        assert reverse("opendata:api-schema", args=[dataset.slug]) in page
    assert "Licence Ouverte 2.0" in page


def test_the_catalogue_page_speaks_french_first(api, db):
    page = api.get("/opendata/").content.decode()
    assert '<html lang="fr"' in page
    assert "Données ouvertes" in page


def test_an_unpublished_dataset_disappears_everywhere(api, db, settings):
    settings.OPENDATA_UNPUBLISHED = ["cameras"]
    assert 'id="cameras"' not in api.get("/opendata/").content.decode()
    assert api.get("/api/v1/datasets/cameras/csv/").status_code == 404
    assert api.get("/ogcapi/collections/cameras/items").status_code == 404
    assert "/cameras/" not in api.get("/opendata/catalog.ttl").content.decode()


def _graph(api, url: str, rdf_format: str) -> Graph:
    return Graph().parse(data=api.get(url).content.decode(), format=rdf_format)


def test_the_dcat_catalogue_describes_every_dataset_in_json_ld_and_turtle(api, db):
    for url, rdf_format in (
        ("/opendata/catalog.jsonld", "json-ld"),
        ("/opendata/catalog.ttl", "turtle"),
    ):
        graph = _graph(api, url, rdf_format)
        described = set(graph.subjects(RDF.type, DCAT.Dataset))
        assert len(described) == len(datasets.published())
        for dataset in described:
            assert graph.value(dataset, DCTERMS.title) is not None
            distributions = list(graph.objects(dataset, DCAT.distribution))
            assert distributions
            for distribution in distributions:
                assert graph.value(distribution, DCAT.accessURL) is not None
                assert graph.value(distribution, DCTERMS.license) is not None


def test_the_json_ld_catalogue_has_the_json_ld_media_type(api, db):
    response = api.get("/opendata/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content)


def test_a_visitor_gets_an_api_key_at_once_and_only_its_hash_is_kept(api, db):
    response = api.post(
        "/opendata/cle-api/", {"name": "Carto libre", "email": "dev@example.org", "purpose": "SIG"}
    )
    key = response.context["issued"]
    assert key
    assert key in response.content.decode()
    stored = ApiKey.objects.get()
    assert key not in (stored.key_hash, stored.prefix)
    assert api.get("/api/v1/datasets/", HTTP_X_API_KEY=key).status_code == 200


def test_a_key_request_without_an_email_is_refused(api, db):
    response = api.post("/opendata/cle-api/", {"name": "Carto libre", "email": ""})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_key_requests_are_limited_per_address(api, db, settings):
    settings.OPENDATA_KEY_REQUEST_RATE = "2/h"
    codes = [
        api.post("/opendata/cle-api/", {"name": "X", "email": f"a{n}@example.org"}).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_each_dataset_has_a_page_with_its_columns_filters_and_first_rows(api, light_points):
    page = api.get("/opendata/light-points/").content.decode()
    assert "LP-OD-000" in page
    assert "LP-OD-009" in page
    assert "LP-OD-010" not in page
    assert "<code>street_class</code>" in page
    assert "<code>lamp_failed</code>" in page
    assert "?status=ok" in page
    assert "?commune=21231" in page
    assert reverse("opendata:api-geojson", args=["light-points"]) in page


def test_the_catalogue_links_each_dataset_to_its_page(api, db):
    page = api.get("/opendata/").content.decode()
    for dataset in datasets.published():
        assert f'href="{reverse("opendata:dataset", args=[dataset.slug])}"' in page


def test_an_unknown_or_unpublished_dataset_page_is_a_404(api, db, settings):
    assert api.get("/opendata/no-such-thing/").status_code == 404
    settings.OPENDATA_UNPUBLISHED = ["cameras"]
    assert api.get("/opendata/cameras/").status_code == 404


def test_an_empty_key_request_past_the_limit_is_told_to_wait(api, db, settings):
    settings.OPENDATA_KEY_REQUEST_RATE = "1/h"
    api.post("/opendata/cle-api/", {})
    assert api.post("/opendata/cle-api/", {}).status_code == 429
