"""GTFS import: the demo archive loads whole; a bad archive changes nothing and says why."""

from __future__ import annotations

import zipfile
from pathlib import Path

from mobility import network
from mobility.models import GtfsImport, TransitRoute, TransitStop, TransitStopTime
from mobility.services.gtfs import gtfs_import


def _rewrite(
    source: Path, target: Path, *, drop: str = "", replace: dict[str, str] | None = None
) -> Path:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            if name == drop:
                continue
            text = original.read(name).decode()
            copy.writestr(name, (replace or {}).get(name, text))
    return target


def test_the_demo_network_is_imported_whole(db, tmp_path) -> None:
    result = gtfs_import(path=network.write_gtfs(tmp_path / "gtfs.zip"))
    assert result.accepted is True
    assert TransitRoute.objects.count() == len(network.LINES)
    assert TransitStop.objects.get(stop_id="DARCY").routes.count() == 4
    assert TransitStopTime.objects.count() == result.counts["stop_times"]


def test_an_archive_missing_stop_times_is_refused_and_names_the_file(db, tmp_path) -> None:
    archive = _rewrite(
        network.write_gtfs(tmp_path / "a.zip"), tmp_path / "b.zip", drop="stop_times.txt"
    )
    result = gtfs_import(path=archive)
    assert result.accepted is False
    assert result.problems == ["Required file stop_times.txt is missing."]
    assert TransitRoute.objects.count() == 0


def test_a_refused_archive_keeps_the_network_in_place(db, tmp_path) -> None:
    good = network.write_gtfs(tmp_path / "good.zip")
    gtfs_import(path=good)
    with zipfile.ZipFile(good) as original:
        stops = original.read("stops.txt").decode().replace("Darcy,47.3225,5.0356", "Darcy,,5.0356")
        stop_times = (
            original.read("stop_times.txt").decode() + "T1-0-0330,05:40:00,05:40:00,NOWHERE,99\n"
        )
    bad = _rewrite(
        good, tmp_path / "bad.zip", replace={"stops.txt": stops, "stop_times.txt": stop_times}
    )
    result = gtfs_import(path=bad)
    assert result.accepted is False
    assert any(problem.startswith("stops.txt line 4") for problem in result.problems)
    assert any("unknown stop_id NOWHERE" in problem for problem in result.problems)
    assert TransitRoute.objects.count() == len(network.LINES)
    assert TransitStop.objects.get(stop_id="DARCY").lat == 47.3225


def test_a_file_that_is_not_a_zip_is_refused(db, tmp_path) -> None:
    path = tmp_path / "x.zip"
    path.write_text("stop_id,stop_name\n")
    result = gtfs_import(path=path)
    assert result.accepted is False
    assert "not a ZIP" in result.problems[0]
    assert GtfsImport.objects.filter(accepted=False).count() == 1


def test_the_import_command_lists_the_problems_and_fails(db, tmp_path) -> None:
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    archive = _rewrite(network.write_gtfs(tmp_path / "a.zip"), tmp_path / "b.zip", drop="stops.txt")
    errors = StringIO()
    with pytest.raises(CommandError, match="network unchanged"):
        call_command("gtfs_import", str(archive), stderr=errors)
    assert "stops.txt" in errors.getvalue()
    call_command("gtfs_import", str(network.write_gtfs(tmp_path / "good.zip")), stdout=StringIO())
    assert TransitRoute.objects.count() == len(network.LINES)
