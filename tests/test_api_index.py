"""`/api/` answers a JSON index of the interfaces; the home page links to the open data."""

from __future__ import annotations


def test_the_api_root_answers_a_json_index_of_the_interfaces(client, db) -> None:
    response = client.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    hrefs = [link["href"] for link in response.json()["links"]]
    assert "http://testserver/api/schema/" in hrefs
    assert "http://testserver/ogcapi/" in hrefs
    assert "http://testserver/open311/v2/discovery.json" in hrefs


def test_every_link_of_the_index_answers(client, db) -> None:
    for link in client.get("/api/").json()["links"]:
        if link["rel"] in ("service-desc", "service-doc", "data"):
            assert client.get(link["href"]).status_code == 200, link["href"]


def test_the_public_home_page_links_to_the_open_data(client, db) -> None:
    page = client.get("/").content.decode()
    assert 'href="/opendata/"' in page
