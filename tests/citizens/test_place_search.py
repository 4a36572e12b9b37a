"""The report form's address search: a public, rate-limited JSON endpoint and its box."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from hypervisor import services as hypervisor_services

EXTRACT = Path(__file__).parent.parent / "hypervisor" / "data" / "adresses-21-extract.csv"


def _addresses() -> None:
    call_command("load_addresses", str(EXTRACT), stdout=StringIO())


def test_typing_part_of_an_address_returns_matching_places_with_their_points(
    client, territory
) -> None:
    _addresses()
    response = client.get("/signaler/adresses/", {"q": "12 rue monge"})
    assert response.status_code == 200
    [first, *_rest] = response.json()["results"]
    assert first["label"] == "12 bis Rue Monge, Dijon"
    assert first["kind"] == "address"
    assert round(first["lat"], 4) == 47.3192


def test_the_answer_never_holds_more_than_ten_places(client, territory) -> None:
    hypervisor_services.places_set_demo_streets(
        streets=[
            hypervisor_services.StreetRecord(
                commune_insee="21231", street=f"Allée {n}", lat=47.32, lon=5.04
            )
            for n in range(25)
        ]
    )
    assert len(client.get("/signaler/adresses/", {"q": "allee"}).json()["results"]) == 10


def test_without_addresses_the_communes_answer(client, territory) -> None:
    results = client.get("/signaler/adresses/", {"q": "fontaine"}).json()["results"]
    assert [(place["label"], place["kind"]) for place in results] == [
        ("Fontaine-lès-Dijon", "commune")
    ]


def test_a_client_searching_too_fast_is_told_to_wait(client, territory, settings) -> None:
    settings.CITIZENS_PLACE_SEARCH_RATE = "2/m"
    for _search in range(2):
        assert client.get("/signaler/adresses/", {"q": "dijon"}).status_code == 200
    response = client.get("/signaler/adresses/", {"q": "dijon"})
    assert response.status_code == 429
    assert response.json()["error"]


def test_the_form_offers_an_accessible_search_box(client, reference_configuration) -> None:
    page = client.get("/signaler/").content.decode()
    assert 'role="combobox"' in page
    assert 'aria-controls="place-results"' in page
    assert 'role="listbox"' in page
    assert 'data-url="/signaler/adresses/"' in page
