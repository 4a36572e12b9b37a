"""The field tablet in Chromium at tablet size: work done there shows in the control room."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.db import transaction
from playwright.sync_api import expect

from incidents import services
from incidents.models import CrewMember, Task, TaskStatus, TaskStep, Trade
from tests.incidents.factories import CrewFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def assigned_task(reference_configuration, field_agent):  # type: ignore[no-untyped-def]
    """A street light out at place Darcy, dispatched by the worker to the agent's crew."""
    crew = CrewFactory(
        code="eclairage-e2e", trades=[Trade.objects.get(code="electricien")], lat=47.324, lon=5.033
    )
    CrewMember.objects.create(user=field_agent, crew=crew)
    opened = []

    def report() -> None:
        # In a thread of its own: the live push after commit may not run beside Playwright's
        # event loop, which owns the test thread.
        with transaction.atomic():
            opened.append(
                services.incident_open(
                    category_code="eclairage-panne",
                    description="Lampadaire éteint place Darcy",
                    lat=47.3225,
                    lon=5.0317,
                    source=services.Source.WEB,
                )
            )

    thread = threading.Thread(target=report)
    thread.start()
    thread.join()
    incident = opened[0]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        task = Task.objects.filter(incident=incident, crew=crew).first()
        if task is not None:
            return task
        time.sleep(0.05)
    raise AssertionError("the worker never dispatched the incident")


def test_an_agent_completes_a_task_and_the_control_room_updates_within_a_second(
    real_services, celery_worker, assigned_task, operator, field_agent, open_page, asgi_server
) -> None:
    control_room = open_page(width=1920, height=1080, username=operator.username)
    control_room.goto(f"{asgi_server.url}/controle/")
    expect(control_room.locator("#live-status")).to_have_attribute("data-state", "live")
    control_room.locator("#tab-incidents").click()
    item = control_room.locator(f'.incident-item[data-incident-id="{assigned_task.incident_id}"]')
    expect(item).to_be_visible()

    tablet = open_page(width=1024, height=768, username=field_agent.username, mobile=True)
    tablet.goto(f"{asgi_server.url}/terrain/")
    tablet.locator(f'.task-item[data-task-id="{assigned_task.pk}"]').click()
    tablet.locator(".field-action[data-kind=done]").click()
    tablet.locator("#done-note").fill("Ampoule remplacée")
    submit = tablet.get_by_role("button", name="Marquer comme terminée")
    expect(submit).to_be_enabled()
    started = time.monotonic()
    submit.click(no_wait_after=True)
    expect(item).to_have_count(0, timeout=1000)
    elapsed = time.monotonic() - started
    print(f"\ntablet done → control room queue updated: {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    expect(tablet.locator(f'.task-item[data-task-id="{assigned_task.pk}"]')).to_have_count(0)
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.DONE
    assert assigned_task.note == "Ampoule remplacée"


def test_an_action_taken_offline_is_sent_once_when_the_network_is_back(
    real_services, celery_worker, assigned_task, field_agent, open_page, asgi_server
) -> None:
    tablet = open_page(width=800, height=1280, username=field_agent.username, mobile=True)
    tablet.goto(f"{asgi_server.url}/terrain/")
    expect(tablet.locator(f'.task-item[data-task-id="{assigned_task.pk}"]')).to_be_visible()
    tablet.context.set_offline(True)
    expect(tablet.locator("#net-status")).to_have_attribute("data-state", "offline")
    tablet.locator(f'.task-item[data-task-id="{assigned_task.pk}"]').click()
    tablet.locator(".field-action[data-kind=done]").click()
    tablet.locator("#done-note").fill("Fait sans réseau")
    tablet.get_by_role("button", name="Marquer comme terminée").click()
    expect(tablet.locator("#queue-status")).to_have_text(re.compile("1 action"))
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.ASSIGNED

    tablet.context.set_offline(False)
    expect(tablet.locator("#queue-status")).to_be_hidden(timeout=10_000)
    # The socket's reconnection flushes the queue as well: the action must count once.
    time.sleep(1)
    assigned_task.refresh_from_db()
    assert assigned_task.status == TaskStatus.DONE
    assert TaskStep.objects.filter(task=assigned_task, kind="done").count() == 1
