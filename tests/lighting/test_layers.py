"""The lighting map layer: faults in the snapshot, the inventory by viewport."""

from __future__ import annotations

from lighting.layers import CabinetLayer, LightPointLayer
from lighting.models import LampStatus
from tests.lighting.factories import LightPointFactory

DIJON = (5.0, 47.3, 5.1, 47.4)


def test_the_snapshot_holds_only_lamps_that_are_not_normal(lamps) -> None:
    LightPointFactory(status=LampStatus.LAMP_FAILURE, reference="LP-BROKEN")
    assert [feature["id"] for feature in LightPointLayer().snapshot()] == ["LP-BROKEN"]


def test_at_street_zoom_the_tile_lists_points_compactly(lamps) -> None:
    tile = LightPointLayer().tile(bbox=DIJON, zoom=17)
    assert tile["kind"] == "points"
    assert tile["fields"][:4] == ["id", "lat", "lon", "status"]
    assert len(tile["rows"]) == 3


def test_at_city_zoom_the_tile_aggregates_on_a_grid_with_the_worst_status(lamps) -> None:
    LightPointFactory(lat=47.3201, lon=5.0401, status=LampStatus.NO_POWER)
    tile = LightPointLayer().tile(bbox=DIJON, zoom=10)
    assert tile["kind"] == "clusters"
    assert sum(row[2] for row in tile["rows"]) == 4
    assert LampStatus.NO_POWER in {row[3] for row in tile["rows"]}


def test_points_outside_the_viewport_are_left_out(lamps) -> None:
    assert LightPointLayer().tile(bbox=(4.0, 46.0, 4.1, 46.1), zoom=17)["rows"] == []


def test_a_lamp_feature_names_its_cabinet(lamps) -> None:
    feature = LightPointLayer().feature(lamps[0].reference)
    assert feature is not None
    assert lamps[0].cabinet.reference in feature["details"].values()


def test_the_cabinet_legend_lists_every_status(cabinet) -> None:
    assert set(CabinetLayer().legend) == {"ok", "power_lost", "comm_lost"}
