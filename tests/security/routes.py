"""The project's routes, walked from the URL configuration, and how to call each of them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hypervisor.access import AccessRule, rule_of
from tests.security.world import World


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str  # with its namespace, as reverse() takes it
    raw: URLPattern

    @property
    def callback(self) -> Callable[..., Any]:
        return self.raw.callback

    @property
    def rule(self) -> AccessRule | None:
        return rule_of(self.callback)

    @property
    def view_class(self) -> type | None:
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def parameters(self) -> set[str]:
        return set(self.raw.pattern.regex.groupindex)


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[URLPattern, str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield pattern, prefix + str(pattern.pattern), namespace


def project_routes() -> list[Route]:
    """Every route outside the admin (which guards itself and is tested apart)."""
    return [
        Route(
            pattern=route,
            name=f"{namespace}{pattern.name}" if pattern.name else "",
            raw=pattern,
        )
        for pattern, route, namespace in _walk(get_resolver().url_patterns)
        if not route.startswith("admin/")
    ]


def admin_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for pattern, route, _namespace in _walk(get_resolver().url_patterns)
        if route.startswith("admin/")
    ]


# How to fill the parameters of each route that has some, from the world. A new route with
# parameters must be added here: the matrix fails on a route it cannot fill.
def _task_photo(world: World) -> Any:
    """A crew's photo on the world's task (the file itself is not needed to hide it)."""
    from incidents.models import TaskPhoto

    return TaskPhoto.objects.get_or_create(task=world.task, defaults={"image": "tasks/x.jpg"})[0]


FILLERS: dict[str, Callable[[World], dict[str, Any]]] = {
    "layer-tile": lambda w: {"name": "lighting"},
    "alarm-acknowledge": lambda w: {"alarm_id": w.alarm.pk},
    "alarm-clear": lambda w: {"alarm_id": w.alarm.pk},
    "alarm-procedure": lambda w: {"alarm_id": w.alarm.pk},
    "alarm-procedure-step": lambda w: {"alarm_id": w.alarm.pk},
    "crisis-log": lambda w: {"crisis_id": w.crisis.pk},
    "crisis-member": lambda w: {"crisis_id": w.crisis.pk},
    "crisis-close": lambda w: {"crisis_id": w.crisis.pk},
    "field-task-detail": lambda w: {"task_id": w.task.pk},
    "field-task-citizen-photos": lambda w: {"task_id": w.task.pk},
    "task-assign": lambda w: {"task_id": w.task.pk},
    "incident-action": lambda w: {"incident_id": str(w.incident.pk), "action": "close"},
    "incident-page": lambda w: {"incident_id": w.incident.pk},
    "incident-panel": lambda w: {"incident_id": w.incident.pk},
    "incident-panel-for-alarm": lambda w: {"alarm_id": w.alarm.pk},
    "incident-act": lambda w: {"incident_id": str(w.incident.pk), "action": "comment"},
    "report-tracking": lambda w: {"token": w.report.token},
    "report-fix-answer": lambda w: {"token": w.report.token},
    "report-photo-hide": lambda w: {"photo_id": w.photo.pk},
    "report-photo": lambda w: {"name": w.photo.image.name.removeprefix("reports/")},
    "report-staged-photo": lambda w: {"name": "2026/01/absent.jpg"},
    "task-photo": lambda w: {"name": "2026/01/absent.jpg"},
    "report-contact-hide": lambda w: {"report_id": w.report.pk},
    "task-note-hide": lambda w: {"task_id": w.task.pk},
    "task-photo-hide": lambda w: {"photo_id": _task_photo(w).pk},
    "open311-discovery": lambda w: {"fmt": "json"},
    "open311-services": lambda w: {"fmt": "xml"},
    "open311-service": lambda w: {"service_code": w.report.category_code, "fmt": "json"},
    "open311-requests": lambda w: {"fmt": "json"},
    "open311-request": lambda w: {"request_id": w.report.reference, "fmt": "json"},
    "open311-token": lambda w: {"token": w.report.token, "fmt": "xml"},
    "bollard-command": lambda w: {"reference": w.bollard.reference},
    "crossroad-detail": lambda w: {"reference": "CAR-MATRIX"},
    "crossroad-command": lambda w: {"reference": "CAR-MATRIX"},
    "signal-command-confirm": lambda w: {"pk": w.extra["signal_command"].pk},
    "car-park-detail": lambda w: {"reference": "darcy"},
    "mobility-feed": lambda w: {"pk": 1},
    "mobility-notify-operator": lambda w: {"incident_id": w.incident.pk},
    "evidence-request-decide": lambda w: {"pk": w.evidence_request.pk},
    "evidence-extraction": lambda w: {"pk": w.evidence_request.pk},
    "opendata:dataset": lambda w: {"slug": w.dataset_slug},
    "opendata:api-detail": lambda w: {"slug": w.dataset_slug},
    "opendata:api-records": lambda w: {"slug": w.dataset_slug},
    "opendata:api-geojson": lambda w: {"slug": w.spatial_dataset_slug},
    "opendata:api-csv": lambda w: {"slug": w.dataset_slug},
    "opendata:api-schema": lambda w: {"slug": w.dataset_slug},
    "opendata:ogc-collection": lambda w: {"slug": w.spatial_dataset_slug},
    "opendata:ogc-items": lambda w: {"slug": w.spatial_dataset_slug},
    "opendata:ogc-item": lambda w: {"slug": w.spatial_dataset_slug, "feature_id": w.feature_id},
    "opendata:ogc-not-found": lambda w: {"rest": f"collections/{w.spatial_dataset_slug}/tiles"},
    "talq-device": lambda w: {"address": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
    "talq-device-function": lambda w: {
        "address": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "function": "f",
    },
    "talq-device-attribute": lambda w: {
        "address": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "function": "f",
        "attribute": "a",
    },
    "talq-logger-config": lambda w: {"address": "ondijon-hourly-energy"},
    "talq-device-classes-one": lambda w: {"key": "LuminaireController"},
    "talq-lamp-types-one": lambda w: {"key": "led-50"},
    "talq-luminaire-types-one": lambda w: {"key": "lum-1"},
    "talq-reconcile": lambda w: {"device_id": 1},
}

# Query strings a route needs to go past its parameter check.
QUERIES: dict[str, str] = {"layer-tile": "bbox=5.0,47.3,5.1,47.35&zoom=17"}

# Routes served for development only: named by pattern, since Django's static serving has
# no name; their parameters are generated.
UNNAMED: dict[str, Callable[[World], str]] = {"media/<path:path>": lambda w: "/media/absent.jpg"}


def url_of(route: Route, world: World) -> str:
    if not route.name:
        return UNNAMED[route.pattern](world)
    kwargs = FILLERS[route.name](world) if route.name in FILLERS else {}
    url = reverse(route.name, kwargs=kwargs)
    query = QUERIES.get(route.name)
    return f"{url}?{query}" if query else url


def fillable(route: Route) -> str | None:
    """None when the matrix can call the route, otherwise what is missing."""
    if not route.name:
        return None if route.pattern in UNNAMED else "no name (and no entry in UNNAMED)"
    parameters = route.parameters
    if parameters and route.name not in FILLERS:
        return f"parameters {sorted(parameters)} but no entry in FILLERS"
    return None
