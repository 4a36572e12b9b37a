from __future__ import annotations

import random

from django.utils import timezone

from citizens import simulation
from incidents.models import Incident


def test_the_simulator_submits_reports_at_the_real_daily_rate(reference_configuration) -> None:
    two_hours = 2 * 3600
    simulation.tick(now=timezone.now(), elapsed=two_hours, rng=random.Random(7))
    expected = simulation.REPORTS_PER_DAY * two_hours / 86_400  # about 83
    assert 0.6 * expected < Incident.objects.count() < 1.4 * expected


def test_simulated_reports_fall_inside_the_territory_and_get_routed(
    reference_configuration, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        simulation.tick(now=timezone.now(), elapsed=3600, rng=random.Random(3))
    assert Incident.objects.exists()
    assert set(Incident.objects.values_list("status", flat=True)) == {"routed"}
    assert not Incident.objects.filter(commune__isnull=True).exists()
