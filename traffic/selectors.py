"""Reads of the traffic app: availability, camera registry, the evidence register."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import ngettext

from hypervisor.selectors import asset_state_events
from hypervisor.spreadsheet import defused_row
from traffic.events import (
    CrossroadCommunicationLost,
    CrossroadCommunicationRestored,
    CrossroadFaulted,
    CrossroadRestored,
)
from traffic.models import (
    Bollard,
    BollardState,
    Camera,
    CameraStatus,
    ControllerState,
    Crossroad,
    EvidenceRequest,
    RegisterEntry,
)

DECISIONS = [RegisterEntry.Kind.APPROVED, RegisterEntry.Kind.REFUSED, RegisterEntry.Kind.EXTRACTED]


def evidence_request_status(*, request: EvidenceRequest) -> str:
    """filed, approved, refused or extracted: the latest entry that moves the request on."""
    latest = request.entries.filter(kind__in=DECISIONS).order_by("-at", "-pk").first()
    return latest.kind if latest else RegisterEntry.Kind.FILED


def evidence_requests() -> QuerySet[EvidenceRequest]:
    latest = RegisterEntry.objects.filter(request=OuterRef("pk"), kind__in=DECISIONS).order_by(
        "-at", "-pk"
    )
    return (
        EvidenceRequest.objects.select_related("filed_by")
        .prefetch_related("cameras")
        .annotate(status=Subquery(latest.values("kind")[:1]))
        .order_by("-filed_at")
    )


def register_entries() -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.select_related("request", "actor").order_by("at", "pk")


REGISTER_COLUMNS = [
    "entry", "request", "procedure", "authority", "kind", "by", "at", "note", "corrects",
    "cameras", "footage_from", "footage_until", "sha256", "medium", "recipient", "delivered_at",
]  # fmt: skip


def evidence_register_csv() -> str:
    """The whole register for a legal audit, in entry order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    for entry in register_entries():
        # Defused: authority, references, notes and recipients are typed in by people.
        writer.writerow(defused_row(
            [
                entry.pk, entry.request.reference, entry.request.procedure_reference,
                entry.request.authority, entry.kind, entry.actor.get_username(),
                entry.at.isoformat(), entry.note, entry.corrects_id or "", entry.cameras,
                entry.range_start.isoformat() if entry.range_start else "",
                entry.range_end.isoformat() if entry.range_end else "",
                entry.sha256, entry.medium, entry.recipient,
                entry.delivered_at.isoformat() if entry.delivered_at else "",
            ]
        ))  # fmt: skip
    return out.getvalue()


def _share(queryset: QuerySet[Any], normal: Q) -> dict[str, Any]:
    counts = queryset.aggregate(total=Count("pk"), ok=Count("pk", filter=normal))
    total = counts["total"]
    return {"total": total, "ok": counts["ok"], "share": counts["ok"] / total if total else None}


def availability(*, commune_insee: str | None = None) -> dict[str, dict[str, Any]]:
    """Share of crossroads, cameras and bollards in a normal state."""
    scope = Q(commune_insee=commune_insee) if commune_insee else Q()
    return {
        "crossroads": _share(Crossroad.objects.filter(scope), Q(state=ControllerState.NORMAL)),
        "cameras": _share(Camera.objects.filter(scope), Q(status=CameraStatus.ONLINE)),
        "bollards": _share(Bollard.objects.filter(scope), ~Q(state=BollardState.FAULT)),
    }


def crossroads_not_normal() -> QuerySet[Crossroad]:
    return Crossroad.objects.exclude(state=ControllerState.NORMAL).order_by("state_since")


def cameras() -> QuerySet[Camera]:
    return Camera.objects.order_by("reference")


def bollards() -> QuerySet[Bollard]:
    return Bollard.objects.order_by("reference")


def cameras_by_reference(*, references: list[str]) -> list[Camera]:
    return list(Camera.objects.filter(reference__in=references))


# Events after which a controller is out of normal operation (False) or back in it (True).
_IN_SERVICE_AFTER = {
    CrossroadFaulted.kind: False,
    CrossroadCommunicationLost.kind: False,
    CrossroadRestored.kind: True,
    CrossroadCommunicationRestored.kind: True,
}


def _in_service_at_start(history: list[tuple[str, datetime]], start: datetime) -> bool:
    """Whether the controller was in normal operation when the period began.

    Its last event before the period says so; when the history holds none (never changed,
    or purged), the first event of the period tells: a restoration ends a fault.
    """
    before = [kind for kind, at in history if at < start]
    if before:
        return _IN_SERVICE_AFTER[before[-1]]
    return history[0][0] not in (CrossroadRestored.kind, CrossroadCommunicationRestored.kind)


