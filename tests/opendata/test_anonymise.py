"""The anonymisation rules, as properties over any table of incidents."""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from opendata import anonymise
from opendata.anonymise import OTHER_CATEGORY, Record

records = st.builds(
    Record,
    source_id=st.uuids().map(str),
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    commune_insee=st.sampled_from(["21231", "21166", "21355"]),
    category=st.sampled_from(["lampe", "nid-de-poule", "tag", "arbre"]),
    status=st.sampled_from(["new", "resolved"]),
    lat=st.floats(min_value=47.22, max_value=47.39),
    lon=st.floats(min_value=4.90, max_value=5.20),
)


def publish(rows: list[Record], k: int) -> list[anonymise.Row]:
    return anonymise.publishable(rows, k=k, mode=anonymise.GRID, grid_m=250, centroids={})


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=60), st.integers(min_value=2, max_value=8))
def test_every_published_cell_holds_at_least_k_incidents(rows, k):
    published = publish(rows, k)
    sizes = Counter(anonymise.cell_of(row) for row in published)
    assert all(size >= k for size in sizes.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=60), st.integers(min_value=2, max_value=8))
def test_a_category_is_published_only_when_its_whole_cell_reaches_k(rows, k):
    published = publish(rows, k)
    source = Counter((r.commune_insee, r.day.isoformat()[:7], r.category) for r in rows)
    for row in published:
        if row.category != OTHER_CATEGORY:
            assert source[anonymise.cell_of(row)] >= k


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=60), st.integers(min_value=2, max_value=8))
def test_exactly_the_incidents_of_small_merged_cells_are_withheld(rows, k):
    def cell(r: Record) -> tuple[str, str, str]:
        return (r.commune_insee, r.day.isoformat()[:7], r.category)

    sizes = Counter(cell(r) for r in rows)
    merged = Counter(cell(r)[:2] for r in rows if sizes[cell(r)] < k)
    expected = {
        anonymise.stable_id("incident", r.source_id)
        for r in rows
        if sizes[cell(r)] >= k or merged[cell(r)[:2]] >= k
    }
    assert {row.id for row in publish(rows, k)} == expected


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=47.22, max_value=47.39),
    st.floats(min_value=4.90, max_value=5.20),
    st.sampled_from([100, 250, 500]),
)
def test_a_coarsened_location_stays_within_half_a_cell_diagonal(lat, lon, grid_m):
    out_lon, out_lat = anonymise.snap_to_grid(lat=lat, lon=lon, grid_m=grid_m)
    dy = (out_lat - lat) * 111_320
    dx = (out_lon - lon) * 111_320 * math.cos(math.radians(lat))
    assert math.hypot(dx, dy) <= grid_m * math.sqrt(2) / 2 + 2


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=47.22, max_value=47.39),
    st.floats(min_value=4.90, max_value=5.20),
)
def test_points_in_the_same_cell_are_published_at_the_same_place(lat, lon):
    first = anonymise.snap_to_grid(lat=lat, lon=lon, grid_m=250)
    again = anonymise.snap_to_grid(lat=first[1], lon=first[0], grid_m=250)
    assert first == again


def test_commune_mode_places_every_incident_at_its_commune_centre():
    row = Record("1", date(2026, 3, 4), "21231", "lampe", "new", 47.33, 5.05)
    published = anonymise.coarsen(
        row, mode=anonymise.COMMUNE, grid_m=250, centroids={"21231": (5.04, 47.32)}
    )
    assert (published.lon, published.lat, published.day) == (5.04, 47.32, "2026-03-04")


def test_identifiers_are_stable_and_cannot_be_rebuilt_without_the_secret(settings):
    first = anonymise.stable_id("incident", "42")
    assert first == anonymise.stable_id("incident", "42")
    assert first != hashlib.sha256(b"incident\x1f42").hexdigest()[:16]
    settings.SECRET_KEY = "another secret"
    assert anonymise.stable_id("incident", "42") != first


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=47.22, max_value=47.39), st.floats(min_value=4.90, max_value=5.20)
        ),
        max_size=30,
    )
)
def test_snapping_a_whole_table_places_each_point_as_snapping_it_alone(points):
    table = anonymise.snap_all([lat for lat, _ in points], [lon for _, lon in points], grid_m=250)
    assert table == [anonymise.snap_to_grid(lat=lat, lon=lon, grid_m=250) for lat, lon in points]


count_cells = st.lists(
    st.builds(
        anonymise.CountCell,
        group=st.tuples(
            st.sampled_from(["2026-01", "2026-02"]), st.sampled_from(["eau", "voirie"])
        ),
        detail=st.sampled_from(["emergency", "high", "normal", "low"]),
        counts=st.tuples(st.integers(0, 9), st.integers(0, 9)),
    ),
    max_size=16,
    unique_by=lambda cell: (cell.group, cell.detail),
)


@settings(max_examples=100, deadline=None)
@given(count_cells, st.integers(min_value=2, max_value=8))
def test_every_published_count_cell_counts_at_least_k_incidents(cells, k):
    assert all(cell.total >= k for cell in anonymise.threshold_counts(cells, k=k))


@settings(max_examples=100, deadline=None)
@given(count_cells, st.integers(min_value=2, max_value=8))
def test_small_count_cells_are_summed_per_group_or_withheld(cells, k):
    published = anonymise.threshold_counts(cells, k=k)
    large = [cell for cell in cells if cell.total >= k]
    assert [cell for cell in published if cell.detail != OTHER_CATEGORY] == large
    small: dict[tuple[str, ...], list[int]] = {}
    for cell in cells:
        if cell.total < k:
            sums = small.setdefault(cell.group, [0, 0])
            sums[0] += cell.counts[0]
            sums[1] += cell.counts[1]
    merged = {cell.group: list(cell.counts) for cell in published if cell.detail == OTHER_CATEGORY}
    assert merged == {group: sums for group, sums in small.items() if sum(sums) >= k}
