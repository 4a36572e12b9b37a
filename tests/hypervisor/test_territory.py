from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Point, shape

from hypervisor.models import Commune
from hypervisor.territory import TerritoryFileError, approximate_communes, parse_feature_collection

SHARED_COMMUNES = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "dijon_metropole_communes.geojson"
)


def commune_feature(insee: str, name: str, **overrides: object) -> dict:
    feature = {
        "type": "Feature",
        "properties": {"insee": insee, "nom": name, "population_municipale": 1000},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[5.0, 47.3], [5.01, 47.3], [5.01, 47.31], [5.0, 47.31], [5.0, 47.3]]],
        },
    }
    feature.update(overrides)
    return feature


def write_collection(tmp_path: Path, features: list[dict]) -> Path:
    path = tmp_path / "communes.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_a_malformed_feature_is_reported_with_its_number_and_nothing_is_loaded(
    english, db, tmp_path: Path
) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[5.0, 47.3], [5.01, 47.31], [5.01, 47.3], [5.0, 47.31], [5.0, 47.3]]],
    }
    path = write_collection(
        tmp_path,
        [commune_feature("21231", "Dijon"), commune_feature("21166", "Chenôve", geometry=bowtie)],
    )
    with pytest.raises(CommandError, match="Feature 2") as raised:
        call_command("load_territory", str(path), stdout=StringIO())
    assert "Self-intersection" in str(raised.value)
    assert Commune.objects.count() == 0


def test_a_feature_without_insee_code_is_refused(english) -> None:
    feature = commune_feature("21231", "Dijon")
    feature["properties"].pop("insee")
    with pytest.raises(TerritoryFileError, match=r"Feature 1.*INSEE"):
        parse_feature_collection({"type": "FeatureCollection", "features": [feature]})


def test_a_repeated_insee_code_is_refused(english) -> None:
    features = [commune_feature("21231", "Dijon"), commune_feature("21231", "Dijon bis")]
    with pytest.raises(TerritoryFileError, match=r"Feature 2.*21231"):
        parse_feature_collection({"type": "FeatureCollection", "features": features})


def test_a_file_that_is_not_a_feature_collection_is_refused(english, tmp_path: Path) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "Feature"}')
    with pytest.raises(CommandError, match="FeatureCollection"):
        call_command("load_territory", str(path), stdout=StringIO())


@pytest.mark.skipif(
    not SHARED_COMMUNES.exists(), reason="shared Dijon data not beside the checkout"
)
def test_the_dijon_file_loads_the_23_communes_with_their_population(db) -> None:
    call_command("load_territory", str(SHARED_COMMUNES), stdout=StringIO())
    assert Commune.objects.count() == 23
    assert Commune.objects.get(insee="21231").population == 161_830


def test_without_a_file_the_communes_are_approximated_from_the_facts_table(
    english, db, settings, tmp_path
) -> None:
    settings.TERRITORY_FILE = str(tmp_path / "absent.geojson")
    out = StringIO()
    call_command("load_territory", stdout=out)
    assert "approximate" in out.getvalue()
    assert Commune.objects.filter(approximated=True).count() == 23


def test_approximated_communes_do_not_overlap_and_contain_their_centre() -> None:
    communes = approximate_communes()
    shapes = {record.insee: shape(record.geometry) for record in communes}
    for record in communes:
        assert shapes[record.insee].covers(Point(record.label_lon, record.label_lat))
    overlaps = [
        (a, b)
        for a in shapes
        for b in shapes
        if a < b and shapes[a].intersection(shapes[b]).area > 1e-12
    ]
    assert overlaps == []


def test_loading_when_communes_exist_is_skipped_with_if_empty(territory) -> None:
    out = StringIO()
    call_command("load_territory", "--if-empty", "/nonexistent.geojson", stdout=out)
    assert "already loaded" in out.getvalue()