def _uptime(history: list[tuple[str, datetime]], start: datetime, end: datetime) -> float:
    """Seconds of [start, end) in normal operation, replaying the state-change events."""
    in_service, since, up = _in_service_at_start(history, start), start, 0.0
    for kind, at in history:
        at = min(max(at, since), end)  # times made monotonic, inside the period
        if in_service:
            up += (at - since).total_seconds()
        in_service, since = _IN_SERVICE_AFTER[kind], at
    if in_service:
        up += (end - since).total_seconds()
    return up


def crossroad_availability_rows(
    *, start: datetime, end: datetime
) -> list[tuple[str, str, str, float, float, str, float]]:
    """(reference, name, commune INSEE, lat, lon, state, availability) of every crossroad.

    Availability is the share of [start, end) the controller spent in normal operation
    (not in fault, flashing, dark or silent), replayed from its state-change events. A
    crossroad without any has been in its present state since `state_since` (or always).
    """
    period = (end - start).total_seconds()
    histories: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
    for reference, kind, at in asset_state_events(
        asset_type="crossroad", kinds=_IN_SERVICE_AFTER, start=start, end=end
    ):
        histories[reference].append((kind, at))
    rows = []
    for reference, name, insee, lat, lon, state, since in Crossroad.objects.order_by().values_list(
        "reference", "name", "commune_insee", "lat", "lon", "state", "state_since"
    ):
        history = histories.get(reference)
        if history:
            up = _uptime(history, start, end)
        elif state == ControllerState.NORMAL:
            up = period
        else:
            up = min(max((since - start).total_seconds(), 0.0), period) if since else 0.0
        share = round(up / period, 4) if period > 0 else 1.0
        rows.append((reference, name, insee, lat, lon, state, share))
    return rows


def crossroad_vocabularies() -> dict[str, list[str]]:
    return {"status": list(ControllerState.values)}


def camera_vocabularies() -> dict[str, list[str]]:
    return {
        "kind": list(Camera.Kind.values),
        "purpose": list(Camera.Purpose.values),
        "status": list(CameraStatus.values),
    }


def bollard_vocabularies() -> dict[str, list[str]]:
    return {"status": list(BollardState.values)}


def _named_places(model: Any, references: list[str], street_field: str = "") -> dict[str, Any]:
    from hypervisor.registry import AssetPlace

    fields = ["reference", "name", "commune_insee"] + ([street_field] if street_field else [])
    return {
        row[0]: AssetPlace(name=row[1], street=row[3] if street_field else "", commune_insee=row[2])
        for row in model.objects.filter(reference__in=references).values_list(*fields)
    }


def crossroad_places(references: list[str]) -> dict[str, Any]:
    """Crossroads are named after their streets ("Boulevard de Strasbourg / Rue X")."""
    return _named_places(Crossroad, references)


def camera_places(references: list[str]) -> dict[str, Any]:
    return _named_places(Camera, references)


def bollard_places(references: list[str]) -> dict[str, Any]:
    """A bollard's access point is the street it closes."""
    return _named_places(Bollard, references, "access_point")


def crossroads_counted(count: int) -> str:
    return ngettext("%(n)d crossroad", "%(n)d crossroads", count) % {"n": count}


def cameras_counted(count: int) -> str:
    return ngettext("%(n)d camera", "%(n)d cameras", count) % {"n": count}


def bollards_counted(count: int) -> str:
    return ngettext("%(n)d bollard", "%(n)d bollards", count) % {"n": count}


def signal_commands_to_send(
    *, site_ids: list[str]
) -> list[tuple[int, str, list[tuple[str, str, str, str]]]]:
    """Commands ready to go to the connected sites: (command id, site id, RSMP arguments)."""
    from traffic.models import RsmpSite, SignalCommand
    from traffic.services.rsmp import rsmp_command_request_args

    sites = dict(
        RsmpSite.objects.filter(site_id__in=site_ids, crossroad__isnull=False).values_list(
            "crossroad_id", "site_id"
        )
    )
    pending = SignalCommand.objects.filter(
        status=SignalCommand.Status.PENDING, crossroad_id__in=sites
    ).order_by("requested_at")
    return [(c.pk, sites[c.crossroad_id], rsmp_command_request_args(c)) for c in pending]


