"""What RSMP sites report, applied to crossroads; commands from the control room to them.

The supervisor process calls these with plain values (it parses, they decide). Each call is
one transaction; events follow on commit like everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hypervisor import events
from hypervisor.services import audit_record
from traffic.events import (
    CrossroadCommunicationLost,
    CrossroadStatusChanged,
    SignalCommandChanged,
    signal_alarm_event,
)
from traffic.models import (
    ControllerState,
    ControlMode,
    Crossroad,
    FunctionalPosition,
    RsmpSite,
    SignalCommand,
)
from traffic.rsmp import sxl
from traffic.services.equipment import crossroad_state_set

COMMANDED = _("Ordered from the control room")


@dataclass
class SiteLink:
    """What the supervisor needs to know of a site once it said who it is."""

    site_id: str
    crossroad: str | None  # reference, None for a site nobody mapped yet
    acknowledged_alarms: set[str] = field(default_factory=set)


def _place(crossroad: Crossroad) -> dict[str, Any]:
    return {"asset_id": crossroad.reference, "lat": crossroad.lat, "lon": crossroad.lon}


@transaction.atomic
def rsmp_site_connected(
    *, site_id: str, address: str, core_version: str, sxl_version: str, at: datetime | None = None
) -> SiteLink:
    """A site finished its handshake; an unknown one is recorded for reconciliation."""
    at = at or timezone.now()
    site, _created = RsmpSite.objects.select_for_update().get_or_create(
        site_id=site_id, defaults={"first_seen_at": at}
    )
    site.connected, site.connected_at, site.address = True, at, address[:64]
    site.core_version, site.sxl_version, site.disconnect_reason = core_version, sxl_version, ""
    site.save()
    crossroad = site.crossroad
    if crossroad is not None:
        crossroad.last_seen_at = at
        crossroad.save(update_fields=["last_seen_at"])
    return SiteLink(site_id=site_id, crossroad=crossroad.reference if crossroad else None)


@transaction.atomic
def rsmp_site_disconnected(*, site_id: str, reason: str, at: datetime | None = None) -> bool:
    """The link is lost (closed, watchdog or acknowledgement missed): one alarm for the site."""
    at = at or timezone.now()
    site = RsmpSite.objects.select_for_update().filter(site_id=site_id).first()
    if site is None:
        return False
    site.connected, site.disconnected_at, site.disconnect_reason = False, at, reason[:160]
    site.save(update_fields=["connected", "disconnected_at", "disconnect_reason"])
    crossroad = site.crossroad
    if crossroad is None or crossroad.state == ControllerState.COMM_LOST:
        return False
    crossroad = Crossroad.objects.select_for_update().get(pk=crossroad.pk)
    crossroad.state, crossroad.state_since = ControllerState.COMM_LOST, at
    crossroad.save(update_fields=["state", "state_since"])
    events.publish(
        CrossroadCommunicationLost(
            **_place(crossroad), severity="minor", silent_minutes=0, occurred_at=at
        )
    )
    return True


def _boolean(value: Any) -> bool | None:
    first = sxl.first(str(value)) if value is not None else ""
    return {"True": True, "False": False}.get(first)


def _integer(value: Any) -> int | None:
    try:
        return int(sxl.first(str(value)))
    except (TypeError, ValueError):
        return None


# Status (sCI, n) → how it sets the crossroads' fields.
def _read_statuses(values: list[tuple[str, str, Any, str]]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for code, name, value, quality in values:
        if quality in ("undefined", "unknown") or value is None:
            continue
        if (code, name) == ("S0001", "signalgroupstatus"):
            fields["signal_group_status"] = str(value)[:64]
        elif (code, name) == ("S0007", "status"):
            fields["_switched_on"] = _boolean(value)
        elif (code, name) == ("S0011", "status"):
            fields["_yellow_flash"] = _boolean(value)
        elif (code, name) == ("S0008", "status"):
            fields["manual_control"] = bool(_boolean(value))
        elif (code, name) == ("S0013", "status"):
            fields["police_key"] = _integer(value)
        elif (code, name) == ("S0014", "status"):
            fields["time_plan"] = _integer(value)
        elif (code, name) == ("S0014", "source"):
            fields["time_plan_source"] = str(value)[:20]
        elif (code, name) == ("S0020", "controlmode"):
            mode = sxl.first(str(value))
            if mode in ControlMode.values:
                fields["control_mode"] = mode
    return fields


def _derived_state(crossroad: Crossroad, alarms: dict[str, Any]) -> tuple[str, str]:
    """The crossroads' summary state from what the controller reports, with a fault code."""
    serious = sorted(
        key
        for key, alarm in alarms.items()
        if alarm.get("active") and alarm.get("priority", 3) <= 2
    )
    if crossroad.functional_position == FunctionalPosition.DARK:
        return ControllerState.DARK, "S0007 " + str(_("Dark"))
    if crossroad.functional_position == FunctionalPosition.YELLOW_FLASH:
        return ControllerState.FLASHING, "S0011 " + str(_("Yellow flash"))
    if crossroad.control_mode == ControlMode.FAILURE:
        return ControllerState.FAULT, "S0020 " + str(_("Failure"))
    if serious:
        code = serious[0].split("/", 1)[0]
        return ControllerState.FAULT, f"{code} {sxl.ALARMS[code].label}"[:40]
    return ControllerState.NORMAL, ""


