"""The catalogue page, its DCAT-AP renderings and the self-service API key request."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited

from hypervisor.access import public
from opendata import datasets, dcat, services, store
from opendata.datasets import Dataset
from opendata.forms import ApiKeyRequestForm
from opendata.views import http


def _graph_body(request: HttpRequest, rdf_format: str) -> bytes:
    def absolute(name: str, args: tuple[str, ...]) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    graph = dcat.catalogue_graph(absolute=absolute, modified=store.metadata_time())
    return graph.serialize(format=rdf_format).encode()


# How many rows a dataset page shows as a preview.
PREVIEW_ROWS = 10
# An example of each filter, as the dataset page offers it.
FILTER_EXAMPLES = {
    "commune": "commune=21231",
    "category": "category=eclairage-panne",
    "status": "status=",
    "date": "date_from=2026-01-01&date_to=2026-06-30",
    "bbox": "bbox=5.02,47.31,5.05,47.33",
}


def _frequency(dataset: Dataset) -> str:
    frequencies = {
        "UPDATE_CONT": _("continuously"),
        "DAILY": _("daily"),
        "MONTHLY": _("monthly"),
        "ANNUAL": _("yearly"),
    }
    return str(frequencies.get(dataset.frequency, dataset.frequency))


@require_safe
@public
def catalogue(request: HttpRequest) -> HttpResponse:
    entries = []
    for dataset in datasets.published():
        snap = store.snapshot(dataset)
        entries.append(
            {
                "dataset": dataset,
                "frequency": _frequency(dataset),
                "columns": dataset.columns,
                "count": len(snap.ids),
                "modified": snap.modified,
            }
        )
    return render(
        request,
        "opendata/catalogue.html",
        {
            "entries": entries,
            "licence_name": settings.OPENDATA_LICENCE_NAME,
            "licence_url": settings.OPENDATA_LICENCE_URL,
            "k_threshold": settings.OPENDATA_K_THRESHOLD,
        },
    )


@require_safe
@public
def catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    body = http.body_of(_graph_body(request, "json-ld"), store.metadata_time())
    return http.send(request, body, "application/ld+json")


@require_safe
@public
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    body = http.body_of(_graph_body(request, "turtle"), store.metadata_time())
    return http.send(request, body, "text/turtle; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
@public
def api_key_request(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, even an empty one: its errors are what the page shows.
    form = ApiKeyRequestForm(request.POST if request.method == "POST" else None)
    issued = None
    status = 200
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="opendata-api-key",
            key="ip",
            rate=settings.OPENDATA_KEY_REQUEST_RATE,
            method="POST",
            increment=True,
        )
        if limited:
            form.add_error(None, _("Too many key requests from your address; try again later."))
            status = 429
        elif form.is_valid():
            _key, issued = services.api_key_issue(**form.cleaned_data)
        else:
            status = 400
    return render(
        request,
        "opendata/api_key.html",
        {"form": form, "issued": issued, "key_rate": settings.OPENDATA_RATE_KEY},
        status=status,
    )


def _filter_examples(dataset: Dataset) -> list[str]:
    examples = []
    for family in sorted(dataset.filters):
        example = FILTER_EXAMPLES[family]
        if family == "status":
            values = dataset.column("status").values
            example += values()[0] if values else ""
        examples.append(example)
    return examples


@require_safe
@public
def dataset_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One dataset for people: what it holds, how to filter it, its columns and first rows."""
    dataset = datasets.get(slug)
    if dataset is None:
        raise Http404(slug)
    snap = store.snapshot(dataset)
    columns = [
        {"column": column, "values": column.values() if column.values else []}
        for column in dataset.columns
    ]
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "frequency": _frequency(dataset),
            "columns": columns,
            "rows": snap.table.rows[:PREVIEW_ROWS],
            "count": len(snap.ids),
            "modified": snap.modified,
            "filter_examples": _filter_examples(dataset),
            "licence_name": settings.OPENDATA_LICENCE_NAME,
            "licence_url": settings.OPENDATA_LICENCE_URL,
            "k_threshold": settings.OPENDATA_K_THRESHOLD,
        },
    )
