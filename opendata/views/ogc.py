"""OGC API – Features (Part 1 core and GeoJSON, Part 2 CRS) over the spatial datasets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from pyproj import Transformer
from rest_framework.request import Request

from opendata import datasets, filters, formats, store
from opendata.datasets import Dataset
from opendata.views import http
from opendata.views.api import CRS_DOC, ERRORS
from opendata.views.base import OpenDataView, UnknownDataset

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
JSON = "application/json"
GEOJSON = "application/geo+json"
ITEMS_DEFAULT = 10
ITEMS_MAX = 10_000
# The territory's extent, declared for clients that zoom to a collection before reading it.
TERRITORY_BBOX = [4.89637, 47.21949, 5.20611, 47.3977]
_FROM_L93 = Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True)
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
        "crs": [filters.CRS84, filters.LAMBERT93],
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
        responses={200: OpenApiTypes.OBJECT},
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
                    _link(
                        _url(request, "api-schema"),
                        "service-desc",
                        "application/vnd.oai.openapi+json;version=3.0",
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
        responses={200: OpenApiTypes.OBJECT},
        tags=OGC_TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        return _json(request, {"conformsTo": CONFORMANCE})


class CollectionsView(OpenDataView):
    @extend_schema(
        operation_id="ogc_collections",
        summary="Feature collections",
        responses={200: OpenApiTypes.OBJECT},
        tags=OGC_TAGS,
    )
    def get(self, request: Request) -> HttpResponse:
        return _json(
            request,
            {
                "links": [_link(_url(request, "opendata:ogc-collections"), "self", JSON)],
                "crs": [filters.CRS84, filters.LAMBERT93],
                "collections": [collection(d, request) for d in datasets.published() if d.spatial],
            },
        )


class CollectionView(OpenDataView):
    @extend_schema(
        operation_id="ogc_collection",
        summary="One feature collection",
        responses={200: OpenApiTypes.OBJECT, 404: ERRORS[404]},
        tags=OGC_TAGS,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        return _json(request, collection(_spatial(slug), request))


def _bbox(query: dict[str, str]) -> tuple[float, float, float, float] | None:
    raw = query.get("bbox")
    if not raw:
        return None
    bbox_crs = filters.parse_crs(query.get("bbox-crs"), "bbox-crs")
    if bbox_crs == filters.LAMBERT93:
        parts = raw.split(",")
        try:
            x1, y1, x2, y2 = (float(p) for p in parts)
        except ValueError:
            raise filters.BadParameter("bbox", "expected four numbers") from None
        (lon1, lon2), (lat1, lat2) = _FROM_L93.transform([x1, x2], [y1, y2])
        raw = f"{lon1},{lat1},{lon2},{lat2}"
    return filters.parse_bbox(raw)


class ItemsView(OpenDataView):
    @extend_schema(
        operation_id="ogc_items",
        summary="Features of a collection",
        parameters=[
            OpenApiParameter("bbox", str, description="min lon,min lat,max lon,max lat."),
            OpenApiParameter("bbox-crs", str, description="CRS of bbox (default CRS84)."),
            OpenApiParameter(
                "limit", int, description=f"1 to {ITEMS_MAX}, default {ITEMS_DEFAULT}."
            ),
            OpenApiParameter("offset", int, description="Features to skip."),
            CRS_DOC,
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, **ERRORS},
        tags=OGC_TAGS,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        dataset = _spatial(slug)
        query = self.query(request)
        filters.reject_unknown(query, {"bbox", "bbox-crs", "limit", "offset", "crs", "f"})
        chosen = filters.Filters(bbox=_bbox(query))
        limit = filters.parse_limit(query.get("limit"), default=ITEMS_DEFAULT, maximum=ITEMS_MAX)
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
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, **ERRORS},
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