MAP_FIELDS = ("control_mode", "functional_position", "time_plan", "police_key", "manual_control")


@transaction.atomic
def rsmp_statuses_apply(
    *, site_id: str, values: list[tuple[str, str, Any, str]], at: datetime
) -> list[str]:
    """Status values of a site's controller; what changed for the map is published.

    Buffered updates (quality "old") sent after a reconnection are applied in their order;
    one older than what is already applied changes nothing.
    """
    site = RsmpSite.objects.select_related("crossroad").filter(site_id=site_id).first()
    if site is None or site.crossroad is None:
        return []
    crossroad = Crossroad.objects.select_for_update().get(pk=site.crossroad.pk)
    if crossroad.rsmp_statuses_at and at < crossroad.rsmp_statuses_at:
        return []
    fields = _read_statuses(values)
    switched_on, flashing = fields.pop("_switched_on", None), fields.pop("_yellow_flash", None)
    if switched_on is False:
        fields["functional_position"] = FunctionalPosition.DARK
    elif flashing is True:
        fields["functional_position"] = FunctionalPosition.YELLOW_FLASH
    elif switched_on is True or (
        flashing is False and crossroad.functional_position != FunctionalPosition.DARK
    ):
        fields["functional_position"] = FunctionalPosition.NORMAL
    changes = {name: value for name, value in fields.items() if getattr(crossroad, name) != value}
    for name, value in fields.items():
        setattr(crossroad, name, value)
    crossroad.rsmp_statuses_at = crossroad.last_seen_at = at
    crossroad.save(update_fields=[*fields, "rsmp_statuses_at", "last_seen_at"])
    _settle_state(crossroad, site, at)
    if any(name in MAP_FIELDS for name in changes):
        events.publish(
            CrossroadStatusChanged(
                **_place(crossroad), occurred_at=at,
                changes={name: changes[name] for name in MAP_FIELDS if name in changes},
            )
        )  # fmt: skip
    _confirm_commands(crossroad, at)
    return sorted(changes)


def _settle_state(crossroad: Crossroad, site: RsmpSite, at: datetime) -> None:
    state, code = _derived_state(crossroad, site.alarms)
    commanded = crossroad.commands.filter(
        status__in=[SignalCommand.Status.SENT, SignalCommand.Status.CONFIRMED],
        action__in=[SignalCommand.Action.YELLOW_FLASH, SignalCommand.Action.DARK],
        requested_at__gte=at - timedelta(days=1),
    ).exists()
    suppressed = str(COMMANDED) if commanded and state != ControllerState.FAULT else ""
    crossroad_state_set(
        crossroad=crossroad, state=state, fault_code=code, at=at, suppressed_reason=suppressed
    )


