"""The traffic demo: real red-light camera sites first, generated ones when data is absent."""

from __future__ import annotations

import json
import random

from traffic import demo
from traffic.models import Bollard, Camera, Crossroad


def _seed() -> None:
    demo.seed_traffic(rng=random.Random(1), log=lambda _message: None)


def test_the_demo_has_180_crossroads_115_cameras_and_60_bollards(
    territory, settings, tmp_path
) -> None:
    settings.REFERENCE_DATA_DIR = tmp_path
    _seed()
    assert Crossroad.objects.count() == 180
    assert Camera.objects.count() == 115
    assert Bollard.objects.count() == 60


def test_real_red_light_camera_sites_become_the_first_crossroads(
    territory, settings, tmp_path
) -> None:
    site = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [5.06105, 47.33623]},
        "properties": {"radar_id": "FE121004", "type_controle": "feu_rouge",
                       "insee_commune": "21231", "direction": "Dijon vers Langres"},
    }  # fmt: skip
    speed = {**site, "properties": {**site["properties"], "type_controle": "vitesse"}}
    (tmp_path / demo.RADARS_FILE).write_text(
        json.dumps({"type": "FeatureCollection", "features": [site, speed]})
    )
    settings.REFERENCE_DATA_DIR = tmp_path
    _seed()
    first = Crossroad.objects.get(reference="CAR-001")
    assert (first.lat, first.lon) == (47.33623, 5.06105)
    assert first.controller_id == "CTRL-FE121004"
    assert Crossroad.objects.count() == 180
