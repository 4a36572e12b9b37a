"""A report's incident worked by a crew until it is fixed, with the crew's note and photo."""

from __future__ import annotations

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from citizens.models import Report
from hypervisor.roles import Role
from incidents import services as incident_services
from incidents.models import Task, Trade
from tests.hypervisor.factories import UserFactory
from tests.incidents.factories import CrewFactory, CrewMemberFactory


def after_photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("apres.jpg", buffer.getvalue(), content_type="image/jpeg")


def crew_near(lat: float, lon: float):  # type: ignore[no-untyped-def]
    """An electricians' crew on shift beside the place, with its agent."""
    agent = UserFactory(username=f"agent-{uuid.uuid4().hex[:6]}", roles=[Role.FIELD_AGENT])
    crew = CrewFactory(
        code=f"eclairage-{uuid.uuid4().hex[:6]}",
        name="Éclairage A",
        trades=[Trade.objects.get(code="electricien")],
        lat=lat,
        lon=lon,
    )
    CrewMemberFactory(user=agent, crew=crew)
    return agent


def dispatched_task(report: Report) -> Task:
    incident_services.incident_route(incident_id=report.incident_id)
    incident_services.incident_dispatch(incident_id=report.incident_id)
    return Task.objects.get(incident_id=report.incident_id)


def repair(report: Report, agent, note: str = "Lampe remplacée, mât contrôlé") -> Task:  # type: ignore[no-untyped-def]
    task = dispatched_task(report)
    for kind, extra in (("start", {}), ("done", {"note": note, "photos": [after_photo()]})):
        incident_services.field_action_apply(
            action_id=uuid.uuid4(), user=agent, task_id=task.pk, kind=kind, **extra
        )
    task.refresh_from_db()
    return task
