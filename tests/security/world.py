"""A small world holding one of each object a route can name, and one user per role.

The access matrix fills URL parameters from it, so that each route is exercised on a real
object rather than answering 404 before its access check could be seen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from citizens import services as citizen_services
from citizens.models import Report, ReportPhoto
from hypervisor import events
from hypervisor import services as hypervisor_services
from hypervisor.models import Alarm, Commune, Crisis, Gateway, StaffProfile
from hypervisor.roles import Role
from hypervisor.telemetry import services as telemetry_services
from hypervisor.territory import approximate_communes
from incidents import services as incident_services
from incidents.demo import seed_reference_configuration
from incidents.models import Incident, Task, Trade
from opendata import datasets, store
from tests.citizens.factories import image_bytes
from tests.hypervisor.conftest import CabinetPowerLost
from tests.hypervisor.factories import UserFactory
from tests.incidents.factories import CrewFactory, CrewMemberFactory
from tests.lighting.factories import LightPointFactory
from tests.traffic.factories import BollardFactory, CameraFactory, CrossroadFactory
from traffic import services as traffic_services
from traffic.models import Bollard, EvidenceRequest, RsmpSite

DARCY = (47.3225, 5.0317)
DIJON_INSEE = "21231"

# Every role of the command centre, and the citizen without an account.
ROLES: tuple[str, ...] = ("anonymous", *(role.value for role in Role))


@dataclass
class World:
    users: dict[str, Any]
    incident: Incident
    task: Task
    alarm: Alarm
    crisis: Crisis
    report: Report
    photo: ReportPhoto
    bollard: Bollard
    evidence_request: EvidenceRequest
    gateway: Gateway
    gateway_token: str
    dataset_slug: str
    spatial_dataset_slug: str
    feature_id: str
    extra: dict[str, Any] = field(default_factory=dict)


def _users() -> dict[str, Any]:
    users: dict[str, Any] = {"anonymous": AnonymousUser()}
    for role in Role:
        users[role.value] = UserFactory(
            username=f"matrix-{role.value}",
            roles=[role],
            # As the demo makes it: the administrator is the one staff account.
            is_staff=role is Role.ADMIN,
            is_superuser=role is Role.ADMIN,
        )
    StaffProfile.objects.create(
        user=users[Role.ELECTED_OFFICIAL.value],
        commune=Commune.objects.get(insee=DIJON_INSEE),
        phone="+33600000042",
    )
    return users


def _incident_with_task(field_agent: Any) -> tuple[Incident, Task]:
    crew = CrewFactory(
        code="matrix-crew",
        name="Éclairage matrice",
        trades=[Trade.objects.get(code="electricien")],
        lat=47.3240,
        lon=5.0330,
    )
    CrewMemberFactory(user=field_agent, crew=crew)
    with transaction.atomic():
        incident = incident_services.incident_open(
            category_code="eclairage-panne",
            description="Lampadaire éteint",
            lat=DARCY[0],
            lon=DARCY[1],
            source=incident_services.Source.WEB,
        )
    incident_services.incident_route(incident_id=incident.pk)
    incident_services.incident_dispatch(incident_id=incident.pk)
    task = Task.objects.get(incident=incident)
    assert task.crew_id == crew.pk, "the matrix crew must hold the task"
    return incident, task


def _alarm() -> Alarm:
    hypervisor_services.alarm_rule_ensure(
        event_kind=CabinetPowerLost.kind,
        action="raise",
        alarm_kind="cabinet-power",
        severity="critical",
        title_fr="Coupure d'alimentation d'armoire",
        title_en="Cabinet power loss",
    )
    record = events.publish(CabinetPowerLost(asset_id="C-12", lat=47.3215, lon=5.0392))
    hypervisor_services.alarm_apply_rules(event_id=record.pk)
    return Alarm.objects.get(asset_id="C-12")


def _report() -> tuple[Report, ReportPhoto]:
    report = citizen_services.report_submit(
        category_code="voirie-nid-de-poule",
        description="Nid de poule devant le 12",
        lat=47.3195,
        lon=5.0370,
        contact_email="lea@example.org",
        contact_consent=True,
    )
    photo = ReportPhoto.objects.create(
        report=report, image=ContentFile(image_bytes(), name="matrix.jpg")
    )
    return report, photo


def _evidence_request(police: Any) -> EvidenceRequest:
    camera = CameraFactory(reference="CAM-MATRIX", retention_days=15)
    now = timezone.now()
    return traffic_services.evidence_request_file(
        by=police,
        procedure_reference="PV 2026/0001",
        authority="Commissariat central de Dijon",
        cameras=[camera],
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=1),
        motive="Vol à l'arraché",
    )


def build_world() -> World:
    """Territory, reference configuration, users and one object of each kind."""
    hypervisor_services.territory_load(communes=approximate_communes())
    seed_reference_configuration(rng=random.Random(1), log=lambda _message: None)
    users = _users()
    incident, task = _incident_with_task(users[Role.FIELD_AGENT.value])
    crisis = hypervisor_services.crisis_activate(
        title="Inondation",
        severity="major",
        commune_ids=[Commune.objects.get(insee=DIJON_INSEE).pk],
        zone=None,
        by=users[Role.SUPERVISOR.value],
    )
    report, photo = _report()
    crossroad = CrossroadFactory(reference="CAR-MATRIX", main_axis=True)
    RsmpSite.objects.create(site_id="KK+MATRIX", crossroad=crossroad)
    signal_command = traffic_services.signal_command_request(
        crossroad=crossroad, action="yellow_flash", reason="matrice", by=users[Role.OPERATOR.value]
    )
    LightPointFactory(reference="LP-MATRIX", lat=47.3230, lon=5.0400)
    gateway, token = telemetry_services.gateway_create(name="matrix gateway")
    store.forget()
    published = datasets.published()
    spatial = next(dataset for dataset in published if dataset.spatial)
    return World(
        users=users,
        incident=incident,
        task=task,
        alarm=_alarm(),
        crisis=crisis,
        report=report,
        photo=photo,
        bollard=BollardFactory(reference="BOR-MATRIX"),
        evidence_request=_evidence_request(users[Role.POLICE.value]),
        gateway=gateway,
        gateway_token=token,
        dataset_slug=published[0].slug,
        spatial_dataset_slug=spatial.slug,
        feature_id=store.snapshot(spatial).ids[0],
        extra={"signal_command": signal_command},
    )
