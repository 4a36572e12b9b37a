"""manage.py import_inventory: a validation report, and nothing half-loaded."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lighting.models import Cabinet, LightPoint
from traffic.models import Camera

CABINETS = (
    "reference,lat,lon,circuits,meter_id\nARM-A,47.322,5.041,2,PDL1\nARM-B,47.330,5.030,1,PDL2\n"
)
POINTS = (
    "reference,cabinet,lat,lon,technology,wattage,baseline_wattage,street,street_class\n"
    "LP-1,ARM-A,47.3221,5.0411,led,45,150,rue Monge,residential\n"
    "LP-2,ARM-B,47.3301,5.0301,hps,150,,rue Berbisey,main\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cabinets_and_light_points_load_from_csv(territory, tmp_path) -> None:
    out = StringIO()
    call_command(
        "import_inventory",
        "--cabinets", str(_write(tmp_path, "c.csv", CABINETS)),
        "--light-points", str(_write(tmp_path, "p.csv", POINTS)),
        stdout=out,
    )  # fmt: skip
    assert Cabinet.objects.count() == 2
    assert LightPoint.objects.get(reference="LP-2").baseline_wattage == 150
    assert LightPoint.objects.get(reference="LP-1").commune_insee == "21231"


def test_a_bad_row_rolls_back_every_file_and_the_report_names_row_field_and_reason(
    territory, tmp_path
) -> None:
    bad_points = POINTS + "LP-3,ARM-Z,47.33,5.03,sodium,abc,,rue X,main\n"
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "import_inventory",
            "--cabinets", str(_write(tmp_path, "c.csv", CABINETS)),
            "--light-points", str(_write(tmp_path, "p.csv", bad_points)),
            stderr=err,
        )  # fmt: skip
    assert not Cabinet.objects.exists()
    assert not LightPoint.objects.exists()
    assert "p.csv\t4\tcabinet\t" in err.getvalue()


def test_a_place_outside_the_territory_is_reported(territory, tmp_path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_inventory",
            "--cabinets", str(_write(tmp_path, "c.csv", "reference,lat,lon\nARM-X,48.85,2.35\n")),
            stderr=err,
        )  # fmt: skip
    assert "c.csv\t2\tlat\t" in err.getvalue()


def test_cameras_load_from_geojson(territory, tmp_path) -> None:
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [5.0405, 47.3225]},
                "properties": {"reference": "CAM-9", "name": "place Darcy", "bearing": 180,
                               "field_of_view": 90, "kind": "ptz", "purpose": "protection"},
            }
        ],
    }  # fmt: skip
    path = _write(tmp_path, "cams.geojson", json.dumps(features))
    call_command("import_inventory", "--cameras", str(path), stdout=StringIO())
    assert Camera.objects.get().retention_days == 30


def test_a_camera_retention_above_thirty_days_is_reported(territory, tmp_path) -> None:
    text = (
        "reference,name,lat,lon,bearing,field_of_view,retention_days\nCAM-1,x,47.32,5.04,0,90,45\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_inventory", "--cameras", str(_write(tmp_path, "c.csv", text)), stderr=err
        )
    assert "c.csv\t2\tretention_days\t" in err.getvalue()
