"""OGC API – Features (Part 1 core and GeoJSON, Part 2 CRS) over the spatial datasets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from pyproj import Transformer
from rest_framework.request import Request

from opendata import datasets, filters, formats, store
from opendata.datasets import Dataset
from opendata.views import http, schemas
from opendata.views.api import CRS_DOC, ERRORS, SPATIAL_DATASET_DOC
from opendata.views.base import OpenDataView, UnknownDataset

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
JSON = "application/json"
GEOJSON = "application/geo+json"
# A client that sends no limit gets a page worth a request; one that asks for more than the
# maximum gets the maximum (/req/core/fc-limit-response-1). Both are in the OpenAPI document,
# where clients that plan their paging read them.
ITEMS_DEFAULT = 100
ITEMS_MAX = 10_000
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
# The territory's extent, declared for clients that zoom to a collection before reading it.
TERRITORY_BBOX = [4.89637, 47.21949, 5.20611, 47.3977]
_FROM_L93 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
CRS_LIST = list(filters.SUPPORTED_CRS)
OGC_TAGS = ["OGC API - Features"]


def _url(request: Request, name: str, *args: str) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _link(href: str, rel: str, type_: str, title: str = "") -> dict[str, str]:
    return {"href": href, "rel": rel, "type": type_, **({"title": title} if title else {})}


def _spatial(slug: str) -> Dataset:
    dataset = datasets.get(slug)
    if dataset is None or not dataset.spatial:
        raise UnknownDataset(slug)
    return dataset


def collection(dataset: Dataset, request: Request) -> dict[str, Any]:
    return {
        "id": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [TERRITORY_BBOX], "crs": filters.CRS84}},
        "crs": CRS_LIST,
        "storageCrs": filters.CRS84,
        "links": [
            _link(_url(request, "opendata:ogc-collection", dataset.slug), "self", JSON),
            _link(_url(request, "opendata:ogc-items", dataset.slug), "items", GEOJSON),
            _link(_url(request, "opendata:api-csv", dataset.slug), "alternate", "text/csv"),
        ],
    }


def _json(request: Request, document: dict[str, Any], content_type: str = JSON) -> HttpResponse:
    return http.send(
        request, http.body_of(formats.dumps(document), store.metadata_time()), content_type
    )


class LandingView(OpenDataView):
    @extend_schema(
        operation_id="ogc_landing",
        summary="Landing page",
        responses={200: schemas.LANDING},
        tags=OGC_TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        return _json(
            request,
            {
                "title": f"{settings.OPENDATA_PUBLISHER} — OGC API Features",
                "description": "Open data of the metropolis for GIS tools.",
                "links": [
                    _link(_url(request, "opendata:ogc-landing"), "self", JSON),
                    # The schema view answers YAML unless asked for JSON: the address asks.
                    _link(
                        _url(request, "api-schema") + "?format=json", "service-desc", OPENAPI_JSON
                    ),
                    _link(_url(request, "api-docs"), "service-doc", "text/html"),
                    _link(_url(request, "opendata:ogc-conformance"), "conformance", JSON),
                    _link(_url(request, "opendata:ogc-collections"), "data", JSON),
                ],
            },
        )


class ConformanceView(OpenDataView):
    @extend_schema(
        operation_id="ogc_conformance",
        summary="Conformance classes",
        responses={200: schemas.CONFORMANCE},
        tags=OGC_TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        return _json(request, {"conformsTo": CONFORMANCE})


class CollectionsView(OpenDataView):
    @extend_schema(
        operation_id="ogc_collections",
        summary="Feature collections",
        responses={200: schemas.COLLECTIONS},
        tags=OGC_TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        return _json(
            request,
            {
                "links": [_link(_url(request, "opendata:ogc-collections"), "self", JSON)],
                "crs": CRS_LIST,
                "collections": [collection(d, request) for d in datasets.published() if d.spatial],
            },
        )


class CollectionView(OpenDataView):
    @extend_schema(
        operation_id="ogc_collection",
        summary="One feature collection",
        parameters=[SPATIAL_DATASET_DOC],
        responses={200: schemas.COLLECTION, 404: ERRORS[404], 429: ERRORS[429]},
        tags=OGC_TAGS,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        return _json(request, collection(_spatial(slug), request))


def _bbox(query: dict[str, str]) -> tuple[float, float, float, float] | None:
    raw = query.get("bbox")
    bbox_crs = filters.parse_crs(query.get("bbox-crs"), "bbox-crs")
    if raw is None:
        return None
    if raw == "":
        raise filters.BadParameter("bbox", _("must not be empty"))
    if bbox_crs == filters.CRS84:
        return filters.parse_bbox(raw)
    try:
        numbers = [float(p) for p in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        return filters.parse_bbox(raw)  # the same refusal, worded once
    first_1, second_1, first_2, second_2 = numbers
    if bbox_crs == filters.WGS84_LAT_LON:  # latitude first
        return filters.parse_bbox(f"{second_1},{first_1},{second_2},{first_2}")
    (lon1, lon2), (lat1, lat2) = _FROM_L93.transform([first_1, first_2], [second_1, second_2])
    return filters.parse_bbox(f"{lon1},{lat1},{lon2},{lat2}")


def _datetime(dataset: Dataset, query: dict[str, str]) -> tuple[str | None, str | None]:
    """Collections with a date filter on it; the others accept and ignore it
    (/req/core/fc-time-definition)."""
    days = filters.parse_datetime(query.get("datetime"))
    if days is None or dataset.date_column is None:
        return None, None
    return days


BBOX_DOC = OpenApiParameter(
    "bbox",
    schemas.BBOX_PARAMETER,
    style="form",
    explode=False,
    description=(
        "min lon,min lat,max lon,max lat (or six numbers with heights) in bbox-crs; a west "
        "edge east of the east edge crosses the antimeridian."
    ),
)
BBOX_CRS_DOC = OpenApiParameter(
    "bbox-crs",
    str,
    enum=list(filters.CRS_ALIASES),
    description="CRS of bbox (default CRS84).",
)
LIMIT_DOC = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": ITEMS_MAX, "default": ITEMS_DEFAULT},
    style="form",
    explode=False,
    description=f"Features per page; above {ITEMS_MAX} the server serves {ITEMS_MAX}.",
)
OFFSET_DOC = OpenApiParameter(
    "offset", {"type": "integer", "minimum": 0, "default": 0}, description="Features to skip."
)
# Calendar days (29 February aside, which the server also accepts in leap years).
_DAY = (
    r"(19|20)[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
)
_TIME = (
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?"
)
_END = f"({_DAY}{_TIME}|\\.\\.)?"
DATETIME_PATTERN = f"^({_DAY}{_TIME}|{_END}/{_END})$"
DATETIME_DOC = OpenApiParameter(
    "datetime",
    {"type": "string", "pattern": DATETIME_PATTERN},
    description=(
        "An RFC 3339 date-time or date, or an interval start/end with `..` for an open end. "
        "Collections with a date (incidents) filter on its day; the others ignore it."
    ),
)
GEOJSON_ERRORS = {
    400: ERRORS[400],
    404: ERRORS[404],
    429: ERRORS[429],
}


class ItemsView(OpenDataView):
    @extend_schema(
        operation_id="ogc_items",
        summary="Features of a collection",
        parameters=[
            SPATIAL_DATASET_DOC,
            BBOX_DOC,
            BBOX_CRS_DOC,
            DATETIME_DOC,
            LIMIT_DOC,
            OFFSET_DOC,
            CRS_DOC,
        ],
        responses={
            (200, GEOJSON): OpenApiResponse(schemas.FEATURE_COLLECTION, "A page of features."),
            **GEOJSON_ERRORS,
        },
        tags=OGC_TAGS,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = _spatial(slug)
        query = self.query(request)
        filters.reject_unknown(
            query, {"bbox", "bbox-crs", "datetime", "limit", "offset", "crs", "f"}
        )
        first_day, last_day = _datetime(dataset, query)
        chosen = filters.Filters(bbox=_bbox(query), date_from=first_day, date_to=last_day)
        limit = filters.parse_limit(
            query.get("limit"), default=ITEMS_DEFAULT, maximum=ITEMS_MAX, serve_maximum=True
        )
        offset = filters.parse_offset(query.get("offset"))
        crs = filters.parse_crs(query.get("crs"))
        snap = self.snapshot(dataset)
        matching = filters.apply(snap, chosen)
        page = matching[offset : offset + limit]
        self_url = request.build_absolute_uri()
        links = [
            _link(self_url, "self", GEOJSON),
            _link(_url(request, "opendata:ogc-collection", slug), "collection", JSON),
        ]
        if offset + limit < len(matching):
            params = request.query_params.copy()
            params["offset"] = str(offset + limit)
            params["limit"] = str(limit)
            links.append(
                _link(
                    request.build_absolute_uri(f"{request.path}?{params.urlencode()}"),
                    "next",
                    GEOJSON,
                )
            )
        content = formats.geojson(
            snap,
            page,
            crs,
            numberMatched=len(matching),
            numberReturned=len(page),
            links=links,
        )
        body = http.body_of(content, snap.modified)
        return http.send(request, body, GEOJSON, Content_Crs=f"<{crs}>")


class ItemView(OpenDataView):
    @extend_schema(
        operation_id="ogc_item",
        summary="One feature",
        parameters=[CRS_DOC],
        responses={
            (200, GEOJSON): OpenApiResponse(schemas.FEATURE, "One feature."),
            **GEOJSON_ERRORS,
        },
        tags=OGC_TAGS,
    )
    def get(self, request: Request, slug: str, feature_id: str) -> HttpResponse:
        dataset = _spatial(slug)
        query = self.query(request)
        filters.reject_unknown(query, {"crs", "f"})
        crs = filters.parse_crs(query.get("crs"))
        snap = self.snapshot(dataset)
        index = snap.position_after(feature_id) - 1
        if index < 0 or snap.ids[index] != feature_id:
            return http.not_found(feature_id)
        feature = formats.features(snap, [index], crs)[0]
        feature["links"] = [
            _link(request.build_absolute_uri(request.path), "self", GEOJSON),
            _link(_url(request, "opendata:ogc-collection", slug), "collection", JSON),
        ]
        body = http.body_of(formats.dumps(feature), snap.modified)
        return http.send(request, body, GEOJSON, Content_Crs=f"<{crs}>")


class NotFoundView(OpenDataView):
    """Any other address under /ogcapi/ (queryables, tiles…) answers in the API's own error
    format, not with the site's HTML page."""

    @extend_schema(exclude=True)
    def get(self, request: Request, rest: str) -> HttpResponse:
        return http.not_found(request.path)
