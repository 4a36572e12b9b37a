"""The inventory rows the open-data light layer is read from."""

from __future__ import annotations

from lighting import selectors
from lighting.models import LampStatus, StreetClass, Technology
from tests.lighting.factories import CabinetFactory, LightPointFactory


def test_a_row_holds_the_inventory_and_status_of_a_light_point(db):
    cabinet = CabinetFactory(reference="ARM-9")
    LightPointFactory(
        reference="LP-1", cabinet=cabinet, lat=47.3, lon=5.0, commune_insee="21231",
        street="rue Musette", street_class=StreetClass.PEDESTRIAN, technology=Technology.HPS,
        wattage=150, status=LampStatus.LAMP_FAILURE, level=0,
    )  # fmt: skip
    assert selectors.light_point_rows() == [
        ("LP-1", 47.3, 5.0, "21231", "rue Musette", "pedestrian", "hps", 150, "ARM-9",
         "lamp_failed", 0)
    ]  # fmt: skip
    assert len(selectors.LIGHT_POINT_ROW_FIELDS) == 11


def test_rows_can_be_limited_to_a_commune_or_a_bounding_box(db):
    LightPointFactory(reference="LP-DIJON", commune_insee="21231", lat=47.32, lon=5.04)
    LightPointFactory(reference="LP-TALANT", commune_insee="21617", lat=47.34, lon=4.99)
    by_commune = selectors.light_point_rows(commune_insee="21617")
    in_box = selectors.light_point_rows(bbox=(5.03, 47.31, 5.05, 47.33))
    assert [row[0] for row in by_commune] == ["LP-TALANT"]
    assert [row[0] for row in in_box] == ["LP-DIJON"]


def test_the_vocabularies_list_every_coded_value(db):
    vocabularies = selectors.light_point_vocabularies()
    assert set(vocabularies["status"]) == set(LampStatus.values)
    assert set(vocabularies["technology"]) == set(Technology.values)
    assert set(vocabularies["street_class"]) == set(StreetClass.values)
