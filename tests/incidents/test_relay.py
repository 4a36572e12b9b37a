"""Work the broker never got is handed over again by the sweep."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from incidents import services
from incidents.models import Incident, Status


def _open(**extra: object) -> Incident:
    return services.incident_open(
        category_code="eclairage-panne",
        description="Lampadaire éteint",
        lat=47.3225,
        lon=5.0317,
        source=services.Source.WEB,
        **extra,  # type: ignore[arg-type]
    )


def test_the_sweep_routes_an_incident_the_broker_never_got(reference_configuration) -> None:
    incident = _open()  # inside the test transaction: nothing was relayed on commit
    counts = services.incidents_relay_pending(now=timezone.now() + timedelta(minutes=5))
    incident.refresh_from_db()
    assert counts["route"] == 1
    assert incident.status == Status.ROUTED


def test_the_sweep_leaves_fresh_work_to_the_normal_path(reference_configuration) -> None:
    _open()
    assert services.incidents_relay_pending() == {"route": 0, "dispatch": 0}


def test_an_emergency_is_swept_after_seconds_not_minutes(reference_configuration) -> None:
    emergency = _open(priority=services.Priority.EMERGENCY)
    ordinary = _open()
    services.incidents_relay_pending(now=timezone.now() + timedelta(seconds=30))
    emergency.refresh_from_db()
    ordinary.refresh_from_db()
    assert emergency.routed_at is not None
    assert ordinary.routed_at is None


def test_sweeping_twice_routes_once(reference_configuration) -> None:
    incident = _open()
    later = timezone.now() + timedelta(minutes=5)
    services.incidents_relay_pending(now=later)
    services.incidents_relay_pending(now=later)
    assert incident.transitions.filter(to_status=Status.ROUTED).count() == 1


def test_an_unreachable_broker_keeps_the_work_for_the_sweep(
    reference_configuration, monkeypatch
) -> None:
    from kombu.exceptions import OperationalError

    from incidents import tasks

    def unreachable(*args: object, **kwargs: object) -> None:
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.route_incident, "apply_async", unreachable)
    incident = _open()
    assert services.relay("route_incident", incident.pk) is False
    counts = services.incidents_relay_pending(now=timezone.now() + timedelta(minutes=5))
    assert counts["route"] == 0
    incident.refresh_from_db()
    assert incident.routed_at is None


def _capture_publishing(monkeypatch) -> list[tuple[str, dict[str, object]]]:  # type: ignore[no-untyped-def]
    from incidents import tasks

    sent: list[tuple[str, dict[str, object]]] = []
    for name in ("route_incident", "dispatch_incident"):
        monkeypatch.setattr(
            getattr(tasks, name),
            "apply_async",
            lambda args, name=name, **options: sent.append((name, options)),
        )
    return sent


def test_an_emergency_is_handed_to_the_urgent_queue(
    reference_configuration, monkeypatch, settings
) -> None:
    sent = _capture_publishing(monkeypatch)
    emergency = _open(priority=services.Priority.EMERGENCY)
    ordinary = _open()
    services.relay("route_incident", emergency.pk)
    services.relay("route_incident", ordinary.pk)
    assert sent[0] == ("route_incident", {"retry": False, "queue": settings.CELERY_URGENT_QUEUE})
    assert sent[1] == ("route_incident", {"retry": False})


def test_an_opened_emergency_is_relayed_on_commit_to_the_urgent_queue(
    reference_configuration, monkeypatch, settings, django_capture_on_commit_callbacks
) -> None:
    sent = _capture_publishing(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        _open(priority=services.Priority.EMERGENCY)
    assert sent == [("route_incident", {"retry": False, "queue": settings.CELERY_URGENT_QUEUE})]


def test_while_a_backlog_is_queued_the_sweep_hands_over_emergencies_only(
    reference_configuration, monkeypatch
) -> None:
    """Ordinary work older than the delay is most likely in the backlog, merely waiting."""
    monkeypatch.setattr("ondijon.celery.ordinary_backlog", lambda: 1_500)
    emergency = _open(priority=services.Priority.EMERGENCY)
    ordinary = _open()
    counts = services.incidents_relay_pending(now=timezone.now() + timedelta(minutes=5))
    emergency.refresh_from_db()
    ordinary.refresh_from_db()
    assert counts["route"] == 1
    assert emergency.routed_at is not None
    assert ordinary.routed_at is None
