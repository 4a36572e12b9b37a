"""How domain apps plug into the hypervisor without the hypervisor importing them.

Each app registers, from its `AppConfig.ready()`: the permissions its roles get, its live
map layers, its event subscribers, its demo seeders and its simulators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from hypervisor.roles import Role


class LiveLayer(Protocol):
    """A map layer whose features are streamed to the control room."""

    name: str
    label: str
    event_kinds: frozenset[str]

    def snapshot(self) -> list[dict[str, Any]]:
        """Every feature currently on the layer."""

    def feature(self, asset_id: str) -> dict[str, Any] | None:
        """The current state of one feature, or None when it left the layer."""


class LabelledLayer(LiveLayer, Protocol):
    """A layer whose features carry labels in words next to their codes.

    Deltas are encoded once for every screen, in whatever language the sender runs in;
    `vocabulary()` (called in the page's language) lets each page relabel them:
    {label_field: {"from": code_field, "labels": {code: label}}}.
    """

    def vocabulary(self) -> dict[str, dict[str, Any]]: ...


class AssetLayer(LiveLayer, Protocol):
    """A large equipment layer (tens of thousands of features).

    Its live `snapshot()` holds only what is not normal (faults), so it stays small; the
    whole inventory is read by viewport through `tile()`, aggregated at low zoom.
    """

    legend: dict[str, str]
    """Status code → translated label, in the order the map legend shows them."""

    # Optional `default_visible = False`: the layer starts hidden on the control-room map
    # (any layer may say so; work items and alarms stay on).

    def tile(self, *, bbox: tuple[float, float, float, float], zoom: int) -> dict[str, Any]:
        """Features inside (min_lon, min_lat, max_lon, max_lat), compactly encoded.

        Points: {"kind": "points", "fields": ["id", "lat", "lon", "status", ...], "rows": [[…]]}
        Aggregates at low zoom: {"kind": "clusters", "rows": [[lat, lon, count, worst_status]]}
        """


class Kpi(Protocol):
    """A figure of the KPI board, computed for a period (and optionally one commune)."""

    key: str
    label: str
    unit: str
    target: float | None
    higher_is_better: bool

    def compute(self, *, start: Any, end: Any, commune_insee: str | None = None) -> dict[str, Any]:
        """{"value": float | None, "series": [[label, value], …], "by": {name: value}}

        and optionally "note": a sentence saying what the figure rests on.
        """


@dataclass(frozen=True)
class AssetPlace:
    """Where a piece of equipment is, in the words an operator uses."""

    name: str
    street: str = ""
    commune_insee: str = ""


@dataclass(frozen=True)
class AssetKind:
    """How an app names its equipment to people.

    ``describe`` takes asset ids and returns the place of each one it knows (one query for
    many, the alarm panel lists hundreds); ``count`` says "37 lamps" (ngettext).
    """

    asset_type: str
    describe: Callable[[list[str]], dict[str, AssetPlace]]
    count: Callable[[int], str]
    label: Any = ""
    """What one is called ("Light point"), before a name that is only a reference."""


TelemetryHandler = Callable[..., Any]
"""Called with a list of validated readings of one asset type; returns what it applied."""


@dataclass(frozen=True)
class DemoSeeder:
    name: str
    order: int
    seed: Callable[..., None]


@dataclass(frozen=True)
class Section:
    """An entry of the home page, shown to those holding its permission (None: everyone)."""

    label: str
    url_name: str
    permission: str | None
    order: int


@dataclass(frozen=True)
class RoomModule:
    """A piece an app adds to the control room: an ES module and the partial it drives.

    The control room tells modules what happens through DOM events on `document`:
    `ondijon:feature-open` (detail: layer, id) when an operator opens a feature of a layer,
    and `ondijon:delta` (detail: the live delta message) for every live change.
    """

    key: str
    script: str
    template: str
    permission: str | None


SimulatorTick = Callable[..., None]
"""Called with now (datetime), elapsed (simulated seconds) and rng (random.Random)."""


@dataclass
class Registry:
    _grants: dict[Role, set[str]] = field(default_factory=lambda: defaultdict(set))
    _layers: dict[str, LiveLayer] = field(default_factory=dict)
    _subscribers: dict[str, list[Callable[..., None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    _seeders: list[DemoSeeder] = field(default_factory=list)
    _simulators: dict[str, SimulatorTick] = field(default_factory=dict)
    _sections: dict[str, Section] = field(default_factory=dict)
    _websocket_routes: list[Any] = field(default_factory=list)
    _telemetry_handlers: dict[str, TelemetryHandler] = field(default_factory=dict)
    _kpis: dict[str, Kpi] = field(default_factory=dict)
    _procedure_actions: dict[str, Callable[..., str]] = field(default_factory=dict)
    _asset_kinds: dict[str, AssetKind] = field(default_factory=dict)
    _audit_actions: dict[str, Any] = field(default_factory=dict)
    _room_links: dict[str, Section] = field(default_factory=dict)
    _room_modules: dict[str, RoomModule] = field(default_factory=dict)

    def add_audit_actions(self, labels: dict[str, Any]) -> None:
        """What an app's audit action codes mean, in words (lazy translations)."""
        self._audit_actions.update(labels)

    def audit_action_label(self, code: str) -> str | None:
        label = self._audit_actions.get(code)
        return None if label is None else str(label)

    def add_asset_kind(self, kind: AssetKind) -> None:
        self._asset_kinds[kind.asset_type] = kind

    def asset_kind(self, asset_type: str) -> AssetKind | None:
        return self._asset_kinds.get(asset_type)

    def asset_types(self) -> list[str]:
        return sorted(self._asset_kinds)

    def add_room_link(
        self, label: str, url_name: str, *, permission: str | None, order: int
    ) -> None:
        """A page the control room's header links to (and that links back to it)."""
        self._room_links[url_name] = Section(label, url_name, permission, order)

    def room_links(self) -> list[Section]:
        return sorted(self._room_links.values(), key=lambda link: link.order)

    def add_room_module(
        self, key: str, *, script: str, template: str, permission: str | None
    ) -> None:
        """A panel of the control room: `template` is included, `script` loaded as a module."""
        self._room_modules[key] = RoomModule(key, script, template, permission)

    def room_modules(self) -> list[RoomModule]:
        return list(self._room_modules.values())

    _demo_services: dict[str, Callable[[], Any]] = field(default_factory=dict)
    _demo_processes: dict[str, list[str]] = field(default_factory=dict)

    def add_demo_service(self, name: str, run: Callable[[], Any]) -> None:
        """A coroutine function the demo server runs in its own event loop (a device server)."""
        self._demo_services[name] = run

    def demo_services(self) -> dict[str, Callable[[], Any]]:
        return dict(self._demo_services)

    def add_demo_process(self, name: str, command: list[str]) -> None:
        """A management command the demo server starts beside it (device emulators)."""
        self._demo_processes[name] = command

    def demo_processes(self) -> dict[str, list[str]]:
        return dict(self._demo_processes)

    def add_procedure_action(self, code: str, handler: Callable[..., str]) -> None:
        """An action a procedure step can run: handler(alarm=…, by=…) returns what it did."""
        self._procedure_actions[code] = handler

    def procedure_action(self, code: str) -> Callable[..., str] | None:
        return self._procedure_actions.get(code)

    def add_telemetry_handler(self, asset_type: str, handler: TelemetryHandler) -> None:
        self._telemetry_handlers[asset_type] = handler

    def telemetry_handler(self, asset_type: str) -> TelemetryHandler | None:
        return self._telemetry_handlers.get(asset_type)

    def telemetry_asset_types(self) -> list[str]:
        return sorted(self._telemetry_handlers)

    def add_kpi(self, kpi: Kpi) -> None:
        self._kpis[kpi.key] = kpi

    def kpis(self) -> list[Kpi]:
        return list(self._kpis.values())

    def add_websocket_route(self, route: Any) -> None:
        """A `django.urls.path` to a consumer; served under the ASGI websocket router."""
        self._websocket_routes.append(route)

    def websocket_routes(self) -> list[Any]:
        return list(self._websocket_routes)

    def add_periodic_task(self, name: str, task: str, *, every_seconds: float) -> None:
        """Schedule a Celery task (dotted name) for beat."""
        from ondijon.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            name: {"task": task, "schedule": every_seconds},
        }

    def add_section(self, label: str, url_name: str, *, permission: str | None, order: int) -> None:
        self._sections[url_name] = Section(label, url_name, permission, order)

    def sections(self) -> list[Section]:
        return sorted(self._sections.values(), key=lambda section: section.order)

    def grant(self, role: Role, permissions: Iterable[str]) -> None:
        self._grants[role].update(permissions)

    def permissions_of(self, role: Role) -> set[str]:
        return set(self._grants.get(role, set()))

    def add_layer(self, layer: LiveLayer) -> None:
        if layer.name in self._layers:
            raise ValueError(f"Map layer {layer.name!r} is already registered")
        self._layers[layer.name] = layer

    def layers(self) -> list[LiveLayer]:
        return list(self._layers.values())

    def asset_layers(self) -> list[AssetLayer]:
        return [layer for layer in self._layers.values() if hasattr(layer, "tile")]  # type: ignore[misc]

    def layer(self, name: str) -> LiveLayer:
        return self._layers[name]

    def subscribe(self, kind: str, handler: Callable[..., None]) -> None:
        if handler not in self._subscribers[kind]:
            self._subscribers[kind].append(handler)

    def subscribers_of(self, kind: str) -> list[Callable[..., None]]:
        return list(self._subscribers.get(kind, []))

    def subscribe_all(self, handler: Callable[..., None]) -> None:
        """Hear every committed event as its stored record (with its id)."""
        self.subscribe("*", handler)

    def add_demo_seeder(self, name: str, seed: Callable[..., None], *, order: int) -> None:
        if all(seeder.name != name for seeder in self._seeders):
            self._seeders.append(DemoSeeder(name=name, order=order, seed=seed))

    def demo_seeders(self) -> list[DemoSeeder]:
        return sorted(self._seeders, key=lambda seeder: seeder.order)

    def add_simulator(self, name: str, tick: SimulatorTick) -> None:
        self._simulators[name] = tick

    def simulators(self) -> dict[str, SimulatorTick]:
        return dict(self._simulators)


registry = Registry()

__all__ = [
    "AssetKind",
    "AssetLayer",
    "AssetPlace",
    "DemoSeeder",
    "Kpi",
    "LiveLayer",
    "Registry",
    "RoomModule",
    "Section",
    "registry",
]