@transaction.atomic
def rsmp_alarm_apply(
    *,
    site_id: str,
    component: str,
    code: str,
    active: bool,
    acknowledged: bool,
    suspended: bool,
    priority: int,
    values: dict[str, str],
    at: datetime,
) -> bool:
    """An alarm issue (or its acknowledgement/suspension) from a site, applied once.

    The same alarm event sent again (a buffered message after a reconnection) or an older
    one than the last applied changes nothing. Active alarms become hypervisor alarms under
    their crossroads; suspended ones are kept but raise nothing.
    """
    site = RsmpSite.objects.select_for_update().filter(site_id=site_id).first()
    if site is None:
        return False
    key = f"{code}/{component}"
    previous = site.alarms.get(key, {})
    stamp = at.isoformat()
    if previous.get("at", "") > stamp:
        return False
    state = {
        "at": stamp, "active": active, "acknowledged": acknowledged, "suspended": suspended,
        "priority": priority, "values": values,
    }  # fmt: skip
    if {k: v for k, v in previous.items()} == state:
        return False
    site.alarms = {**site.alarms, key: state}
    site.save(update_fields=["alarms"])
    crossroad = site.crossroad
    if crossroad is None:
        return True
    severity = "critical" if priority <= 2 else "minor"
    was_raised = bool(previous.get("active")) and not previous.get("suspended")
    now_raised = active and not suspended
    if was_raised != now_raised or (now_raised and previous.get("at") != stamp):
        fields: dict[str, Any] = {
            "asset_id": f"{crossroad.reference}/{key}", "lat": crossroad.lat, "lon": crossroad.lon,
            "occurred_at": at, "code": code, "component": component, "site_id": site_id,
        }  # fmt: skip
        if now_raised:
            definition = sxl.ALARMS.get(code)
            events.publish(
                signal_alarm_event(
                    raised=True, severity=severity, **fields, priority=priority, values=values,
                    label=str(definition.label) if definition else code,
                    parent=f"crossroad:{crossroad.reference}",
                )
            )  # fmt: skip
        elif was_raised:
            old_severity = "critical" if previous.get("priority", 3) <= 2 else "minor"
            events.publish(signal_alarm_event(raised=False, severity=old_severity, **fields))
    if code in sxl.DETECTOR_ALARMS:
        detector = values.get("detector", component)
        faults = [item for item in crossroad.detector_faults if item != detector]
        crossroad.detector_faults = sorted([*faults, detector]) if now_raised else faults
        crossroad.save(update_fields=["detector_faults"])
    crossroad = Crossroad.objects.select_for_update().get(pk=crossroad.pk)
    _settle_state(crossroad, site, at)
    return True


@transaction.atomic
def rsmp_aggregated_status_apply(*, site_id: str, bits: list[bool], at: datetime) -> bool:
    site = RsmpSite.objects.select_related("crossroad").filter(site_id=site_id).first()
    if site is None or site.crossroad is None or site.crossroad.aggregated_status == bits:
        return False
    Crossroad.objects.filter(pk=site.crossroad.pk).update(aggregated_status=bits, last_seen_at=at)
    return True


def rsmp_signal_groups_store(*, states: dict[str, tuple[str, datetime]]) -> int:
    """Signal-group states change every second: written in one batch, no event each."""
    sites = RsmpSite.objects.filter(site_id__in=states, crossroad__isnull=False).values_list(
        "site_id", "crossroad_id"
    )
    crossroads = {crossroad_id: states[site_id] for site_id, crossroad_id in sites}
    rows = list(Crossroad.objects.filter(pk__in=crossroads).only("pk"))
    for row in rows:
        row.signal_group_status, row.last_seen_at = crossroads[row.pk]
    Crossroad.objects.bulk_update(rows, ["signal_group_status", "last_seen_at"])
    return len(rows)


# Commands from the control room.

ACTION_POSITIONS = {
    SignalCommand.Action.YELLOW_FLASH: FunctionalPosition.YELLOW_FLASH,
    SignalCommand.Action.DARK: FunctionalPosition.DARK,
    SignalCommand.Action.NORMAL: FunctionalPosition.NORMAL,
}


def _command_event(command: SignalCommand, by: User | None = None) -> None:
    events.publish(
        SignalCommandChanged(
            **_place(command.crossroad), command_id=command.pk, action=command.action,
            status=command.status, by=by.get_username() if by else "",
        )
    )  # fmt: skip