def rsmp_sites_to_reconcile() -> QuerySet[Any]:
    """Sites that connected with an id no administrator mapped to a crossroad yet."""
    from traffic.models import RsmpSite

    return RsmpSite.objects.filter(crossroad__isnull=True).order_by("-first_seen_at")


def signal_commands_recent(*, crossroad: Crossroad | None = None, limit: int = 20) -> QuerySet[Any]:
    from traffic.models import SignalCommand

    commands = SignalCommand.objects.select_related("crossroad", "requested_by", "confirmed_by")
    if crossroad is not None:
        commands = commands.filter(crossroad=crossroad)
    return commands.order_by("-requested_at")[:limit]


def signal_commands_awaiting() -> QuerySet[Any]:
    from traffic.models import SignalCommand

    return (
        SignalCommand.objects.filter(status=SignalCommand.Status.AWAITING_CONFIRMATION)
        .select_related("crossroad", "requested_by")
        .order_by("requested_at")
    )


def rsmp_site_of(*, crossroad: Crossroad) -> Any:
    from traffic.models import RsmpSite

    return RsmpSite.objects.filter(crossroad=crossroad).first()


# S0001 signal-group status characters (TLC SXL 1.2.1) → colour shown, and its meaning.
_SIGNAL_GROUP_COLOURS = {
    **dict.fromkeys("0123456789NOP", "green"),
    **dict.fromkeys("ABCDEFGabh", "red"),
    "c": "yellow-flash", "d": "yellow", "e": "yellow", "f": "yellow", "g": "red",
}  # fmt: skip


def signal_groups_of(*, crossroad: Crossroad) -> list[dict[str, Any]]:
    """Each signal group as the controller last reported it (S0001), numbered from 1."""
    from django.utils.translation import gettext as _

    labels = {
        "green": _("Green"), "red": _("Red"), "yellow": _("Yellow"),
        "yellow-flash": _("Yellow flash"), "dark": _("Dark"),
    }  # fmt: skip
    groups = []
    for number, code in enumerate(crossroad.signal_group_status, start=1):
        colour = (
            "dark"
            if crossroad.functional_position == "Dark"
            else _SIGNAL_GROUP_COLOURS.get(code, "red")
        )
        groups.append({"number": number, "code": code, "colour": colour, "label": labels[colour]})
    return groups


def signal_groups_summary(*, crossroad: Crossroad) -> str:
    """For the map: how many groups show green, red, yellow."""
    from collections import Counter

    from django.utils.translation import gettext as _

    counts = Counter(group["colour"] for group in signal_groups_of(crossroad=crossroad))
    names = [
        ("green", _("green")), ("red", _("red")), ("yellow", _("yellow")),
        ("yellow-flash", _("flashing")), ("dark", _("dark")),
    ]  # fmt: skip
    return ", ".join(f"{counts[colour]} {name}" for colour, name in names if counts[colour])


def aggregated_status_of(*, crossroad: Crossroad) -> list[dict[str, Any]]:
    from traffic.rsmp.sxl import AGGREGATED_BITS

    bits = crossroad.aggregated_status or []
    return [
        {"label": str(label), "set": bool(bits[index]) if index < len(bits) else False}
        for index, label in enumerate(AGGREGATED_BITS)
    ]


def rsmp_alarms_of(*, crossroad: Crossroad) -> list[dict[str, Any]]:
    from traffic.rsmp.sxl import ALARMS

    site = rsmp_site_of(crossroad=crossroad)
    if site is None:
        return []
    rows = []
    for key, state in sorted(site.alarms.items()):
        code, _sep, component = key.partition("/")
        if not state.get("active"):
            continue
        definition = ALARMS.get(code)
        rows.append(
            {
                "code": code,
                "component": component,
                "label": str(definition.label) if definition else code,
                "priority": state.get("priority"),
                "acknowledged": state.get("acknowledged"),
                "suspended": state.get("suspended"),
                "values": state.get("values", {}),
                "at": state.get("at"),
            }
        )
    return rows


def time_plan_source_label(*, crossroad: Crossroad) -> str:
    """S0014's source, in words (the SXL's values are codes)."""
    from django.utils.translation import gettext as _

    labels = {
        "operator_panel": _("set on the controller's panel"),
        "calendar_clock": _("from the controller's timetable"),
        "control_block": _("set by the control logic"),
        "forced": _("forced from the control room"),
        "startup": _("start-up plan"),
        "other": _("other source"),
    }
    return labels.get(crossroad.time_plan_source, crossroad.time_plan_source)
