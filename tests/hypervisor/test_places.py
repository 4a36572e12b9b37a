"""The gazetteer: loading Base Adresse Nationale files and searching streets and addresses."""

from __future__ import annotations

import gzip
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hypervisor import selectors, services
from hypervisor.models import Place
from hypervisor.places import StreetRecord, search_text

EXTRACT = Path(__file__).parent / "data" / "adresses-21-extract.csv"


def _load(path: Path = EXTRACT) -> str:
    out = StringIO()
    call_command("load_addresses", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def _labels(query: str) -> list[str]:
    return [place["label"] for place in selectors.place_search(query=query)]


def _broken_copy(tmp_path: Path, line: int, find: str, replace: str) -> Path:
    lines = EXTRACT.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = lines[line - 1].replace(find, replace)
    broken = tmp_path / "adresses-21.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broken


def test_search_text_ignores_case_accents_and_punctuation() -> None:
    assert search_text("Rue d'Auxonne") == "rue d auxonne"
    assert search_text("  Chenôve – Œuvre ") == "chenove oeuvre"


def test_the_territorys_addresses_and_their_streets_are_loaded(territory) -> None:
    output = _load()
    assert "10 addresses and 7 streets" in output
    assert "rows of other communes skipped: 1" in output
    assert not Place.objects.filter(commune__insee="21054").exists()
    assert Place.objects.filter(label="12 bis Rue Monge, Dijon", number=12).exists()


def test_a_street_stands_at_the_centre_of_its_numbers(territory) -> None:
    _load()
    street = Place.objects.get(label="Rue de la Liberté, Dijon")
    assert street.housenumber == ""
    assert street.lat == pytest.approx((47.32225 + 47.32221) / 2, abs=1e-6)


def test_a_place_named_without_a_number_is_a_street_level_place(territory) -> None:
    _load()
    place = Place.objects.get(street="Les Grésilles")
    assert (place.housenumber, place.number) == ("", None)


def test_loading_again_replaces_the_addresses(territory) -> None:
    _load()
    count = Place.objects.count()
    _load()
    assert Place.objects.count() == count


def test_a_gzipped_file_is_read_as_well(territory, tmp_path) -> None:
    packed = tmp_path / "adresses-21.csv.gz"
    with EXTRACT.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    assert "10 addresses" in _load(packed)


def test_a_bad_row_loads_nothing_and_names_its_line(territory, tmp_path) -> None:
    _load()
    before = set(Place.objects.values_list("label", flat=True))
    broken = _broken_copy(tmp_path, 5, ";47.31899;", ";quarante-sept;")
    errors = StringIO()
    with pytest.raises(CommandError, match="1 rows refused: nothing was loaded"):
        call_command("load_addresses", str(broken), stdout=StringIO(), stderr=errors)
    assert "line 5: lat/lon 'quarante-sept'" in errors.getvalue()
    assert set(Place.objects.values_list("label", flat=True)) == before


def test_a_file_without_the_ban_columns_is_refused_on_line_one(territory, tmp_path) -> None:
    other = tmp_path / "communes.csv"
    other.write_text("insee,nom\n21231,Dijon\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: not a BAN addresses file"):
        _load(other)
    assert not Place.objects.exists()


def test_addresses_need_the_territory_first(db) -> None:
    with pytest.raises(CommandError, match="load_territory"):
        _load()


def test_search_ignores_accents_and_case(territory) -> None:
    _load()
    assert _labels("LIBERTE")[0] == "Rue de la Liberté, Dijon"


def test_search_finds_words_in_any_order(territory) -> None:
    _load()
    assert _labels("monge 12")[0] == "12 bis Rue Monge, Dijon"
    assert _labels("dijon liberte")[0] == "Rue de la Liberté, Dijon"


def test_a_street_comes_before_its_numbers(territory) -> None:
    _load()
    assert _labels("rue monge") == [
        "Rue Monge, Dijon",
        "1 Rue Monge, Dijon",
        "2 Rue Monge, Dijon",
        "12 bis Rue Monge, Dijon",
        "20 Rue Monge, Dijon",
    ]


def test_a_result_carries_its_point_and_kind(territory) -> None:
    _load()
    result = selectors.place_search(query="1 place francois rude")[0]
    assert (result["label"], result["kind"]) == ("1 Place François Rude, Dijon", "address")
    assert (result["lat"], result["lon"]) == (pytest.approx(47.32213), pytest.approx(5.03972))


def test_at_most_ten_results(territory) -> None:
    services.places_set_demo_streets(
        streets=[
            StreetRecord(commune_insee="21231", street=f"Rue du Test {n}", lat=47.32, lon=5.04)
            for n in range(15)
        ]
    )
    assert len(selectors.place_search(query="rue du test")) == 10


def test_communes_answer_when_no_address_is_loaded(territory) -> None:
    results = selectors.place_search(query="chenove")
    assert [(result["label"], result["kind"]) for result in results] == [("Chenôve", "commune")]


def test_a_matching_commune_comes_before_its_streets(territory) -> None:
    _load()
    assert _labels("talant")[:2] == ["Talant", "Rue Notre-Dame, Talant"]


def test_a_single_letter_finds_nothing(territory) -> None:
    _load()
    assert selectors.place_search(query="r") == []


def test_demo_streets_are_replaced_not_added(territory) -> None:
    street = StreetRecord(commune_insee="21231", street="rue Monge", lat=47.32, lon=5.04)
    services.places_set_demo_streets(streets=[street])
    services.places_set_demo_streets(streets=[street])
    assert Place.objects.filter(source=Place.Source.DEMO).count() == 1


def test_a_street_outside_the_territory_is_refused(territory) -> None:
    with pytest.raises(ValueError, match="21054"):
        services.places_set_demo_streets(
            streets=[StreetRecord(commune_insee="21054", street="Rue d'Alsace", lat=47, lon=4.8)]
        )
