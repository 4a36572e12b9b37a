"""The base of every open-data endpoint: public, keyed quotas, CORS, parameter errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import Throttled
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hypervisor.access import AccessRule
from opendata import datasets, filters, store
from opendata.datasets import Dataset
from opendata.throttling import ApiKeyAuthentication, OpenDataThrottle
from opendata.views import http


class UnknownDataset(Exception):
    pass


class FormatFromAddress(BaseContentNegotiation):
    """The address names the format (GeoJSON, CSV, JSON), not the Accept header.

    GIS clients ask for `application/geo+json` or `text/csv`, which DRF's negotiation would
    refuse with a 406 since the views write their bodies themselves.
    """

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser:
        return next(iter(parsers))

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, str(renderer.media_type)


class OpenDataView(APIView):
    """Open to everyone; anonymous callers and key holders have their own quotas."""

    access_rule = AccessRule(public=True)
    content_negotiation_class = FormatFromAddress
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [OpenDataThrottle]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, filters.BadParameter):
            return http.bad_parameter(exc)  # type: ignore[return-value]
        if isinstance(exc, UnknownDataset):
            return http.not_found(str(exc))  # type: ignore[return-value]
        if isinstance(exc, Throttled):
            return self._over_quota(exc)  # type: ignore[return-value]
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Throttling and authentication errors get the CORS headers as well."""
        http.cors(super().finalize_response(request, response, *args, **kwargs))
        return response

    @staticmethod
    def _over_quota(exc: Throttled) -> JsonResponse:
        """The API's error shape (code, description), with Retry-After as DRF sends it."""
        wait = int(getattr(exc, "wait", None) or 1)
        response = JsonResponse(
            {
                "code": "TooManyRequests",
                "description": _(
                    "Quota exceeded: try again in %(seconds)d s, or send an API key "
                    "(X-Api-Key) for a higher quota."
                )
                % {"seconds": wait},
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    @staticmethod
    def dataset(slug: str, *, spatial: bool = False) -> Dataset:
        dataset = datasets.get(slug)
        if dataset is None or (spatial and not dataset.spatial):
            raise UnknownDataset(slug)
        return dataset

    @staticmethod
    def query(request: Request) -> dict[str, str]:
        """One value per parameter; `bbox` repeated once per number (the exploded form of
        the array) reads as the comma-separated one."""
        query = {key: request.query_params.get(key, "") for key in request.query_params}
        numbers = request.query_params.getlist("bbox")
        if len(numbers) > 1:
            query["bbox"] = ",".join(numbers)
        return query

    @staticmethod
    def snapshot(dataset: Dataset) -> store.Snapshot:
        return store.snapshot(dataset)