@transaction.atomic
def signal_command_request(
    *, crossroad: Crossroad, action: str, reason: str, by: User, time_plan: int | None = None
) -> SignalCommand:
    """A command through its procedure: a reason always; a yellow flash on a main axis
    waits for a supervisor's confirmation unless a supervisor asks for it."""
    if not by.has_perm("traffic.command_signals"):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the controller is commanded."))
    if action == SignalCommand.Action.TIME_PLAN and not time_plan:
        raise ValidationError(_("Choose the time plan to set."))
    site = RsmpSite.objects.filter(crossroad=crossroad).first()
    if site is None:
        raise ValidationError(_("This crossroads has no RSMP controller mapped to it."))
    needs_confirmation = (
        action == SignalCommand.Action.YELLOW_FLASH
        and crossroad.main_axis
        and not by.has_perm("traffic.confirm_signal_command")
    )
    command = SignalCommand(
        crossroad=crossroad, action=action, reason=reason.strip(), requested_by=by,
        requested_at=timezone.now(),
        time_plan=time_plan if action == SignalCommand.Action.TIME_PLAN else None,
        status=SignalCommand.Status.AWAITING_CONFIRMATION if needs_confirmation
        else SignalCommand.Status.PENDING,
        confirmed_by=None if needs_confirmation or not crossroad.main_axis else by,
    )  # fmt: skip
    command.full_clean()
    command.save()
    audit_record(
        actor=by, action=f"signal.command.{action}", target=f"crossroad:{crossroad.reference}",
        summary=command.reason, after={"status": command.status, "time_plan": command.time_plan},
    )  # fmt: skip
    _command_event(command, by)
    return command


@transaction.atomic
def signal_command_confirm(*, command: SignalCommand, by: User, approve: bool) -> SignalCommand:
    """A supervisor confirms (or refuses) a yellow flash on a main axis."""
    if not by.has_perm("traffic.confirm_signal_command"):
        raise PermissionDenied
    command = SignalCommand.objects.select_for_update().get(pk=command.pk)
    if command.status != SignalCommand.Status.AWAITING_CONFIRMATION:
        raise ValidationError(_("This command no longer awaits a confirmation."))
    command.status = SignalCommand.Status.PENDING if approve else SignalCommand.Status.REFUSED
    command.confirmed_by = by
    if not approve:
        command.closed_at, command.outcome = timezone.now(), gettext_noop("Refused by a supervisor")
    command.save()
    audit_record(
        actor=by, action="signal.command.confirm" if approve else "signal.command.refuse",
        target=f"crossroad:{command.crossroad.reference}", summary=command.reason,
        after={"status": command.status},
    )  # fmt: skip
    _command_event(command, by)
    return command


def rsmp_command_request_args(command: SignalCommand) -> list[tuple[str, str, str, str]]:
    code = settings.RSMP_SECURITY_CODE
    if command.action == SignalCommand.Action.TIME_PLAN:
        return sxl.time_plan_args(int(command.time_plan or 0), code)
    return sxl.functional_position_args(str(ACTION_POSITIONS[command.action]), code)  # type: ignore[index]


@transaction.atomic
def signal_command_sent(*, command_id: int, message_id: str) -> bool:
    updated = SignalCommand.objects.filter(
        pk=command_id, status=SignalCommand.Status.PENDING
    ).update(status=SignalCommand.Status.SENT, sent_at=timezone.now(), message_id=message_id)
    if updated:
        _command_event(SignalCommand.objects.select_related("crossroad").get(pk=command_id))
    return bool(updated)


@transaction.atomic
def signal_command_fail(*, command_id: int, outcome: str) -> bool:
    """The site refused the command, or its status never confirmed it in time."""
    command = (
        SignalCommand.objects.select_for_update()
        .select_related("crossroad")
        .filter(pk=command_id, status__in=[SignalCommand.Status.PENDING, SignalCommand.Status.SENT])
        .first()
    )
    if command is None:
        return False
    command.status, command.closed_at, command.outcome = (
        SignalCommand.Status.FAILED, timezone.now(), outcome[:200],
    )  # fmt: skip
    command.save(update_fields=["status", "closed_at", "outcome"])
    audit_record(
        actor=None, action="signal.command.failed",
        target=f"crossroad:{command.crossroad.reference}", summary=_(command.outcome),
    )  # fmt: skip
    _command_event(command)
    return True


