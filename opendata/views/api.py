"""REST API under /api/v1/datasets/: metadata, paginated records, GeoJSON, CSV, Table Schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request

from opendata import datasets, filters, formats, store
from opendata.datasets import Dataset
from opendata.datasets.catalogue import ALL as ALL_DATASETS
from opendata.views import http, schemas
from opendata.views.base import OpenDataView

PAGE_DEFAULT = 100
PAGE_MAX = 1000

FILTER_DOCS = [
    OpenApiParameter(
        "commune",
        {"type": "string", "pattern": "^([0-9][0-9AB][0-9]{3})?$"},
        description="INSEE code of a commune; one outside the metropolis selects nothing.",
    ),
    OpenApiParameter(
        "category", str, description="Category; on a dataset without one, selects nothing."
    ),
    OpenApiParameter(
        "status", str, description="Operating or incident status (the dataset page lists them)."
    ),
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        description="First day, inclusive; on a dataset without dates, selects nothing.",
    ),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Last day, inclusive."),
    OpenApiParameter(
        "bbox",
        schemas.BBOX_PARAMETER,
        style="form",
        explode=False,
        description="min lon,min lat,max lon,max lat in WGS84 (spatial datasets).",
    ),
]
# The declared datasets, so that clients and schemathesis know the addresses that exist
# (one left out by ONDIJON_OPENDATA_UNPUBLISHED answers the documented 404).
DATASET_DOC = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    enum=[dataset.slug for dataset in ALL_DATASETS],
    description="Dataset identifier.",
)
SPATIAL_DATASET_DOC = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    enum=[dataset.slug for dataset in ALL_DATASETS if dataset.spatial],
    description="Identifier of a spatial dataset.",
)
CRS_DOC = OpenApiParameter(
    "crs",
    str,
    description=(
        "Output coordinates: CRS84 (default), EPSG:4326 by its URI (latitude first) or "
        "EPSG:2154 (Lambert-93). The bare code EPSG:4326 is a shorthand for CRS84."
    ),
    enum=list(filters.CRS_ALIASES),
)
ERRORS = {
    400: OpenApiResponse(
        schemas.ERROR, description="A parameter is invalid; the body names it and says why."
    ),
    404: OpenApiResponse(schemas.ERROR, description="No such dataset."),
    429: OpenApiResponse(
        schemas.ERROR,
        description=(
            "Quota exceeded (Retry-After says when to come back); an API key has a higher one."
        ),
    ),
}


def describe(dataset: Dataset, request: Request) -> dict[str, Any]:
    def link(name: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[dataset.slug]))

    return {
        "id": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "frequency": dataset.frequency,
        "spatial": dataset.spatial,
        "filters": sorted(dataset.filters),
        "columns": [
            {"name": c.name, "type": c.type, "description": str(c.description)}
            for c in dataset.columns
        ],
        "links": {
            "records": link("opendata:api-records"),
            "csv": link("opendata:api-csv"),
            "schema": link("opendata:api-schema"),
            **({"geojson": link("opendata:api-geojson")} if dataset.spatial else {}),
        },
    }


class DatasetListView(OpenDataView):
    @extend_schema(
        operation_id="datasets_list",
        summary="Published datasets",
        responses={200: OpenApiTypes.OBJECT},
        tags=["open data"],
    )
    def get(self, request: Request) -> HttpResponse:
        document = {"datasets": [describe(d, request) for d in datasets.published()]}
        content = formats.dumps(document)
        return http.send(request, http.body_of(content, store.metadata_time()), "application/json")


class DatasetDetailView(OpenDataView):
    @extend_schema(
        operation_id="datasets_detail",
        summary="One dataset's description and links",
        parameters=[DATASET_DOC],
        responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]},
        tags=["open data"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = self.dataset(slug)
        content = formats.dumps(describe(dataset, request))
        return http.send(request, http.body_of(content, store.metadata_time()), "application/json")


class RecordsView(OpenDataView):
    @extend_schema(
        operation_id="datasets_records",
        summary="Records, cursor-paginated, in identifier order",
        parameters=[
            DATASET_DOC,
            *FILTER_DOCS,
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": PAGE_DEFAULT},
                description="Records per page.",
            ),
            OpenApiParameter(
                "cursor",
                {"type": "string", "pattern": "^([A-Za-z0-9_-]{4})*([A-Za-z0-9_-]{2,3})?$"},
                description="The `next` cursor of the previous page.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["open data"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = self.dataset(slug)
        query = self.query(request)
        filters.reject_unknown(query, {*filters.FILTER_PARAMETERS, "limit", "cursor"})
        chosen = filters.parse_filters(query, dataset)
        limit = filters.parse_limit(query.get("limit"), default=PAGE_DEFAULT, maximum=PAGE_MAX)
        after = filters.decode_cursor(query.get("cursor"))
        snap = self.snapshot(dataset)
        matching = filters.apply(snap, chosen)
        if after is not None:
            start = snap.position_after(after)
            matching = [i for i in matching if i >= start]
        page = matching[:limit]
        next_url = None
        if len(matching) > limit:
            params = request.query_params.copy()
            params["cursor"] = filters.encode_cursor(snap.ids[page[-1]])
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        document = {
            "dataset": dataset.slug,
            "next": next_url,
            "results": formats.records(snap, page),
        }
        body = http.body_of(formats.dumps(document), snap.modified)
        return http.send(request, body, "application/json")


class GeoJsonView(OpenDataView):
    @extend_schema(
        operation_id="datasets_geojson",
        summary="The whole layer (or its filtered part) as one GeoJSON FeatureCollection",
        parameters=[SPATIAL_DATASET_DOC, *FILTER_DOCS, CRS_DOC],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT, **ERRORS},
        tags=["open data"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = self.dataset(slug, spatial=True)
        query = self.query(request)
        filters.reject_unknown(query, {*filters.FILTER_PARAMETERS, "crs"})
        chosen = filters.parse_filters(query, dataset)
        crs = filters.parse_crs(query.get("crs"))
        snap = self.snapshot(dataset)
        if chosen.empty:
            body = store.body(
                f"geojson:{crs}",
                snap,
                lambda: formats.geojson(snap, list(range(len(snap.ids))), crs),
            )
        else:
            matching = filters.apply(snap, chosen)
            body = http.body_of(formats.geojson(snap, matching, crs), snap.modified)
        return http.send(request, body, "application/geo+json", Content_Crs=f"<{crs}>")


class CsvView(OpenDataView):
    @extend_schema(
        operation_id="datasets_csv",
        summary="CSV (UTF-8, header row), following the dataset's Table Schema",
        parameters=[DATASET_DOC, *FILTER_DOCS],
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
        tags=["open data"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = self.dataset(slug)
        query = self.query(request)
        filters.reject_unknown(query, set(filters.FILTER_PARAMETERS))
        chosen = filters.parse_filters(query, dataset)
        snap = self.snapshot(dataset)
        if chosen.empty:
            body = store.body(
                "csv", snap, lambda: formats.csv_bytes(snap, list(range(len(snap.ids))))
            )
        else:
            matching = filters.apply(snap, chosen)
            body = http.body_of(formats.csv_bytes(snap, matching), snap.modified)
        disposition = f'attachment; filename="{dataset.slug}.csv"'
        return http.send(request, body, "text/csv; charset=utf-8", Content_Disposition=disposition)


class TableSchemaView(OpenDataView):
    @extend_schema(
        operation_id="datasets_table_schema",
        summary="Frictionless Table Schema of the CSV export",
        parameters=[DATASET_DOC],
        responses={(200, "application/schema+json"): OpenApiTypes.OBJECT, 404: ERRORS[404]},
        tags=["open data"],
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = self.dataset(slug)
        content = formats.dumps(formats.table_schema(dataset))
        return http.send(
            request, http.body_of(content, store.metadata_time()), "application/schema+json"
        )
