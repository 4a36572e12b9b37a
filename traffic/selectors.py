"""Reads of the traffic app: availability, camera registry, the evidence register."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from hypervisor.spreadsheet import defused_row
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