def _confirmed_by_status(command: SignalCommand, crossroad: Crossroad) -> bool:
    if command.action == SignalCommand.Action.TIME_PLAN:
        return crossroad.time_plan == command.time_plan
    return crossroad.functional_position == ACTION_POSITIONS[command.action]  # type: ignore[index]


def _confirm_commands(crossroad: Crossroad, at: datetime) -> None:
    for command in crossroad.commands.select_for_update().filter(status=SignalCommand.Status.SENT):
        if _confirmed_by_status(command, crossroad):
            command.status, command.closed_at = SignalCommand.Status.CONFIRMED, at
            command.outcome = gettext_noop("Confirmed by the controller's status")
            command.save(update_fields=["status", "closed_at", "outcome"])
            audit_record(
                actor=None, action="signal.command.confirmed",
                target=f"crossroad:{crossroad.reference}", summary=command.reason,
            )  # fmt: skip
            _command_event(command)


def signal_commands_time_out(*, now: datetime | None = None) -> int:
    """Commands sent (or waiting to be sent) past the timeout are reported failed."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.RSMP_COMMAND_TIMEOUT_SECONDS)
    late = SignalCommand.objects.filter(
        status__in=[SignalCommand.Status.PENDING, SignalCommand.Status.SENT],
        requested_at__lt=cutoff,
    ).values_list("pk", flat=True)
    # Outcomes are kept as their message ids; the crossroads page shows them in its language.
    reason = gettext_noop("No confirmation from the controller in time")
    return sum(signal_command_fail(command_id=pk, outcome=reason) for pk in list(late))


def rsmp_sites_heard(*, site_ids: list[str], at: datetime | None = None) -> int:
    """Connected sites whose watchdog runs are alive, even when nothing else changes."""
    return Crossroad.objects.filter(
        rsmp_site__site_id__in=site_ids, rsmp_site__connected=True
    ).update(last_seen_at=at or timezone.now())


def rsmp_supervisor_stopped(*, site_ids: list[str]) -> int:
    """The supervisor stops: its sites are not connected, but none of them lost its link.

    No communication alarm: the sites come back when it starts again, and a site that does
    not is found silent by the periodic check of the crossroads.
    """
    return RsmpSite.objects.filter(site_id__in=site_ids).update(
        connected=False, disconnected_at=timezone.now(), disconnect_reason="supervisor stopped"
    )


@transaction.atomic
def rsmp_acknowledgements_to_send(*, site_ids: list[str]) -> list[tuple[str, str, str]]:
    """Alarms an operator acknowledged that their site does not know of yet: (site, cId, aCId).

    Each is handed out once (marked in the site's alarm record); the site's answer then
    records it as acknowledged.
    """
    from hypervisor.selectors import acknowledged_alarm_assets

    sites = {
        site.crossroad.reference: site
        for site in RsmpSite.objects.select_for_update()
        .select_related("crossroad")
        .filter(site_id__in=site_ids, crossroad__isnull=False)
        if site.crossroad is not None
    }
    if not sites:
        return []
    acknowledged = acknowledged_alarm_assets(asset_type="signal_alarm")
    wanted: list[tuple[str, str, str]] = []
    for asset_id in acknowledged:
        reference, _sep, key = asset_id.partition("/")
        site = sites.get(reference)
        record = site.alarms.get(key) if site else None
        if site is None or record is None or record.get("acknowledged") or record.get("ack_sent"):
            continue
        site.alarms = {**site.alarms, key: {**record, "ack_sent": True}}
        site.save(update_fields=["alarms"])
        code, _sep, component = key.partition("/")
        wanted.append((site.site_id, component, code))
    return wanted


@transaction.atomic
def rsmp_alarm_acknowledged(*, site_id: str, component: str, code: str) -> bool:
    """The site confirms an alarm is acknowledged (the answer to the operator's)."""
    site = RsmpSite.objects.select_for_update().filter(site_id=site_id).first()
    key = f"{code}/{component}"
    if site is None or key not in site.alarms:
        return False
    site.alarms = {**site.alarms, key: {**site.alarms[key], "acknowledged": True}}
    site.save(update_fields=["alarms"])
    return True
